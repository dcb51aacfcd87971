#pragma once
// Who may use the API and the chat socket: the Origin allowlist (against cross-site WebSocket
// hijacking and for CORS) and the optional bearer token. Pure functions of request headers.
#include <string>
#include <string_view>
#include <vector>

namespace pms::server {

class AccessPolicy {
 public:
  // `allowed_origins`: exact origins ("https://pms.example.com"), or "*" for any.
  AccessPolicy(std::vector<std::string> allowed_origins, std::string auth_token);

  // A WebSocket upgrade may proceed: no Origin (not a browser), the page's own origin (Origin
  // matches Host), or a listed one.
  bool upgrade_allowed(std::string_view origin, std::string_view host) const;
  // Cross-origin API calls get CORS headers only for listed origins.
  bool cors_allowed(std::string_view origin) const;
  // With a token configured, requests need "Authorization: Bearer <token>" or, for browsers'
  // WebSockets (which cannot set headers), "?token=<token>" in the target.
  bool authorized(std::string_view authorization, std::string_view target) const;
  bool requires_token() const { return !token_.empty(); }

 private:
  std::vector<std::string> origins_;
  std::string token_;
};

// The target without its query string, safe to log (a token may be in the query).
std::string_view loggable_path(std::string_view target);

}  // namespace pms::server
