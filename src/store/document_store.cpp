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

ScanningDocumentStore::Deadline ScanningDocumentStore::start(const CancelToken* cancel) const {
  throw_if_cancelled(cancel);
  return std::chrono::steady_clock::now() + max_time();
}

std::function<bool(json::value&&)> ScanningDocumentStore::guarded(Deadline deadline, const std::function<bool(json::value&&)>& visit) const {
  return [this, deadline, &visit, rows = std::size_t{0}](json::value&& d) mutable {
    if ((++rows & 255) == 0 && std::chrono::steady_clock::now() > deadline) {
      throw QueryTimeout("the query ran longer than " + std::to_string(max_time().count()) +
                         " ms (the server's --query-timeout) and was stopped: narrow the filter or ask for fewer documents");
    }
    redact(d);
    return visit(std::move(d));
  };
}

void ScanningDocumentStore::scan_until(Deadline deadline, std::string_view collection, const json::value& filter,
                                       const CancelToken* cancel, const std::function<bool(json::value&&)>& visit) {
  scan_candidates(collection, filter, cancel, guarded(deadline, visit));
}

std::vector<json::value> ScanningDocumentStore::find(const FindRequest& req, const CancelToken* cancel) {
  auto until = start(cancel);
  Filter filter = Filter::compile(req.filter);
  Projection projection = Projection::compile(req.projection);
  SortSpec sort = SortSpec::compile(req.sort);
  if (req.skip < 0 || req.limit < 0) throw_query_error("skip and limit must not be negative");
  auto skip = static_cast<std::size_t>(req.skip);
  auto limit = static_cast<std::size_t>(req.limit);

  std::vector<json::value> docs;
  // Read in the order wanted (storage order, or the sort's along an index), stop once skip + limit matched.
  std::size_t matched = 0;
  std::function<bool(json::value&&)> in_order = [&](json::value&& d) {
    if (!filter.matches(d)) return true;
    if (matched++ >= skip) docs.push_back(std::move(d));
    return limit == 0 || docs.size() < limit;
  };
  if (sort.empty()) {
    scan_until(until, req.collection, req.filter, cancel, in_order);
  } else if (limit == 0 || !scan_sorted(req.collection, req.filter, req.sort, skip + limit, cancel, guarded(until, in_order))) {
    scan_until(until, req.collection, req.filter, cancel, [&](json::value&& d) {
      if (filter.matches(d)) docs.push_back(std::move(d));
      return true;
    });
    sort.sort(docs, limit ? skip + limit : 0);
    docs.erase(docs.begin(), docs.begin() + static_cast<std::ptrdiff_t>(std::min(skip, docs.size())));
    if (limit && docs.size() > limit) docs.resize(limit);
  }
  if (!projection.is_identity()) {
    for (auto& d : docs) d = projection.apply(d);
  }
  return docs;
}

std::int64_t ScanningDocumentStore::count(std::string_view collection, const json::value& filter_spec, const CancelToken* cancel) {
  auto until = start(cancel);
  Filter filter = Filter::compile(filter_spec);
  if (auto n = exact_count(collection, filter_spec)) return *n;
  std::int64_t n = 0;
  scan_until(until, collection, filter_spec, cancel, [&](json::value&& d) {
    if (filter.matches(d)) ++n;
    return true;
  });
  return n;
}

std::vector<json::value> ScanningDocumentStore::distinct(std::string_view collection, std::string_view field,
                                                         const json::value& filter_spec, const CancelToken* cancel) {
  auto until = start(cancel);
  Filter filter = Filter::compile(filter_spec);
  FieldPath path(field);
  std::set<json::value, ValueLess> values;
  std::vector<const json::value*> cands;
  scan_until(until, collection, filter_spec, cancel, [&](json::value&& d) {
    if (!filter.matches(d)) return true;
    cands.clear();
    path.collect(d, cands);
    for (auto* c : cands) {
      if (!c) continue;
      if (auto* arr = c->if_array()) {
        for (auto& el : *arr) values.insert(el);
      } else {
        values.insert(*c);
      }
    }
    return true;
  });
  return {values.begin(), values.end()};
}

std::vector<json::value> ScanningDocumentStore::aggregate(std::string_view collection, const json::value& pipeline_spec,
                                                          const CancelToken* cancel) {
  auto until = start(cancel);
  Pipeline pipeline = Pipeline::compile(pipeline_spec);
  CollectionReader reader = [&](std::string_view from) {
    std::vector<json::value> all;
    scan_until(until, from, nullptr, cancel, [&](json::value&& d) {
      all.push_back(std::move(d));
      return true;
    });
    return all;
  };
  // A counting $group an index answers: its groups are made without reading a document.
  if (auto group = match_group_count(pipeline_spec)) {
    if (auto counts = group_counts(collection, group->match, group->path)) {
      std::vector<json::value> groups;
      for (auto& [key, n] : *counts) groups.push_back(group->group_document(key, n));
      Pipeline rest = Pipeline::compile(group->rest);
      if (auto* f = rest.leading_filter()) std::erase_if(groups, [&](auto& g) { return !f->matches(g); });
      return rest.run(std::move(groups), reader, cancel);
    }
  }
  std::vector<json::value> docs;
  const Filter* first = pipeline.leading_filter();
  json::value first_spec = first ? pipeline_spec.get_array().front().get_object().at("$match") : json::value();
  // Stop reading at the $limit that follows (the stages still run: on the documents kept, they change nothing).
  auto up_to = [&](std::optional<std::size_t> limit) -> std::function<bool(json::value&&)> {
    return [&docs, first, limit](json::value&& d) {
      if (!first || first->matches(d)) docs.push_back(std::move(d));
      return !limit || docs.size() < *limit;
    };
  };
  auto sorted = pipeline.leading_sorted_limit();
  auto sorted_visit = sorted ? up_to(sorted->limit) : nullptr;
  if (!sorted || !scan_sorted(collection, first_spec, sorted->sort, sorted->limit, cancel, guarded(until, sorted_visit)))
    scan_until(until, collection, first_spec, cancel, up_to(pipeline.leading_limit()));
  return pipeline.run(std::move(docs), reader, cancel);
}

}  // namespace pms::store
