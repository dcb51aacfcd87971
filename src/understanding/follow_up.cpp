#include "understanding/follow_up.hpp"

#include "understanding/model_plan.hpp"
#include "understanding/plan_builder.hpp"
#include "understanding/reading_understanding.hpp"

#include <algorithm>

namespace pms::understanding {

json::object PlanContext::to_json() const {
  json::array out;
  for (auto& m : messages) {
    json::object o{{"text", m.text}, {"now_ms", m.now_ms}};
    if (!m.model_plan.empty()) o["model_plan"] = m.model_plan;
    out.push_back(std::move(o));
  }
  return json::object{{"version", 1}, {"messages", std::move(out)}};
}

std::optional<PlanContext> PlanContext::from_json(const json::value& v) {
  auto* o = v.if_object();
  if (!o || !o->contains("version") || o->at("version") != json::value(1)) return std::nullopt;
  auto* list = o->if_contains("messages");
  if (!list || !list->is_array() || list->as_array().empty()) return std::nullopt;
  PlanContext out;
  for (auto& m : list->as_array()) {
    auto* mo = m.if_object();
    auto* text = mo ? mo->if_contains("text") : nullptr;
    auto* now = mo ? mo->if_contains("now_ms") : nullptr;
    if (!text || !text->is_string() || !now || !now->is_int64()) return std::nullopt;
    auto* plan = mo->if_contains("model_plan");
    if (plan && !plan->is_string()) return std::nullopt;
    out.messages.push_back({std::string(text->get_string()), now->get_int64(), plan ? std::string(plan->get_string()) : ""});
  }
  return out;
}

namespace {

// Where the conversation's plan is: the reading, and which page of a list it shows.
struct State {
  Reading reading;
  std::optional<QueryPlan> plan;
  std::int64_t skip = 0;
  std::optional<std::int64_t> limit;
};

std::string time_text(const Reading& r, const TimeCondition& t) {
  std::string verb = t.kind == TimeCondition::created ? std::string(r.entity->created_verb) : t.kind == TimeCondition::updated ? "updated" : "due";
  return verb + " " + t.range.text;
}

void drop_figures(Reading& m) {
  m.measure = nullptr;
  m.share = false;
  m.distinct.reset();
  std::erase_if(m.links, [](auto& l) { return l.share; });
}

// Changes `m` by the follow-up `f`; returns what changed, in words, or sets `problem`.
std::vector<std::string> merge_query(Reading& m, const Reading& f) {
  std::vector<std::string> changes;
  for (auto& l : f.links) {
    if (l.share) {
      drop_figures(m);
      m.share = true;
      m.links.push_back(l);
      changes.push_back("now the share where " + link_text(l));
      continue;
    }
    auto same = [&](const Link& x) { return !x.share && x.role == l.role; };
    auto it = std::find_if(m.links.begin(), m.links.end(), same);
    if (it == m.links.end()) {
      m.links.push_back(l);
      changes.push_back("now only where " + link_text(l));
    } else if (l.negated) {
      m.links.push_back(l);  // "not the done ones": narrows what is there
      changes.push_back("now only where " + link_text(l));
    } else if (f.follow.also && !it->negated && it->path == l.path && it->id_path == l.id_path) {
      for (auto& v : l.values)
        if (std::find(it->values.begin(), it->values.end(), v) == it->values.end()) it->values.push_back(v);
      for (auto& id : l.ids)
        if (std::find(it->ids.begin(), it->ids.end(), id) == it->ids.end()) it->ids.push_back(id);
      it->text.clear();
      changes.push_back("now also " + values_text(l));
    } else {
      // "now project is Billing Platform instead of Mobile App"
      std::string was = it->text.empty() && l.text.empty() && !it->negated && !l.negated ? values_text(*it) : link_text(*it);
      std::erase_if(m.links, same);
      m.links.push_back(l);
      changes.push_back("now " + link_text(l) + " instead of " + was);
    }
  }
  for (auto& c : f.conditions) {
    std::erase_if(m.conditions, [&](auto& x) { return x.path == c.path; });
    m.conditions.push_back(c);
    changes.push_back("now only " + c.text);
  }
  for (auto t : f.times) {
    // "same for last month" after "due this week": the month of the same date.
    auto kind_of = [](TimeCondition::Kind k) { return [k](auto& x) { return x.kind == k; }; };
    if (t.kind == TimeCondition::created && std::none_of(m.times.begin(), m.times.end(), kind_of(TimeCondition::created)) && m.times.size() == 1)
      t.kind = m.times.front().kind;
    std::erase_if(m.times, kind_of(t.kind));
    m.times.push_back(t);
    changes.push_back("now " + time_text(m, t));
  }
  if (f.overdue && !m.overdue) {
    m.overdue = true;
    changes.push_back("now only overdue ones");
  }
  if (f.cycle) {
    m.cycle = f.cycle;
    changes.push_back("now " + f.cycle->text);
  }
  if (f.working_on) m.working_on = true;
  if (f.measure) {
    drop_figures(m);
    m.measure = f.measure;
    m.measure_kind = f.measure_kind;
    changes.push_back(std::string("now the ") + (f.measure_kind == Measure::total ? "total " : "average ") + std::string(f.measure->label));
  }
  if (f.distinct) {
    drop_figures(m);
    m.distinct = f.distinct;
    changes.push_back("now the different " + std::string(role_spec(*f.distinct).label) + "s");
  }
  if (!f.series_unit.empty()) {
    m.series_unit = f.series_unit;
    m.series_kind = f.series_kind;
    m.count = false;
    changes.push_back("now per " + f.series_unit);
  }
  if (f.group) {
    m.group = f.group;
    m.group_id_path = f.group_id_path;
    m.group_names = f.group_names;
    m.top = f.top;
    m.ascending = f.ascending;
    m.count = false;
    m.limit = f.limit;
    changes.push_back("now by " + std::string(role_spec(*f.group).label));
  } else if (f.count && f.series_unit.empty()) {
    if (!f.measure && !f.distinct && !f.share) drop_figures(m);
    m.count = true;
    m.group.reset();
    m.series_unit.clear();
    m.top = false;
    m.limit.reset();
    changes.push_back("now counted");
  } else if (f.follow.list) {
    drop_figures(m);
    m.group.reset();
    m.series_unit.clear();
    m.count = false;
    m.top = false;
    changes.push_back("now listed");
  } else if (f.top) {
    m.top = true;
    m.ascending = f.ascending;
  }
  if (f.order != Order::none) {
    m.order = f.order;
    if (!f.group && !f.count) {
      m.group.reset();
      m.count = false;
    }
    changes.push_back(f.order == Order::oldest ? "now oldest first" : f.order == Order::updated ? "now most recently updated first" : "now newest first");
  }
  return changes;
}

// Applies the follow-up `f` to `s`; returns what changed in words, or a problem.
std::variant<std::vector<std::string>, std::string> apply(State& s, const Reading& f, const ValueCatalog& catalog, std::int64_t now_ms) {
  // The last answer's documents themselves, whatever it counted or grouped.
  auto as_list = [&] {
    drop_figures(s.reading);
    s.reading.group.reset();
    s.reading.series_unit.clear();
    s.reading.count = false;
  };
  auto changes = merge_query(s.reading, f);
  bool query_changed = !changes.empty();
  const bool was_list = s.plan && s.plan->operation == Operation::list && !query_changed;
  if (query_changed) {
    s.skip = 0;
    s.limit.reset();
  }
  if (f.follow.next_page) {
    if (s.plan && s.plan->operation == Operation::group && !query_changed)
      return "That answer counts " + s.plan->plural + (s.plan->series ? " per " + s.plan->series->unit : " by " + s.plan->group_label) +
             ", it is not a list: say \"list them\" to see the " + s.plan->plural + " themselves.";
    if (!was_list && !query_changed) {
      as_list();  // "show more" after a count: the items counted, first page
      changes.push_back("now listed");
    } else if (was_list) {
      std::int64_t shown = s.plan->limit > kMaxPage ? kDefaultPage : s.plan->limit;
      s.skip = s.plan->skip + s.plan->limit;
      s.limit = std::clamp<std::int64_t>(f.follow.page_size.value_or(shown), 1, kMaxPage);
      changes.push_back("the next " + std::to_string(*s.limit));
    }
  } else if (f.all && (was_list || f.follow.list || (!query_changed && s.plan))) {
    if (!was_list) as_list();
    s.skip = 0;
    s.limit = kMaxListed;
    changes.push_back("all of them");
  } else if (auto first = f.follow.first ? f.follow.first : f.limit; first && !f.group && (was_list || f.follow.list || f.follow.first)) {
    if (!was_list) as_list();
    s.skip = 0;
    s.limit = std::clamp<std::int64_t>(*first, 1, kMaxPage);
    changes.push_back("the first " + std::to_string(*s.limit));
  }
  if (changes.empty()) return std::string("I could not tell what to change in the last answer.");
  auto u = understanding_of(s.reading, catalog, now_ms);
  if (!u.plan) return u.problem.empty() ? std::string("That change cannot be answered.") : u.problem;
  if (u.plan->operation == Operation::list && !u.plan->details) {
    u.plan->skip = s.skip;
    if (s.limit) u.plan->limit = *s.limit;
  }
  s.plan = std::move(u.plan);
  return changes;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? (i + 1 == parts.size() ? " and " : ", ") : "") + parts[i];
  return out;
}

Understanding refused(std::string problem, Understanding from) {
  from.plan.reset();
  from.problem = std::move(problem);
  from.not_understood.clear();
  return from;
}

}  // namespace

Understanding understand_message(std::string_view message, const ValueCatalog& catalog, std::int64_t now_ms, const PlanContext* last,
                                 bool earlier_turns) {
  auto alone = read_question(message, catalog, now_ms);
  const Reading& said = alone.reading;
  bool fragment = said.follow.fragment && said.entity_assumed && !said.display_id && said.said_something();
  bool follow_up = (said.follow.cue && !said.display_id) || (fragment && last);
  // A whole question that only starts like a follow-up ("and how many epics are there?") is a question.
  // So is one whose only cue may as well start a conversation ("show me the urgent ones"), when it
  // does start one: after answers without a plan (the model's) it may mean them.
  if (!last && alone.understanding.plan && (!said.entity_assumed || (!said.follow.strong && !earlier_turns))) follow_up = false;
  if (!follow_up) {
    if (alone.understanding.plan) alone.understanding.context = PlanContext{{{std::string(message), now_ms, {}}}};
    return std::move(alone.understanding);
  }
  const std::string quoted = "\"" + std::string(message) + "\"";
  if (!last)
    return refused(quoted + " reads as a follow-up, but " +
                       (earlier_turns ? std::string("the answer before it was not the built-in planner's, so I have nothing to build it on. ")
                                      : std::string("there is no earlier answer of mine in this conversation to build it on. ")) +
                       "Ask the whole question, e.g. \"how many open work items are there?\"",
                   std::move(alone.understanding));
  if (last->messages.size() >= kMaxFollowUps)
    return refused("This conversation has built on one question " + std::to_string(kMaxFollowUps) + " times: ask the whole question anew.",
                   std::move(alone.understanding));

  // The last plan, rebuilt from its messages.
  auto& first = last->messages.front();
  auto base = read_question(first.text, catalog, first.now_ms);
  if (!first.model_plan.empty()) {
    auto read = reading_from_model_json(first.model_plan, catalog, first.now_ms);
    if (auto* r = std::get_if<Reading>(&read)) base = {understanding_of(*r, catalog, first.now_ms), std::move(*r)};
    else base.understanding.plan.reset();
  }
  if (!base.understanding.plan)
    return refused(quoted + " reads as a follow-up, but the question it would build on (\"" + first.text +
                   "\") cannot be answered any more: ask the whole question.",
                   std::move(alone.understanding));
  State s{std::move(base.reading), std::move(base.understanding.plan), 0, std::nullopt};
  for (std::size_t i = 1; i < last->messages.size(); ++i) {
    auto& m = last->messages[i];
    auto applied = apply(s, QuestionReader(m.text, catalog, m.now_ms, s.reading.entity).read(), catalog, m.now_ms);
    if (std::holds_alternative<std::string>(applied))
      return refused(quoted + " reads as a follow-up, but the answer it would build on cannot be rebuilt: ask the whole question.",
                     std::move(alone.understanding));
  }
  // A thing of another kind named outright ("and the epics?") is a question of its own.
  if (!said.entity_assumed && said.entity != s.reading.entity && alone.understanding.plan) {
    alone.understanding.context = PlanContext{{{std::string(message), now_ms, {}}}};
    return std::move(alone.understanding);
  }

  Reading f = QuestionReader(message, catalog, now_ms, s.reading.entity).read();
  if (!f.problem.empty() || !f.not_understood.empty()) return understanding_of(f, catalog, now_ms);
  auto applied = apply(s, f, catalog, now_ms);
  if (auto* problem = std::get_if<std::string>(&applied))
    return refused(*problem + " (" + quoted + " was read as a follow-up of \"" + first.text + "\".)", understanding_of(s.reading, catalog, now_ms));
  auto u = understanding_of(s.reading, catalog, now_ms);
  u.plan = std::move(s.plan);
  u.follow_up = "Following up on \"" + first.text + "\"" + (last->messages.size() > 1 ? " (and what followed)" : "") + ": " +
                join(std::get<std::vector<std::string>>(applied)) + ".";
  u.context = *last;
  u.context->messages.push_back({std::string(message), now_ms, {}});
  return u;
}

}  // namespace pms::understanding
