#pragma once
// One tenant's view of a store: every query is restricted to the documents whose tenant field
// (`business._id` in the PMS model) equals the tenant's id, whatever the query says. The scope is
// added by rewriting, so it holds for any backend: it is ANDed with every filter, put first in
// every pipeline, and put first in the pipeline of every $lookup (also inside $facet and nested
// lookups), so a join cannot reach another tenant's documents either.
#include "store/document_store.hpp"

#include <optional>
#include <string>

namespace pms::store {

class TenantScopedStore : public DocumentStore {
 public:
  TenantScopedStore(DocumentStore& inner, std::string tenant_field, std::string tenant_id);

  std::string backend() const override { return inner_.backend(); }
  std::string database_name() const override { return inner_.database_name(); }
  std::string location() const override { return inner_.location(); }

  // Counts are the tenant's own.
  std::vector<CollectionInfo> list_collections() override;
  bool has_collection(std::string_view name) override { return inner_.has_collection(name); }

  std::vector<json::value> find(const FindRequest& req, const CancelToken* cancel = nullptr) override;
  std::int64_t count(std::string_view collection, const json::value& filter, const CancelToken* cancel = nullptr) override;
  std::vector<json::value> distinct(std::string_view collection, std::string_view field, const json::value& filter,
                                    const CancelToken* cancel = nullptr) override;
  std::vector<json::value> aggregate(std::string_view collection, const json::value& pipeline,
                                     const CancelToken* cancel = nullptr) override;
  std::vector<json::value> sample(std::string_view collection, std::size_t n) override;

  // The rewrites, for tests and for backends that want to see them.
  json::value scoped_filter(const json::value& filter) const;
  json::array scoped_pipeline(const json::value& pipeline) const;

 private:
  DocumentStore& inner_;
  json::object scope_;  // {"<tenant_field>": "<tenant_id>"}
};

// The store as one tenant sees it: the whole store without a tenant, else a TenantScopedStore
// over it. The one place a tenant's view is built: the routes, the agent's tools, the prompt's
// samples and the value catalog all take their store from one of these. Holds the view while it
// lives; not copied or moved (return it as a prvalue).
class TenantView {
 public:
  TenantView(DocumentStore& whole, const std::string& tenant_field, const std::string& tenant);
  TenantView(const TenantView&) = delete;
  TenantView& operator=(const TenantView&) = delete;

  DocumentStore& store() { return scoped_ ? *scoped_ : whole_; }

 private:
  DocumentStore& whole_;
  std::optional<TenantScopedStore> scoped_;
};

}  // namespace pms::store
