#include "llm/endpoint.hpp"

#include <gtest/gtest.h>

using namespace pms::llm;

TEST(Endpoint, ParsesHostsPortsAndPaths) {
  auto a = parse_endpoint("http://localhost:11434");
  EXPECT_FALSE(a.tls);
  EXPECT_EQ(a.host, "localhost");
  EXPECT_EQ(a.port, "11434");
  EXPECT_EQ(a.base_path, "");
  auto b = parse_endpoint("https://api.example.com/v1/");
  EXPECT_TRUE(b.tls);
  EXPECT_EQ(b.port, "443");
  EXPECT_EQ(b.base_path, "/v1");
  auto c = parse_endpoint("http://[::1]:8080/v1");
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.url(), "http://[::1]:8080/v1");
  EXPECT_THROW(parse_endpoint("localhost:11434"), std::invalid_argument);
  EXPECT_THROW(parse_endpoint("ftp://x"), std::invalid_argument);
}
