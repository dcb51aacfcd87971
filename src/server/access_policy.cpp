#include "server/access_policy.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

namespace pms::server {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); });
}

// Compares without an early exit, so the time taken says nothing about the token.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
  return diff == 0 && !b.empty();
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

bool AccessPolicy::upgrade_allowed(std::string_view origin, std::string_view host) const {
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

std::string_view loggable_path(std::string_view target) { return target.substr(0, target.find('?')); }

}  // namespace pms::server
