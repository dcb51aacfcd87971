#include "server/tenant_token.hpp"

#include "core/base64.hpp"
#include "core/json_util.hpp"

#include <boost/url/parse.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace pms::server {

namespace {
std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

// The (decoded) value of `name` in the query string of `target`, or "".
std::string query_parameter(std::string_view target, std::string_view name) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return {};
  for (auto param : url->params())
    if (param.key == name) return param.value;
  return {};
}
}  // namespace

std::string make_tenant_token(std::string_view secret, std::string_view business_id, std::int64_t expires_unix) {
  auto payload = base64url_encode(dump(json::object{{"business", business_id}, {"exp", expires_unix}}));
  return payload + "." + base64url_encode(hmac_sha256(secret, payload));
}

TenantTokenCheck verify_tenant_token(std::string_view secret, std::string_view token, std::int64_t now_unix) {
  auto dot = token.find('.');
  if (token.empty() || dot == std::string_view::npos) return {std::nullopt, "not a tenant token (payload.signature)"};
  auto payload = token.substr(0, dot);
  auto signature = base64url_decode(token.substr(dot + 1));
  auto expected = hmac_sha256(secret, payload);
  // Compared in constant time, so the signature cannot be guessed byte by byte.
  if (!signature || signature->size() != expected.size() || CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0)
    return {std::nullopt, "the tenant token's signature is not valid"};
  auto text = base64url_decode(payload);
  auto v = text ? try_parse(*text) : std::nullopt;
  if (!v || !v->is_object()) return {std::nullopt, "the tenant token's payload is not JSON"};
  auto business = string_member(v->get_object(), "business");
  auto* exp = v->get_object().if_contains("exp");
  if (!business || business->empty() || !exp || !exp->is_int64())
    return {std::nullopt, "the tenant token needs \"business\" and \"exp\""};
  if (exp->get_int64() <= now_unix) return {std::nullopt, "the tenant token has expired"};
  if (exp->get_int64() - now_unix > kMaxTenantTokenLifetimeS)
    return {std::nullopt, "the tenant token is valid for more than 366 days, longer than any token may be: mint one with a shorter lifetime"};
  return {std::string(*business), {}};
}

TenantPolicy::TenantPolicy(std::string fixed_business, std::string secret)
    : fixed_(std::move(fixed_business)), secret_(std::move(secret)) {}

TenantPolicy::Resolution TenantPolicy::resolve(std::string_view header_token, std::string_view target,
                                               std::int64_t now_unix) const {
  if (!fixed_.empty()) return {true, fixed_, {}};
  if (secret_.empty()) return {};
  std::string from_query = header_token.empty() ? query_parameter(target, "tenant") : std::string();
  std::string_view token = header_token.empty() ? std::string_view(from_query) : header_token;
  if (token.empty())
    return {false, {}, "this server serves several businesses: send a tenant token (X-PMS-Tenant header or ?tenant=)"};
  auto check = verify_tenant_token(secret_, token, now_unix);
  if (!check.business) return {false, {}, check.error};
  return {true, *check.business, {}};
}

}  // namespace pms::server
