#include "mcp/tenant_session.hpp"

#include "core/time_util.hpp"

namespace pms::mcp {

TenantSession::TenantSession(store::DocumentStore& whole, const std::string& tenant_field, std::string tenant,
                             const tools::ToolRegistry& tools, CatalogSource catalog, SessionOptions options)
    : tenant_(std::move(tenant)),
      view_(whole, tenant_field, tenant_),
      toolbox_(ToolboxServices{tools, view_.store(), [catalog = std::move(catalog), t = tenant_] { return catalog(t); },
                               [] { return unix_now() * 1000; }}),
      session_(toolbox_, options) {}

}  // namespace pms::mcp
