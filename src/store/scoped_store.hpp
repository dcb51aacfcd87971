#pragma once
// A view of a store that only shows part of it, whatever a query says: one tenant's documents
// (`business._id` in the PMS model), one project's, or both stacked. The scope is added by
// rewriting, so it holds for any backend: it is ANDed with every filter, put first in every
// pipeline, and put first in the pipeline of every $lookup (also inside $facet and nested
// lookups), each with the scope of the collection it reads, so a join cannot leave the view.
#include "store/document_store.hpp"

#include <functional>
#include <optional>
#include <string>

namespace pms::store {

// The filter a collection's documents must meet to be in the view ({}: all of them).
using ScopeRule = std::function<json::object(std::string_view collection)>;

// Every collection: documents whose `tenant_field` equals `tenant_id`.
ScopeRule tenant_scope(std::string tenant_field, std::string tenant_id);
// One project, by the schema's references: the project itself by `_id`, everything else by the
// project it references (`project._id`). A collection whose documents reference no project has
// nothing in the view.
ScopeRule project_scope(json::value project_id);

class ScopedStore : public DocumentStore {
 public:
  ScopedStore(DocumentStore& inner, ScopeRule rule);

  std::string backend() const override { return inner_.backend(); }
  std::string database_name() const override { return inner_.database_name(); }
  std::string location() const override { return inner_.location(); }

  // Counts are the view's own.
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
  json::value scoped_filter(std::string_view collection, const json::value& filter) const;
  json::array scoped_pipeline(std::string_view collection, const json::value& pipeline) const;

 private:
  DocumentStore& inner_;
  ScopeRule rule_;
};

// The store as one tenant sees it: the whole store without a tenant, else a ScopedStore over it.
// The one place a tenant's view is built: the routes, the agent's tools, the prompt's samples and
// the value catalog all take their store from one of these. Holds the view while it lives; not
// copied or moved (return it as a prvalue).
class TenantView {
 public:
  TenantView(DocumentStore& whole, const std::string& tenant_field, const std::string& tenant);
  TenantView(const TenantView&) = delete;
  TenantView& operator=(const TenantView&) = delete;

  DocumentStore& store() { return scoped_ ? *scoped_ : whole_; }

 private:
  DocumentStore& whole_;
  std::optional<ScopedStore> scoped_;
};

}  // namespace pms::store
