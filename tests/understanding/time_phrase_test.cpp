#include "understanding/time_phrase.hpp"

#include "core/time_util.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::understanding;

namespace {

// The range a phrase starting the text resolves to, as "from..to" days ("" when open).
std::string resolve(std::string_view text, std::string_view now) {
  auto words = split_words(text);
  auto t = read_time_phrase(words, 0, *parse_iso8601_ms(now));
  if (!t) return "none";
  std::string out = (t->range.from_ms ? format_day(*t->range.from_ms) : "") + ".." + (t->range.to_ms ? format_day(*t->range.to_ms) : "");
  if (t->words != words.size()) out += " (" + std::to_string(t->words) + " words)";
  return out;
}

constexpr const char* kFriday = "2026-11-20T12:00:00Z";

}  // namespace

TEST(TimePhrase, DaysWeeksMonthsAroundNow) {
  EXPECT_EQ(resolve("today", kFriday), "2026-11-20..2026-11-21");
  EXPECT_EQ(resolve("yesterday", kFriday), "2026-11-19..2026-11-20");
  EXPECT_EQ(resolve("this week", kFriday), "2026-11-16..2026-11-23") << "weeks start on Monday";
  EXPECT_EQ(resolve("last week", kFriday), "2026-11-09..2026-11-16");
  EXPECT_EQ(resolve("next week", kFriday), "2026-11-23..2026-11-30");
  EXPECT_EQ(resolve("this month", kFriday), "2026-11-01..2026-12-01");
  EXPECT_EQ(resolve("last month", "2026-01-15T00:00:00Z"), "2025-12-01..2026-01-01");
  EXPECT_EQ(resolve("last year", kFriday), "2025-01-01..2026-01-01");
  EXPECT_EQ(resolve("this week", "2026-11-22T23:59:00Z"), "2026-11-16..2026-11-23") << "Sunday is the week's last day";
  EXPECT_EQ(resolve("this week", "2026-11-23T00:00:00Z"), "2026-11-23..2026-11-30");
}

TEST(TimePhrase, SpansBackFromToday) {
  EXPECT_EQ(resolve("last 7 days", kFriday), "2026-11-13..");
  EXPECT_EQ(resolve("past two weeks", kFriday), "2026-11-06..");
  EXPECT_EQ(resolve("past week", kFriday), "2026-11-13..");
  EXPECT_EQ(resolve("last 3 months", kFriday), "2026-08-20..");
  EXPECT_EQ(resolve("3 days ago", kFriday), "2026-11-17..2026-11-18");
}

TEST(TimePhrase, NamedMonthsAndDates) {
  EXPECT_EQ(resolve("since march", kFriday), "2026-03-01..");
  EXPECT_EQ(resolve("since december", kFriday), "2025-12-01..") << "the most recent December";
  EXPECT_EQ(resolve("in oct", kFriday), "2026-10-01..2026-11-01");
  EXPECT_EQ(resolve("in march 2025", kFriday), "2025-03-01..2025-04-01");
  EXPECT_EQ(resolve("before 2026-03-01", kFriday), "..2026-03-01");
  EXPECT_EQ(resolve("after march 5", kFriday), "2026-03-06..");
  EXPECT_EQ(resolve("on 2026-11-02", kFriday), "2026-11-02..2026-11-03");
  EXPECT_EQ(resolve("until nov 3rd", kFriday), "..2026-11-04");
  EXPECT_EQ(resolve("in may", kFriday), "2026-05-01..2026-06-01");
  EXPECT_EQ(resolve("in 2025", kFriday), "2025-01-01..2026-01-01");
  EXPECT_EQ(resolve("since 2024", kFriday), "2024-01-01..");
  EXPECT_EQ(resolve("before 2026", kFriday), "..2026-01-01");
}

TEST(TimePhrase, WhatIsNotATime) {
  EXPECT_EQ(resolve("may", kFriday), "none") << "a bare 'may' is the verb";
  EXPECT_EQ(resolve("in project", kFriday), "none");
  EXPECT_EQ(resolve("last sprint", kFriday), "none");
  EXPECT_EQ(resolve("on 2026-02-30", kFriday), "none");
  EXPECT_EQ(resolve("this", kFriday), "none");
  EXPECT_EQ(resolve("2025", kFriday), "none") << "a bare number may be anything";
  EXPECT_EQ(resolve("in 12", kFriday), "none");
}

TEST(TimePhrase, WeekdaysAndQuarters) {
  EXPECT_EQ(resolve("since monday", kFriday), "2026-11-16..") << "this week's Monday";
  EXPECT_EQ(resolve("on friday", kFriday), "2026-11-20..2026-11-21") << "today is one";
  EXPECT_EQ(resolve("last friday", kFriday), "2026-11-13..2026-11-14") << "the one before today";
  EXPECT_EQ(resolve("last tuesday", kFriday), "2026-11-17..2026-11-18");
  EXPECT_EQ(resolve("in q3", kFriday), "2026-07-01..2026-10-01");
  EXPECT_EQ(resolve("in q4", kFriday), "2026-10-01..2027-01-01") << "the current quarter has begun";
  EXPECT_EQ(resolve("q1 2025", kFriday), "2025-01-01..2025-04-01");
  EXPECT_EQ(resolve("in q4", "2026-03-01T12:00:00Z"), "2025-10-01..2026-01-01") << "the most recent Q4";
  EXPECT_EQ(resolve("last quarter", kFriday), "2026-07-01..2026-10-01");
  EXPECT_EQ(resolve("this quarter", kFriday), "2026-10-01..2027-01-01");
}

TEST(TimePhrase, DueDatesLookAhead) {
  auto ahead = [](std::string_view text) {
    auto words = split_words(text);
    auto t = read_time_phrase(words, 0, *parse_iso8601_ms(kFriday), true);
    return t && t->range.from_ms ? format_day(*t->range.from_ms) : std::string("none");
  };
  EXPECT_EQ(resolve("in december", kFriday), "2025-12-01..2026-01-01") << "created: the most recent December";
  EXPECT_EQ(ahead("in december"), "2026-12-01") << "due: the next one";
  EXPECT_EQ(ahead("in november"), "2026-11-01") << "this month has not ended";
  EXPECT_EQ(ahead("on march 3"), "2027-03-03");
}
