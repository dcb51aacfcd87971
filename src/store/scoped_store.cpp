#include "store/scoped_store.hpp"

#include "store/query/pipeline_rewrite.hpp"
#include "store/query/query_error.hpp"

namespace pms::store {

ScopeRule tenant_scope(std::string tenant_field, std::string tenant_id) {
  return [scope = json::object{{tenant_field, tenant_id}}](std::string_view) { return scope; };
}

ScopeRule project_scope(json::value project_id) {
  return [own = json::object{{"_id", project_id}}, referenced = json::object{{"project._id", project_id}}](
             std::string_view collection) { return collection == "project" ? own : referenced; };
}

ScopedStore::ScopedStore(DocumentStore& inner, ScopeRule rule) : inner_(inner), rule_(std::move(rule)) {}

TenantView::TenantView(DocumentStore& whole, const std::string& tenant_field, const std::string& tenant) : whole_(whole) {
  if (!tenant.empty()) scoped_.emplace(whole, tenant_scope(tenant_field, tenant));
}

json::value ScopedStore::scoped_filter(std::string_view collection, const json::value& filter) const {
  json::object scope = rule_(collection);
  if (filter.is_null() || (filter.is_object() && filter.get_object().empty())) return scope;
  if (!filter.is_object()) throw_query_error("a filter must be a JSON object, got " + dump(filter));
  if (scope.empty()) return filter;
  return json::object{{"$and", json::array{std::move(scope), filter}}};
}

json::array ScopedStore::scoped_pipeline(std::string_view collection, const json::value& pipeline) const {
  json::array out;
  if (auto scope = rule_(collection); !scope.empty()) out.push_back(json::object{{"$match", std::move(scope)}});
  auto stages = rewrite_pipeline(pipeline, [&](std::string_view name, json::value arg) -> json::value {
    if (name == "$lookup" && arg.is_object()) {
      // The joined collection is scoped by its own rule: the scope goes first in the lookup's pipeline.
      auto& lookup = arg.get_object();
      auto* from = lookup.if_contains("from");
      if (!from || !from->is_string()) throw_query_error("$lookup needs \"from\": the name of a collection");
      json::array inner;
      if (auto scope = rule_(from->get_string()); !scope.empty()) inner.push_back(json::object{{"$match", std::move(scope)}});
      if (auto* p = lookup.if_contains("pipeline"); p && p->is_array())
        for (auto& s : p->get_array()) inner.push_back(s);
      lookup["pipeline"] = std::move(inner);
    } else if (name == "$unionWith" || name == "$graphLookup") {
      throw_query_error(std::string(name) + " is not supported; use $lookup");
    }
    return json::object{{name, std::move(arg)}};
  });
  for (auto& s : stages) out.push_back(std::move(s));
  return out;
}

std::vector<CollectionInfo> ScopedStore::list_collections() {
  auto all = inner_.list_collections();
  for (auto& c : all) c.count = inner_.count(c.name, rule_(c.name));
  return all;
}

std::vector<json::value> ScopedStore::find(const FindRequest& req, const CancelToken* cancel) {
  FindRequest scoped = req;
  scoped.filter = scoped_filter(req.collection, req.filter);
  return inner_.find(scoped, cancel);
}

std::int64_t ScopedStore::count(std::string_view collection, const json::value& filter, const CancelToken* cancel) {
  return inner_.count(collection, scoped_filter(collection, filter), cancel);
}

std::vector<json::value> ScopedStore::distinct(std::string_view collection, std::string_view field, const json::value& filter,
                                               const CancelToken* cancel) {
  return inner_.distinct(collection, field, scoped_filter(collection, filter), cancel);
}

std::vector<json::value> ScopedStore::aggregate(std::string_view collection, const json::value& pipeline,
                                                const CancelToken* cancel) {
  return inner_.aggregate(collection, scoped_pipeline(collection, pipeline), cancel);
}

std::vector<json::value> ScopedStore::sample(std::string_view collection, std::size_t n) {
  return inner_.find({std::string(collection), rule_(collection), nullptr, nullptr, 0, static_cast<std::int64_t>(n)});
}

}  // namespace pms::store
