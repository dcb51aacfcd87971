#include "core/time_util.hpp"

#include <gtest/gtest.h>

using namespace pms;

TEST(TimeUtil, FormatsIso8601UtcWithMilliseconds) {
  auto t = parse_iso8601("2025-11-08T07:33:16.175Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_iso8601(*t), "2025-11-08T07:33:16.175Z");
}

TEST(TimeUtil, ParsesDatesOffsetsAndRejectsGarbage) {
  EXPECT_EQ(format_iso8601(*parse_iso8601("2025-11-01")), "2025-11-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(*parse_iso8601("2025-11-01T10:00:00+02:00")), "2025-11-01T08:00:00.000Z");
  EXPECT_EQ(format_iso8601(*parse_iso8601("2025-11-01T10:00")), "2025-11-01T10:00:00.000Z");
  EXPECT_FALSE(parse_iso8601("2025-13-01"));
  EXPECT_FALSE(parse_iso8601("yesterday"));
  EXPECT_FALSE(parse_iso8601("2025-11-01Tx"));
}

TEST(TimeUtil, NowLooksLikeATimestamp) {
  auto s = now_iso8601();
  EXPECT_EQ(s.size(), 24u);
  EXPECT_EQ(s.back(), 'Z');
}
