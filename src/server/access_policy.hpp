#pragma once
// Who may use the server, from request headers alone: the Host allowlist (against DNS rebinding),
// the Origin allowlist (against cross-site requests and WebSocket hijacking; also CORS), the JSON
// content type state-changing API calls must carry, and the optional bearer token. Pure functions.
#include <string>
#include <string_view>
#include <vector>

namespace pms::server {

class AccessPolicy {
 public:
  // `allowed_origins`: exact origins ("https://pms.example.com"), or "*" for any.
  AccessPolicy(std::vector<std::string> allowed_origins, std::string auth_token);

  // A state-changing request (POST, PUT, PATCH, DELETE, a WebSocket upgrade) may proceed: no
  // Origin (not a browser), the page's own origin (Origin's host:port is the Host header, itself
  // checked by host_allowed), or a listed one. "null" (sandboxed frames, file://) is foreign.
  bool origin_allowed(std::string_view origin, std::string_view host) const;
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

// The Host header names this server. DNS rebinding gives an attacker's page a name of its own
// that resolves to this server, so only names the server is known by are accepted: "localhost"
// and *.localhost (which browsers resolve to loopback themselves), any IP address literal (a
// browser that sent one connected to that address, so a page with that origin is served from
// here: no rebinding), and the names in `allowed_hosts` (--allowed-hosts: "pms.example.com",
// ".example.com" for it and its subdomains; "*" turns the check off). With or without a port.
bool host_allowed(std::string_view host, const std::vector<std::string>& allowed_hosts);

// Content-Type is application/json (parameters such as charset allowed). Browsers send text/plain
// and form types cross-site without a preflight, never this one.
bool is_json_content_type(std::string_view content_type);

// The target without its query string, safe to log (a token may be in the query).
std::string_view loggable_path(std::string_view target);

}  // namespace pms::server
