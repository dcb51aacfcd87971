#pragma once
// Signed tenant tokens bind a connection to one business: the PMS that embeds the chat signs
// "this user belongs to business X until T" with a secret it shares with pms-assistant.
//   token   = base64url(payload) "." base64url(HMAC-SHA256(secret, base64url(payload)))
//   payload = {"business": "<id>", "exp": <unix seconds>}
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pms::server {

// The longest a token may be valid for: one whose "exp" lies further than this after the moment it
// is checked is refused, so a leaked token cannot work forever (`pms-data tenant-token --hours`
// allows at most as much).
inline constexpr std::int64_t kMaxTenantTokenLifetimeS = 366 * 24 * 3600;

std::string make_tenant_token(std::string_view secret, std::string_view business_id, std::int64_t expires_unix);

struct TenantTokenCheck {
  std::optional<std::string> business;  // set when the token is valid
  std::string error;                    // why not, otherwise
};
TenantTokenCheck verify_tenant_token(std::string_view secret, std::string_view token, std::int64_t now_unix);

// Which business a request may see. With neither a fixed business nor a secret, every request
// sees the whole database (a single-tenant install with one business, or none configured).
class TenantPolicy {
 public:
  TenantPolicy(std::string fixed_business, std::string secret);

  bool scoped() const { return !fixed_.empty() || !secret_.empty(); }

  struct Resolution {
    bool allowed = true;
    std::string business;  // empty: unscoped
    std::string error;     // why not allowed
  };
  // `token`: the X-PMS-Tenant header, or the `tenant` query parameter of `target`.
  Resolution resolve(std::string_view header_token, std::string_view target, std::int64_t now_unix) const;

 private:
  std::string fixed_;
  std::string secret_;
};

}  // namespace pms::server
