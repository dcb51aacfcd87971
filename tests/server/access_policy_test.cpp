#include "server/access_policy.hpp"

#include <gtest/gtest.h>

using pms::server::AccessPolicy;

TEST(AccessPolicy, SameOriginAndListedOriginsMayUpgrade) {
  AccessPolicy p({"http://localhost:5173/"}, "");
  EXPECT_TRUE(p.upgrade_allowed("", "127.0.0.1:8000"));                       // not a browser
  EXPECT_TRUE(p.upgrade_allowed("http://127.0.0.1:8000", "127.0.0.1:8000"));  // the page's own origin
  EXPECT_TRUE(p.upgrade_allowed("HTTP://LOCALHOST:5173", "127.0.0.1:8000"));  // listed
  EXPECT_FALSE(p.upgrade_allowed("https://evil.example", "127.0.0.1:8000"));
  EXPECT_FALSE(p.upgrade_allowed("http://127.0.0.1:8001", "127.0.0.1:8000"));
  EXPECT_TRUE(p.cors_allowed("http://localhost:5173"));
  EXPECT_FALSE(p.cors_allowed("http://127.0.0.1:8000"));  // same-origin needs no CORS
  EXPECT_FALSE(p.cors_allowed(""));
  EXPECT_TRUE(AccessPolicy({"*"}, "").upgrade_allowed("https://anything.example", "x"));
}

TEST(AccessPolicy, TokenFromHeaderOrQuery) {
  AccessPolicy open({}, "");
  EXPECT_FALSE(open.requires_token());
  EXPECT_TRUE(open.authorized("", "/api/status"));
  AccessPolicy p({}, "s3cret");
  EXPECT_TRUE(p.requires_token());
  EXPECT_TRUE(p.authorized("Bearer s3cret", "/api/status"));
  EXPECT_TRUE(p.authorized("bearer s3cret", "/api/status"));
  EXPECT_TRUE(p.authorized("", "/ws/chat?token=s3cret"));
  EXPECT_TRUE(p.authorized("", "/ws/chat?x=1&token=s3cr%65t"));
  EXPECT_FALSE(p.authorized("", "/ws/chat"));
  EXPECT_FALSE(p.authorized("Bearer s3cre", "/api/status"));
  EXPECT_FALSE(p.authorized("Bearer s3cret2", "/api/status"));
  EXPECT_FALSE(p.authorized("Basic s3cret", "/api/status"));
  EXPECT_FALSE(p.authorized("", "/ws/chat?token="));
}

TEST(AccessPolicy, LoggablePathDropsTheQuery) {
  EXPECT_EQ(pms::server::loggable_path("/ws/chat?token=s3cret"), "/ws/chat");
  EXPECT_EQ(pms::server::loggable_path("/api/status"), "/api/status");
}
