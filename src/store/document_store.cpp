#include "store/document_store.hpp"

#include "store/query/field_path.hpp"
#include "store/query/filter.hpp"
#include "store/query/group_count.hpp"
#include "store/query/pipeline.hpp"
#include "store/query/projection.hpp"
#include "store/query/query_error.hpp"
#include "store/query/sort_spec.hpp"
#include "store/query/value_compare.hpp"

#include <set>

namespace pms::store {

namespace {
void remove_fields(json::value& v, const std::vector<std::string>& names) {
  if (auto* o = v.if_object()) {
    for (auto& name : names) o->erase(name);
    for (auto& kv : *o) remove_fields(kv.value(), names);
  } else if (auto* a = v.if_array()) {
    for (auto& x : *a) remove_fields(x, names);
  }
}
}  // namespace

void DocumentStore::redact(json::value& doc) const {
  if (!redacted_.empty()) remove_fields(doc, redacted_);
}

std::vector<ValueCount> DocumentStore::value_counts(std::string_view collection, std::string_view field,
                                                   std::size_t limit, const CancelToken* cancel) {
  // Grouping by (document, value) first makes a value repeated in one document's array count once.
  json::array pipeline{
      json::object{{"$project", json::object{{"v", "$" + std::string(field)}}}},
      json::object{{"$unwind", "$v"}},
      json::object{{"$match", json::object{{"v", json::object{{"$gte", ""}}}}}},  // type bracketing: strings only
      json::object{{"$group", json::object{{"_id", json::object{{"d", "$_id"}, {"v", "$v"}}}}}},
      json::object{{"$group", json::object{{"_id", "$_id.v"}, {"n", json::object{{"$sum", 1}}}}}},
      json::object{{"$sort", json::object{{"n", -1}, {"_id", 1}}}},
      json::object{{"$limit", static_cast<std::int64_t>(limit)}}};
  std::vector<ValueCount> out;
  for (auto& row : aggregate(collection, pipeline, cancel)) {
    auto& o = row.get_object();
    out.push_back({o.at("_id"), o.at("n").to_number<std::int64_t>()});
  }
  return out;
}

std::optional<std::pair<std::string, std::string>> DocumentStore::string_range(std::string_view collection, std::string_view field,
                                                                              const CancelToken* cancel) {
  std::optional<std::string> ends[2];
  for (int i = 0; i < 2; ++i) {
    std::string path(field);
    FindRequest req{std::string(collection), json::object{{path, json::object{{"$ne", nullptr}}}}, json::object{{path, 1}},
                    json::object{{path, i == 0 ? 1 : -1}}, 0, 1};
    auto docs = find(req, cancel);
    if (docs.empty()) return std::nullopt;
    auto* v = FieldPath(field).lookup(docs.front());
    if (!v || !v->is_string()) return std::nullopt;
    ends[i] = std::string(v->get_string());
  }
  return std::pair{*ends[0], *ends[1]};
}

std::function<bool(json::value&&)> ScanningDocumentStore::redacting(const std::function<bool(json::value&&)>& visit) const {
  return [this, &visit](json::value&& d) {
    redact(d);
    return visit(std::move(d));
  };
}

void ScanningDocumentStore::read(QueryBudget& budget, std::string_view collection, const json::value& filter,
                                 const std::function<bool(json::value&&)>& visit) {
  scan_candidates(collection, filter, budget, redacting(visit));
}

std::vector<json::value> ScanningDocumentStore::find(const FindRequest& req, const CancelToken* cancel) {
  auto budget = query_budget(cancel);
  Filter filter = Filter::compile(req.filter);
  Projection projection = Projection::compile(req.projection);
  SortSpec sort = SortSpec::compile(req.sort);
  if (req.skip < 0 || req.limit < 0) throw_query_error("skip and limit must not be negative");
  auto skip = static_cast<std::size_t>(req.skip);
  auto limit = static_cast<std::size_t>(req.limit);

  std::vector<json::value> docs;
  auto keep = [&](json::value&& d) {
    budget.hold(footprint(d));
    docs.push_back(std::move(d));
  };
  // Read in the order wanted (storage order, or the sort's along an index), stop once skip + limit matched.
  std::size_t matched = 0;
  std::function<bool(json::value&&)> in_order = [&](json::value&& d) {
    if (!filter.matches(d, budget)) return true;
    if (matched++ >= skip) keep(std::move(d));
    return limit == 0 || docs.size() < limit;
  };
  if (sort.empty()) {
    read(budget, req.collection, req.filter, in_order);
  } else if (limit == 0 || !scan_sorted(req.collection, req.filter, req.sort, skip + limit, budget, redacting(in_order))) {
    // Every match is read and sorted; with a limit, only the first skip + limit so far are kept
    // whenever twice as many are held.
    auto wanted = limit ? skip + limit : 0;
    read(budget, req.collection, req.filter, [&](json::value&& d) {
      if (!filter.matches(d, budget)) return true;
      keep(std::move(d));
      if (wanted && docs.size() >= 2 * wanted + 1024) {
        budget.spend(docs.size());
        sort.sort(docs, wanted);
        std::size_t held = 0;
        for (auto& x : docs) held += footprint(x);
        budget.set_held(held);
      }
      return true;
    });
    budget.spend(docs.size());
    sort.sort(docs, wanted);
    docs.erase(docs.begin(), docs.begin() + static_cast<std::ptrdiff_t>(std::min(skip, docs.size())));
    if (limit && docs.size() > limit) docs.resize(limit);
  }
  if (!projection.is_identity()) {
    for (auto& d : docs) d = projection.apply(d);
  }
  return docs;
}

std::int64_t ScanningDocumentStore::count(std::string_view collection, const json::value& filter_spec, const CancelToken* cancel) {
  auto budget = query_budget(cancel);
  Filter filter = Filter::compile(filter_spec);
  if (auto n = exact_count(collection, filter_spec, budget)) return *n;
  std::int64_t n = 0;
  read(budget, collection, filter_spec, [&](json::value&& d) {
    if (filter.matches(d, budget)) ++n;
    return true;
  });
  return n;
}

std::vector<json::value> ScanningDocumentStore::distinct(std::string_view collection, std::string_view field,
                                                         const json::value& filter_spec, const CancelToken* cancel) {
  auto budget = query_budget(cancel);
  Filter filter = Filter::compile(filter_spec);
  if (auto indexed = distinct_from_index(collection, field, filter_spec, budget)) return std::move(*indexed);
  FieldPath path(field);
  std::set<json::value, ValueLess> values;
  std::vector<const json::value*> cands;
  auto add = [&](const json::value& v) {
    budget.spend();
    if (values.insert(v).second) budget.hold(footprint(v) + 32);  // and the set's node
  };
  read(budget, collection, filter_spec, [&](json::value&& d) {
    if (!filter.matches(d, budget)) return true;
    cands.clear();
    path.collect(d, cands);
    for (auto* c : cands) {
      if (!c) continue;
      if (auto* arr = c->if_array()) {
        for (auto& el : *arr) add(el);
      } else {
        add(*c);
      }
    }
    return true;
  });
  return {values.begin(), values.end()};
}

std::vector<json::value> ScanningDocumentStore::aggregate(std::string_view collection, const json::value& pipeline_spec,
                                                          const CancelToken* cancel) {
  auto budget = query_budget(cancel);
  Pipeline pipeline = Pipeline::compile(pipeline_spec);
  CollectionReader reader = [&](std::string_view from) {
    std::vector<json::value> all;
    read(budget, from, nullptr, [&](json::value&& d) {
      budget.hold(footprint(d));
      all.push_back(std::move(d));
      return true;
    });
    return all;
  };
  // A counting $group an index answers: its groups are made without reading a document.
  if (auto group = match_group_count(pipeline_spec)) {
    if (auto counts = group_counts(collection, group->match, group->path, budget)) {
      std::vector<json::value> groups;
      for (auto& [key, n] : *counts) groups.push_back(group->group_document(key, n));
      Pipeline rest = Pipeline::compile(group->rest);
      if (auto* f = rest.leading_filter()) std::erase_if(groups, [&](auto& g) { return !f->matches(g, budget); });
      return rest.run(std::move(groups), reader, budget);
    }
  }
  const Filter* first = pipeline.leading_filter();
  json::value first_spec = first ? pipeline_spec.get_array().front().get_object().at("$match") : json::value();
  // Read in the order of a leading $sort along an index when one gives it, and stop at the $limit
  // that follows (the stages still run: on the documents kept, they change nothing).
  Pipeline::DocumentSource source = [&](const std::function<bool(json::value&&)>& take) {
    std::size_t taken = 0;
    auto up_to = [&](std::optional<std::size_t> limit) -> std::function<bool(json::value&&)> {
      return [&, limit](json::value&& d) {
        if (first && !first->matches(d, budget)) return true;
        return take(std::move(d)) && (!limit || ++taken < *limit);
      };
    };
    auto sorted = pipeline.leading_sorted_limit();
    if (!sorted || !scan_sorted(collection, first_spec, sorted->sort, sorted->limit, budget, redacting(up_to(sorted->limit))))
      read(budget, collection, first_spec, up_to(pipeline.leading_limit()));
  };
  return pipeline.run(source, reader, budget);
}

}  // namespace pms::store
