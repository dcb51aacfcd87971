#include "core/json_util.hpp"

#include <gtest/gtest.h>

using namespace pms;

TEST(JsonUtil, TruncateNeverSplitsAUtf8Sequence) {
  std::string s = "ab\xC3\xA9";  // "abé"
  EXPECT_EQ(truncate_utf8(s, 3), "ab");
  EXPECT_EQ(truncate_utf8(s, 4), s);
  EXPECT_EQ(truncate_utf8(s, 10), s);
}

TEST(JsonUtil, SanitizeReplacesInvalidBytes) {
  EXPECT_EQ(sanitize_utf8("ok\xFFok"), "ok\xEF\xBF\xBDok");
  EXPECT_EQ(sanitize_utf8("\xC3\xA9"), "\xC3\xA9");
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
}

TEST(JsonUtil, TryParseReportsErrors) {
  std::string err;
  EXPECT_FALSE(try_parse("{bad", &err));
  EXPECT_FALSE(err.empty());
  EXPECT_EQ(try_parse(R"({"a":1})")->at("a"), 1);
}
