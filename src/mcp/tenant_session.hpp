#pragma once
// An MCP session bound to one tenant: its view of the store (every query scoped to the tenant's
// documents), the toolbox over that view and the tenant's value catalog, and the session. What
// either transport serves: stdio one for the process, Streamable HTTP one per Mcp-Session-Id.
#include "mcp/session.hpp"
#include "store/scoped_store.hpp"

#include <functional>
#include <memory>
#include <string>

namespace pms::mcp {

using CatalogSource = std::function<std::shared_ptr<const understanding::ValueCatalog>(const std::string& tenant)>;

class TenantSession {
 public:
  // `tenant` empty: the whole store. `catalog` gives a tenant's value catalog (blocking).
  TenantSession(store::DocumentStore& whole, const std::string& tenant_field, std::string tenant, const tools::ToolRegistry& tools,
                CatalogSource catalog, SessionOptions options = {});
  TenantSession(const TenantSession&) = delete;
  TenantSession& operator=(const TenantSession&) = delete;

  Session& session() { return session_; }
  const std::string& tenant() const { return tenant_; }
  store::DocumentStore& store() { return view_.store(); }

 private:
  std::string tenant_;
  store::TenantView view_;
  Toolbox toolbox_;
  Session session_;
};

}  // namespace pms::mcp
