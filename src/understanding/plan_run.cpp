#include "understanding/plan_run.hpp"

#include "store/query/field_path.hpp"
#include "understanding/markdown_table.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace pms::understanding {

namespace {

std::string noun(const QueryPlan& p, std::int64_t n) { return n == 1 ? p.singular : p.plural; }

std::string capitalized(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string group_name(const json::value& v) {
  if (v.is_null()) return "(none)";
  if (auto* s = v.if_string()) return s->empty() ? "(empty)" : std::string(*s);
  return dump(v);
}

}  // namespace

json::object unwind_first_step(const std::string& path, bool keep_missing) {
  return json::object{{"$unwind", json::object{{"path", "$" + path.substr(0, path.find('.'))}, {"preserveNullAndEmptyArrays", keep_missing}}}};
}

QueryPlan with_share(const QueryPlan& plan) {
  QueryPlan with = plan;
  if (plan.share) with.conditions.push_back(*plan.share);
  return with;
}

PlanRun::PlanRun(QueryPlan plan) : plan_(std::move(plan)), step_(first_step()) {}

PlanRun::Step PlanRun::first_step() const {
  if (plan_.cycle) return Step::cycles;
  return plan_.operation == Operation::group ? Step::groups : Step::count;
}

ToolCall PlanRun::call_for(Step step) const {
  json::object filter = plan_.filter();
  switch (step) {
    case Step::cycles:
      return {"find_documents",
              {{"collection", "cycle"},
               {"filter", json::object{{"status", plan_.cycle->status_value}}},
               {"projection", json::object{{"_id", 1}, {"title", 1}, {"project.name", 1}}},
               {"limit", 50}}};
    case Step::count:
      if (aggregated()) return {"aggregate", {{"collection", plan_.collection}, {"pipeline", figures_pipeline(false)}}};
      return {"count_documents", {{"collection", plan_.collection}, {"filter", filter}}};
    case Step::part: return {"count_documents", {{"collection", plan_.collection}, {"filter", with_share(plan_).filter()}}};
    case Step::rows: {
      json::object projection{{"_id", 1}};
      for (auto& c : plan_.columns) projection[c] = 1;
      for (auto& [c, names] : plan_.reference_names) projection[c.substr(0, c.rfind('.')) + "._id"] = 1;
      if (plan_.details) projection["description"] = 1;
      // Pages of at most kMaxPage rows, one call each, until `limit` rows are listed.
      auto listed = static_cast<std::int64_t>(outcome_.rows.size());
      json::object args{{"collection", plan_.collection}, {"filter", filter}, {"projection", projection},
                        {"limit", std::min(kMaxPage, plan_.limit - listed)}};
      if (plan_.skip + listed > 0) args["skip"] = plan_.skip + listed;
      if (!plan_.sort.empty()) {
        // Ties broken by _id: "show more" then continues exactly where the last page ended.
        json::object sort = plan_.sort;
        if (!sort.contains("_id")) sort["_id"] = 1;
        args["sort"] = std::move(sort);
      }
      return {"find_documents", std::move(args)};
    }
    case Step::group_parts:
    case Step::groups: {
      if (step == Step::groups && plan_.series) return {"aggregate", {{"collection", plan_.collection}, {"pipeline", series_pipeline()}}};
      if (step == Step::groups && aggregated())
        return {"aggregate", {{"collection", plan_.collection}, {"pipeline", figures_pipeline(true)}}};
      if (step == Step::group_parts) filter = with_share(plan_).filter();
      json::array pipeline;
      if (!filter.empty()) pipeline.push_back(json::object{{"$match", filter}});
      // Unwinding the first step of the path counts each element of an array field (assignees,
      // labels) as its own group, and keeps documents without one as the "(none)" group.
      pipeline.push_back(unwind_first_step(plan_.group_path, true));
      pipeline.push_back(json::object{{"$group", json::object{{"_id", "$" + plan_.group_path}, {"count", json::object{{"$sum", 1}}}}}});
      pipeline.push_back(json::object{{"$sort", json::object{{"count", plan_.ascending ? 1 : -1}, {"_id", 1}}}});
      pipeline.push_back(json::object{{"$limit", 50}});
      return {"aggregate", {{"collection", plan_.collection}, {"pipeline", std::move(pipeline)}}};
    }
    case Step::done: break;
  }
  return {};
}

std::optional<ToolCall> PlanRun::next() {
  if (step_ == Step::done) return std::nullopt;
  awaiting_ = true;
  return call_for(step_);
}

void PlanRun::feed(const tools::ToolResult& result) {
  if (!awaiting_) return;
  awaiting_ = false;
  if (!result.ok) {
    outcome_.error = result.error;
    step_ = Step::done;
    return;
  }
  auto& v = result.value.as_object();
  switch (step_) {
    case Step::cycles: {
      json::array ids;
      std::vector<std::string> titles;
      for (auto& c : v.at("documents").as_array()) {
        ids.push_back(c.at("_id"));
        auto title = cell_text(c, "title");
        if (std::find(titles.begin(), titles.end(), title) == titles.end()) titles.push_back(title);
      }
      if (ids.empty()) {
        no_cycle_ = true;
        step_ = Step::done;
        return;
      }
      std::string names;
      for (std::size_t i = 0; i < titles.size() && i < 5; ++i) names += (i ? ", " : "") + titles[i];
      plan_.conditions.push_back({plan_.cycle->path, json::object{{"$in", ids}}, plan_.cycle->text + " (" + names + ")"});
      plan_.cycle.reset();
      step_ = first_step();
      return;
    }
    case Step::count:
      if (auto* results = v.if_contains("results")) feed_figures(results->as_array());
      else outcome_.count = v.at("count").to_number<std::int64_t>();
      step_ = plan_.share && *outcome_.count > 0                                     ? Step::part
              : plan_.operation == Operation::list && *outcome_.count > plan_.skip ? Step::rows
                                                                                     : Step::done;
      return;
    case Step::part:
      outcome_.part = v.at("count").to_number<std::int64_t>();
      step_ = Step::done;
      return;
    case Step::rows: {
      auto& docs = v.at("documents").as_array();
      for (auto& d : docs) outcome_.rows.push_back(d);
      auto listed = static_cast<std::int64_t>(outcome_.rows.size());
      bool more = v.contains("more") && !docs.empty();
      step_ = more && listed < plan_.limit && plan_.skip + listed < *outcome_.count ? Step::rows : Step::done;
      return;
    }
    case Step::groups:
      if (plan_.series) {
        // One aggregate returns at most 50 results: the next call skips those already read.
        auto& results = v.at("results").as_array();
        for (auto& g : results) outcome_.groups.emplace_back(g.as_object().at("_id"), g.as_object().at("count").to_number<std::int64_t>());
        bool more = v.contains("more") && !results.empty() && static_cast<std::int64_t>(outcome_.groups.size()) < kMaxListed;
        step_ = more ? Step::groups : Step::done;
        return;
      }
      if (aggregated()) {
        feed_figures(v.at("results").as_array());
      } else {
        for (auto& g : v.at("results").as_array())
          outcome_.groups.emplace_back(g.as_object().at("_id"), g.as_object().at("count").to_number<std::int64_t>());
      }
      step_ = plan_.share && !outcome_.groups.empty() ? Step::group_parts : Step::done;
      return;
    case Step::group_parts: {
      // The groups' shares: the same groups counted again with the share's condition added.
      std::map<std::string, std::int64_t, std::less<>> parts;
      for (auto& g : v.at("results").as_array()) parts[dump(g.as_object().at("_id"))] = g.as_object().at("count").to_number<std::int64_t>();
      for (auto& g : outcome_.groups) {
        auto it = parts.find(dump(g.first));
        outcome_.group_parts.push_back(it == parts.end() ? 0 : it->second);
      }
      step_ = Step::done;
      return;
    }
    case Step::done: return;
  }
}

// How each group is shown: its value; for reference ids the name of what they point at, two of
// one name by their projects too, and an id the catalog does not know (what it pointed at is
// gone) as such.
std::vector<std::string> PlanRun::group_labels() const {
  std::vector<std::string> out;
  std::map<std::string, int, std::less<>> named;
  auto known = [&](const json::value& key) {
    auto* s = key.if_string();
    auto it = s ? plan_.group_names.find(std::string_view(*s)) : plan_.group_names.end();
    return it == plan_.group_names.end() ? nullptr : &it->second;
  };
  for (auto& g : outcome_.groups)
    if (auto* n = known(g.first)) ++named[n->first];
  for (auto& g : outcome_.groups) {
    if (plan_.group_names.empty() || !g.first.is_string()) out.push_back(group_name(g.first));
    else if (auto* n = known(g.first)) out.push_back(named[n->first] > 1 ? n->second : n->first);
    else out.push_back("(not found: " + std::string(g.first.get_string()) + ")");
  }
  return out;
}

std::string PlanRun::answer() const {
  if (!outcome_.error.empty()) return "I could not get the answer from the database: " + outcome_.error;
  if (no_cycle_) return "There is no " + plan_.cycle->text.substr(plan_.cycle->text.find("the ") + 4) + " right now, so no " + plan_.plural + " are in it.";
  std::string where = plan_.describe_conditions();
  if (plan_.series) return series_answer();
  // Grouped distinct counts read like any group's counts ("Fleet Tracker has the most members").
  if (plan_.operation == Operation::group && (plan_.measure || plan_.share)) return figures_group_answer();
  if (plan_.operation == Operation::count && (plan_.measure || plan_.share || !plan_.distinct_path.empty())) return figures_answer();
  switch (plan_.operation) {
    case Operation::count: {
      auto n = outcome_.count.value_or(0);
      if (where.empty()) return "There " + std::string(n == 1 ? "is" : "are") + " **" + std::to_string(n) + "** " + noun(plan_, n) + ".";
      return "**" + std::to_string(n) + "** " + noun(plan_, n) + (n == 1 ? " matches: " : " match: ") + where + ".";
    }
    case Operation::list: return list_answer();
    case Operation::group: return group_answer();
  }
  return {};
}

// A listed cell; a reference that lost its name ({_id} or "name": "") shows the name of what its
// id points at.
std::string PlanRun::reference_cell(const json::value& doc, const std::string& column) const {
  auto names = plan_.reference_names.find(column);
  if (names == plan_.reference_names.end()) return cell_text(doc, column);
  std::string prefix = column.substr(0, column.rfind('.'));
  std::string out;
  auto add = [&](const json::value& ref) {
    std::string name = cell_text(ref, column.substr(prefix.size() + 1));
    if (name.empty()) {
      auto* o = ref.if_object();
      auto* id = o ? o->if_contains("_id") : nullptr;
      auto it = id && id->is_string() ? names->second.find(std::string_view(id->get_string())) : names->second.end();
      if (it != names->second.end()) name = cell_text(json::object{{"name", it->second}}, "name");
    }
    if (!name.empty()) out += (out.empty() ? "" : ", ") + name;
  };
  std::vector<const json::value*> found;
  store::FieldPath(prefix).collect(doc, found);
  for (auto* v : found) {
    if (!v) continue;
    if (auto* a = v->if_array())
      for (auto& x : *a) add(x);
    else add(*v);
  }
  return out;
}

std::string PlanRun::list_answer() const {
  auto n = outcome_.count.value_or(0);
  std::string where = plan_.describe_conditions();
  if (n == 0) return "No " + plan_.plural + (where.empty() ? " exist." : " match: " + where + ".");
  std::string out = "**" + std::to_string(n) + "** " + noun(plan_, n) + (where.empty() ? "" : (n == 1 ? " matches: " : " match: ") + where) + ".";
  auto shown = static_cast<std::int64_t>(outcome_.rows.size());
  if (shown == 0) return out + " All of them were listed before: there are no more to show.";
  if (plan_.skip > 0)
    out += " " + std::to_string(plan_.skip + 1) + " to " + std::to_string(plan_.skip + shown) + (plan_.order_text.empty() ? "" : ", " + plan_.order_text) + ":";
  else if (shown < n) {
    // "newest first" -> "The 10 newest:", "most overdue first" -> "The 10 most overdue:".
    auto order = plan_.order_text.ends_with(" first") ? plan_.order_text.substr(0, plan_.order_text.size() - 6) : std::string("first");
    out += " The " + std::to_string(shown) + " " + order + ":";
  }
  else if (!plan_.order_text.empty() && n > 1) out += " " + capitalized(plan_.order_text) + ":";
  if (plan_.details && outcome_.rows.size() == 1) {
    // One item in full: a field per line (those it has), then the start of its description.
    std::vector<std::vector<std::string>> fields;
    for (auto& c : plan_.columns)
      if (auto v = reference_cell(outcome_.rows.front(), c); !v.empty()) fields.push_back({column_heading(c), v});
    out += "\n\n" + markdown_table({"Field", "Value"}, fields);
    auto* doc = outcome_.rows.front().if_object();
    auto* description = doc ? doc->if_contains("description") : nullptr;
    if (description && description->is_string())
      if (auto text = text_excerpt(description->get_string(), 400); !text.empty()) out += "\n" + text + "\n";
    return out;
  }
  std::vector<std::string> header;
  for (auto& c : plan_.columns) header.push_back(c == plan_.due_column ? "Due" : column_heading(c));
  std::vector<std::vector<std::string>> rows;
  for (auto& d : outcome_.rows) {
    std::vector<std::string> row;
    for (auto& c : plan_.columns) row.push_back(reference_cell(d, c));
    rows.push_back(std::move(row));
  }
  out += "\n\n" + markdown_table(header, rows);
  if (auto p = page(); p && p->remaining() > 0) {
    auto next = std::min(p->remaining(), kDefaultPage);
    out += "\n**" + std::to_string(p->remaining()) + "** more: say \"show more\" for the next " + std::to_string(next);
    out += n <= kMaxListed ? std::string(", or \"show all\".")
                           : ", or narrow the question: one answer lists at most " + std::to_string(kMaxListed) + ".";
  }
  return out;
}

std::optional<ListPage> PlanRun::page() const {
  if (plan_.operation != Operation::list || plan_.details || !outcome_.count || !outcome_.error.empty()) return std::nullopt;
  ListPage p{plan_.skip, static_cast<std::int64_t>(outcome_.rows.size()), *outcome_.count};
  if (p.offset == 0 && p.remaining() == 0) return std::nullopt;
  return p;
}

std::string PlanRun::group_answer() const {
  std::string where = plan_.describe_conditions();
  // Counted are the documents, or a role's different values among them ("different assignees").
  bool values = plan_.distinct_path.find('.') != std::string::npos;
  std::string counted = values ? plan_.distinct_noun + " of " + plan_.plural : plan_.plural;
  std::string what = counted + (where.empty() ? "" : " where " + where);
  if (outcome_.groups.empty()) return "No " + what + ".";
  auto labels = group_labels();
  std::string out;
  std::size_t table_rows = outcome_.groups.size();
  if (plan_.top) {
    // The leaders: the first `limit` groups, and any tied with the last of them.
    std::vector<std::pair<std::string, std::int64_t>> real;
    for (std::size_t i = 0; i < outcome_.groups.size(); ++i)
      if (!outcome_.groups[i].first.is_null()) real.emplace_back(labels[i], outcome_.groups[i].second);
    if (real.empty()) return "None of the " + what + " has any " + plan_.group_label + ".";
    auto k = std::min<std::size_t>(static_cast<std::size_t>(std::max<std::int64_t>(1, plan_.limit)), real.size());
    while (k < real.size() && real[k].second == real[k - 1].second) ++k;
    std::string extreme = plan_.ascending ? "fewest" : "most";
    if (k == 1) {
      out = "**" + real[0].first + "** has the " + extreme + " " + what + ": " + std::to_string(real[0].second) + ".";
    } else {
      std::string names;
      for (std::size_t i = 0; i < k; ++i) names += (i ? (i + 1 == k ? " and " : ", ") : "") + ("**" + real[i].first + "**");
      bool tied = real[0].second == real[k - 1].second;
      out = tied ? names + " are tied with the " + extreme + " " + what + ": " + std::to_string(real[0].second) + " each."
                 : "The " + std::to_string(k) + " " + plan_.group_label + "s with the " + extreme + " " + what + ": " + names + ".";
    }
    if (plan_.ascending) out += " (Only " + plan_.group_label + "s with at least one count.)";
    table_rows = std::min<std::size_t>(std::max<std::size_t>(k, 5), outcome_.groups.size());
  } else {
    out = capitalized(counted) + " by " + plan_.group_label + (where.empty() ? "" : ", where " + where) + ":";
  }
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < table_rows; ++i)
    rows.push_back({labels[i], std::to_string(outcome_.groups[i].second)});
  return out + "\n\n" + markdown_table({capitalized(plan_.group_label), capitalized(values ? plan_.distinct_noun : plan_.plural)}, rows);
}

}  // namespace pms::understanding
