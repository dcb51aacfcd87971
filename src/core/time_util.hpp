#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pms {

using SystemTime = std::chrono::system_clock::time_point;
using SteadyClock = std::chrono::steady_clock;

// ISO-8601 UTC with milliseconds: "2025-11-08T07:33:16.175Z".
std::string format_iso8601(SystemTime t);
// The same for a count of milliseconds since 1970 (a BSON date), for years 0 to 9999; nullopt
// outside them (a SystemTime reaches only 1678 to 2262).
std::optional<std::string> format_iso8601_ms(std::int64_t ms_since_epoch);
std::string now_iso8601();
// Seconds since 1970 now.
std::int64_t unix_now();

// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" with an optional "Z" or "+hh:mm" offset.
// nullopt for text that is not such a date, or a date outside SystemTime's range.
std::optional<SystemTime> parse_iso8601(std::string_view text);
// The same as milliseconds since 1970, for any year 0000-9999 (a BSON date's range and more).
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);

// Milliseconds elapsed since `start` as a double.
double elapsed_ms(SteadyClock::time_point start);

}  // namespace pms
