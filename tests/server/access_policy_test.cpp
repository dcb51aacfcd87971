#include "server/access_policy.hpp"

#include <gtest/gtest.h>

using pms::server::AccessPolicy;
using pms::server::host_allowed;
using pms::server::is_json_content_type;

TEST(AccessPolicy, SameOriginAndListedOriginsMayChangeState) {
  AccessPolicy p({"http://localhost:5173/"}, "");
  EXPECT_TRUE(p.origin_allowed("", "127.0.0.1:8000"));                       // not a browser
  EXPECT_TRUE(p.origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000"));  // the page's own origin
  EXPECT_TRUE(p.origin_allowed("HTTP://LOCALHOST:5173", "127.0.0.1:8000"));  // listed
  EXPECT_FALSE(p.origin_allowed("https://evil.example", "127.0.0.1:8000"));
  EXPECT_FALSE(p.origin_allowed("http://127.0.0.1:8001", "127.0.0.1:8000"));
  EXPECT_FALSE(p.origin_allowed("null", "127.0.0.1:8000"));
  EXPECT_TRUE(p.cors_allowed("http://localhost:5173"));
  EXPECT_FALSE(p.cors_allowed("http://127.0.0.1:8000"));  // same-origin needs no CORS
  EXPECT_FALSE(p.cors_allowed(""));
  EXPECT_TRUE(AccessPolicy({"*"}, "").origin_allowed("https://anything.example", "x"));
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

TEST(HostAllowlist, LoopbackNamesAndAddressesByDefault) {
  for (auto host : {"localhost", "localhost:8000", "LOCALHOST:8000", "localhost.", "app.localhost:8000", "127.0.0.1",
                    "127.0.0.1:8000", "127.1.2.3:80", "[::1]", "[::1]:8000", "10.0.0.7:8000", "[fe80::1]:8000"})
    EXPECT_TRUE(host_allowed(host, {})) << host;
  for (auto host : {"", "evil.example", "evil.example:8000", "localhost.evil.example", "evillocalhost", "127.0.0.1.evil.example",
                    "localhost:80x", "localhost:", ":8000", "[::1", "[::1]x", "[nothost]:80", "::1", "a:b:c"})
    EXPECT_FALSE(host_allowed(host, {})) << host;
}

TEST(HostAllowlist, ListedNamesAndDomains) {
  std::vector<std::string> listed{"pms.example.com", ".corp.example", "other.example:8443"};
  EXPECT_TRUE(host_allowed("pms.example.com", listed));
  EXPECT_TRUE(host_allowed("PMS.example.com:8000", listed));
  EXPECT_TRUE(host_allowed("corp.example", listed));
  EXPECT_TRUE(host_allowed("a.b.corp.example:80", listed));
  EXPECT_TRUE(host_allowed("other.example:8443", listed));
  EXPECT_FALSE(host_allowed("other.example:8000", listed));
  EXPECT_FALSE(host_allowed("example.com", listed));
  EXPECT_FALSE(host_allowed("evilcorp.example", listed));
  EXPECT_TRUE(host_allowed("anything.example", {"*"}));
}

TEST(AccessPolicy, JsonContentTypes) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(is_json_content_type(" application/json "));
  EXPECT_FALSE(is_json_content_type(""));
  EXPECT_FALSE(is_json_content_type("text/plain"));
  EXPECT_FALSE(is_json_content_type("application/x-www-form-urlencoded"));
  EXPECT_FALSE(is_json_content_type("multipart/form-data; boundary=x"));
  EXPECT_FALSE(is_json_content_type("application/jsonp"));
}

TEST(AccessPolicy, LoggablePathDropsTheQuery) {
  EXPECT_EQ(pms::server::loggable_path("/ws/chat?token=s3cret"), "/ws/chat");
  EXPECT_EQ(pms::server::loggable_path("/api/status"), "/api/status");
}
