#include "server/tenant_token.hpp"

#include "core/base64.hpp"

#include <gtest/gtest.h>

#include <limits>

using namespace pms;
using namespace pms::server;

namespace {

constexpr std::int64_t kNow = 1'800'000'000;

TEST(TenantToken, ASignedTokenNamesItsBusinessUntilItExpires) {
  auto token = make_tenant_token("s3cret", "b-1", kNow + 60);
  EXPECT_EQ(verify_tenant_token("s3cret", token, kNow).business.value_or(""), "b-1");
  auto expired = verify_tenant_token("s3cret", token, kNow + 60);
  EXPECT_FALSE(expired.business);
  EXPECT_NE(expired.error.find("expired"), std::string::npos);
}

// A token valid for ever (exp = INT64_MAX) would work for ever once leaked: lifetimes are capped.
TEST(TenantToken, LifetimesAreCappedAt366Days) {
  auto longest = make_tenant_token("s3cret", "b-1", kNow + kMaxTenantTokenLifetimeS);
  EXPECT_EQ(verify_tenant_token("s3cret", longest, kNow).business.value_or(""), "b-1");
  for (std::int64_t exp : {kNow + kMaxTenantTokenLifetimeS + 1, std::numeric_limits<std::int64_t>::max()}) {
    auto check = verify_tenant_token("s3cret", make_tenant_token("s3cret", "b-1", exp), kNow);
    EXPECT_FALSE(check.business) << exp;
    EXPECT_NE(check.error.find("more than 366 days"), std::string::npos) << check.error;
  }
  // The cap counts from when the token is used: the same token is good once that is near enough.
  auto later = make_tenant_token("s3cret", "b-1", kNow + 2 * kMaxTenantTokenLifetimeS);
  EXPECT_FALSE(verify_tenant_token("s3cret", later, kNow).business);
  EXPECT_TRUE(verify_tenant_token("s3cret", later, kNow + kMaxTenantTokenLifetimeS).business);
}

TEST(TenantToken, ForgedTokensAreRefused) {
  auto token = make_tenant_token("s3cret", "b-1", kNow + 60);
  EXPECT_FALSE(verify_tenant_token("other", token, kNow).business);  // another secret
  // Another business in the payload, the old signature kept.
  auto forged_payload = base64url_encode(R"({"business":"b-2","exp":1900000000})");
  auto forged = forged_payload + token.substr(token.find('.'));
  auto check = verify_tenant_token("s3cret", forged, kNow);
  EXPECT_FALSE(check.business);
  EXPECT_NE(check.error.find("signature"), std::string::npos);
  // Signed correctly but not what a token must say.
  auto unsigned_payload = base64url_encode(R"({"exp":1900000000})");
  EXPECT_FALSE(verify_tenant_token("s3cret", unsigned_payload + "." + token.substr(token.find('.') + 1), kNow).business);
  for (std::string_view junk : {"", ".", "abc", "a.b", "a.b.c", "!!!.???"}) EXPECT_FALSE(verify_tenant_token("s3cret", junk, kNow).business) << junk;
}

TEST(TenantPolicy, FixedBusinessTokensOrNothing) {
  EXPECT_FALSE(TenantPolicy("", "").scoped());
  auto open = TenantPolicy("", "").resolve("", "/ws/chat", kNow);
  EXPECT_TRUE(open.allowed);
  EXPECT_EQ(open.business, "");

  TenantPolicy fixed("b-1", "");
  EXPECT_EQ(fixed.resolve("", "/ws/chat", kNow).business, "b-1");

  TenantPolicy signed_("", "s3cret");
  auto none = signed_.resolve("", "/ws/chat", kNow);
  EXPECT_FALSE(none.allowed);
  EXPECT_NE(none.error.find("tenant token"), std::string::npos);
  auto token = make_tenant_token("s3cret", "b-2", kNow + 60);
  EXPECT_EQ(signed_.resolve(token, "/api/overview", kNow).business, "b-2");                      // header
  EXPECT_EQ(signed_.resolve("", "/ws/chat?token=x&tenant=" + token, kNow).business, "b-2");      // query
  EXPECT_FALSE(signed_.resolve("", "/ws/chat?xtenant=" + token, kNow).allowed);
  EXPECT_FALSE(signed_.resolve("garbage", "/ws/chat?tenant=" + token, kNow).allowed);  // the header wins
}

}  // namespace
