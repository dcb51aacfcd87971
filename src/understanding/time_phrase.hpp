#pragma once
// Relative and absolute time expressions in questions, resolved against the current time (UTC):
// "today", "yesterday", "this/last/next week|month|quarter|year" (weeks start on Monday), "last 7
// days", "past two weeks", "3 days ago", "since March", "in March 2026", "before 2026-03-01",
// "after May 5", "on 2026-11-20", "since Monday", "last Friday", "in Q3", "Q1 2026". Every range is [from, to) in milliseconds since 1970.
#include "understanding/text_match.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace pms::understanding {

struct TimeRange {
  std::optional<std::int64_t> from_ms, to_ms;
  std::string text;  // the phrase with its resolved dates: "this week (since 2026-11-23)"
};

struct TimePhrase {
  TimeRange range;
  std::size_t words = 0;  // how many words, from the start position, the phrase took
};

// Reads a time expression starting at words[at]; nullopt if there is none there. A month or day
// without a year is the most recent one, or with `ahead` (due dates) the next one.
std::optional<TimePhrase> read_time_phrase(std::span<const Word> words, std::size_t at, std::int64_t now_ms, bool ahead = false);

// "2026-11-23" for a time in milliseconds since 1970.
std::string format_day(std::int64_t ms);

}  // namespace pms::understanding
