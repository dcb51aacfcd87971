#include "store/tenant_scoped_store.hpp"

#include "store/query/pipeline_rewrite.hpp"
#include "store/query/query_error.hpp"

namespace pms::store {

TenantScopedStore::TenantScopedStore(DocumentStore& inner, std::string tenant_field, std::string tenant_id)
    : inner_(inner), scope_{{tenant_field, tenant_id}} {}

TenantView::TenantView(DocumentStore& whole, const std::string& tenant_field, const std::string& tenant) : whole_(whole) {
  if (!tenant.empty()) scoped_.emplace(whole, tenant_field, tenant);
}

json::value TenantScopedStore::scoped_filter(const json::value& filter) const {
  if (filter.is_null() || (filter.is_object() && filter.get_object().empty())) return scope_;
  if (!filter.is_object()) throw_query_error("a filter must be a JSON object, got " + dump(filter));
  return json::object{{"$and", json::array{scope_, filter}}};
}

json::array TenantScopedStore::scoped_pipeline(const json::value& pipeline) const {
  json::array out{json::object{{"$match", scope_}}};
  auto stages = rewrite_pipeline(pipeline, [&](std::string_view name, json::value arg) -> json::value {
    if (name == "$lookup" && arg.is_object()) {
      // The joined collection is scoped too: the scope goes first in the lookup's own pipeline.
      json::array inner{json::object{{"$match", scope_}}};
      if (auto* p = arg.get_object().if_contains("pipeline"); p && p->is_array())
        for (auto& s : p->get_array()) inner.push_back(s);
      arg.get_object()["pipeline"] = std::move(inner);
    } else if (name == "$unionWith" || name == "$graphLookup") {
      throw_query_error(std::string(name) + " is not supported; use $lookup");
    }
    return json::object{{name, std::move(arg)}};
  });
  for (auto& s : stages) out.push_back(std::move(s));
  return out;
}

std::vector<CollectionInfo> TenantScopedStore::list_collections() {
  auto all = inner_.list_collections();
  for (auto& c : all) c.count = inner_.count(c.name, scope_);
  return all;
}

std::vector<json::value> TenantScopedStore::find(const FindRequest& req, const CancelToken* cancel) {
  FindRequest scoped = req;
  scoped.filter = scoped_filter(req.filter);
  return inner_.find(scoped, cancel);
}

std::int64_t TenantScopedStore::count(std::string_view collection, const json::value& filter, const CancelToken* cancel) {
  return inner_.count(collection, scoped_filter(filter), cancel);
}

std::vector<json::value> TenantScopedStore::distinct(std::string_view collection, std::string_view field,
                                                     const json::value& filter, const CancelToken* cancel) {
  return inner_.distinct(collection, field, scoped_filter(filter), cancel);
}

std::vector<json::value> TenantScopedStore::aggregate(std::string_view collection, const json::value& pipeline,
                                                      const CancelToken* cancel) {
  return inner_.aggregate(collection, scoped_pipeline(pipeline), cancel);
}

std::vector<json::value> TenantScopedStore::sample(std::string_view collection, std::size_t n) {
  return inner_.find({std::string(collection), scope_, nullptr, nullptr, 0, static_cast<std::int64_t>(n)});
}

}  // namespace pms::store
