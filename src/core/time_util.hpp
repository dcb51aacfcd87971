#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace pms {

using SystemTime = std::chrono::system_clock::time_point;
using SteadyClock = std::chrono::steady_clock;

// ISO-8601 UTC with milliseconds: "2025-11-08T07:33:16.175Z".
std::string format_iso8601(SystemTime t);
std::string now_iso8601();

// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" with an optional "Z" or "+hh:mm" offset.
std::optional<SystemTime> parse_iso8601(std::string_view text);

// Milliseconds elapsed since `start` as a double.
double elapsed_ms(SteadyClock::time_point start);

}  // namespace pms
