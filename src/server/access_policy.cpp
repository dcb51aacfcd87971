#include "server/access_policy.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

namespace pms::server {

namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

// Compares without an early exit, so the time taken says nothing about the token.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
  return diff == 0 && !b.empty();
}

bool is_port(std::string_view s) {
  return !s.empty() && s.size() <= 5 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct HostName {
  std::string_view name;  // without brackets, port or a trailing dot
  bool ip_literal = false;
};

// "Example.com:8000" -> "Example.com"; "[::1]:8000" -> "::1" (an IP literal); nullopt if malformed.
std::optional<HostName> parse_host(std::string_view host) {
  HostName out;
  if (host.starts_with('[')) {
    auto close = host.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    auto rest = host.substr(close + 1);
    if (!rest.empty() && !(rest.front() == ':' && is_port(rest.substr(1)))) return std::nullopt;
    out.name = host.substr(1, close - 1);
    boost::system::error_code ec;
    boost::asio::ip::make_address_v6(std::string(out.name), ec);
    if (ec) return std::nullopt;
    out.ip_literal = true;
    return out;
  }
  auto colon = host.find(':');
  if (colon != std::string_view::npos && !is_port(host.substr(colon + 1))) return std::nullopt;
  out.name = host.substr(0, colon);
  if (out.name.ends_with('.')) out.name.remove_suffix(1);
  if (out.name.empty()) return std::nullopt;
  boost::system::error_code ec;
  boost::asio::ip::make_address_v4(std::string(out.name), ec);
  out.ip_literal = !ec;
  return out;
}

}  // namespace

AccessPolicy::AccessPolicy(std::vector<std::string> allowed_origins, std::string auth_token)
    : origins_(std::move(allowed_origins)), token_(std::move(auth_token)) {
  for (auto& o : origins_) {
    while (!o.empty() && o.back() == '/') o.pop_back();
  }
}

bool AccessPolicy::cors_allowed(std::string_view origin) const {
  if (origin.empty()) return false;
  return std::any_of(origins_.begin(), origins_.end(), [&](const std::string& o) { return o == "*" || iequals(o, origin); });
}

bool AccessPolicy::origin_allowed(std::string_view origin, std::string_view host) const {
  if (origin.empty()) return true;
  auto scheme_end = origin.find("://");
  if (scheme_end != std::string_view::npos && !host.empty() && iequals(origin.substr(scheme_end + 3), host)) return true;
  return cors_allowed(origin);
}

bool AccessPolicy::authorized(std::string_view authorization, std::string_view target) const {
  if (token_.empty()) return true;
  constexpr std::string_view bearer = "Bearer ";
  if (authorization.size() > bearer.size() && iequals(authorization.substr(0, bearer.size()), bearer) &&
      same_secret(authorization.substr(bearer.size()), token_))
    return true;
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return false;
  for (auto param : url->params()) {
    if (param.key == "token" && same_secret(param.value, token_)) return true;
  }
  return false;
}

bool host_allowed(std::string_view host, const std::vector<std::string>& allowed_hosts) {
  if (std::find(allowed_hosts.begin(), allowed_hosts.end(), "*") != allowed_hosts.end()) return true;
  auto parsed = parse_host(host);
  if (!parsed) return false;
  auto name = parsed->name;
  if (parsed->ip_literal || iequals(name, "localhost") || iends_with(name, ".localhost")) return true;
  return std::any_of(allowed_hosts.begin(), allowed_hosts.end(), [&](std::string_view allowed) {
    if (allowed.ends_with('.')) allowed.remove_suffix(1);
    if (allowed.starts_with('.')) return iequals(name, allowed.substr(1)) || iends_with(name, allowed);
    return iequals(name, allowed) || iequals(host, allowed);
  });
}

bool is_json_content_type(std::string_view content_type) {
  auto media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  return iequals(media, "application/json");
}

std::string_view loggable_path(std::string_view target) { return target.substr(0, target.find('?')); }

}  // namespace pms::server
