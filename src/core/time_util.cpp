#include "core/time_util.hpp"

#include <charconv>
#include <limits>
#include <cstdio>

namespace pms {

namespace {
std::string format_ms(std::chrono::sys_time<std::chrono::milliseconds> ms) {
  using namespace std::chrono;
  auto days = floor<std::chrono::days>(ms);
  year_month_day ymd{days};
  hh_mm_ss hms{ms - days};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld.%03ldZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                long(hms.minutes().count()), long(hms.seconds().count()),
                long(hms.subseconds().count()));
  return buf;
}
}  // namespace

std::string format_iso8601(SystemTime t) { return format_ms(std::chrono::time_point_cast<std::chrono::milliseconds>(t)); }

std::optional<std::string> format_iso8601_ms(std::int64_t ms_since_epoch) {
  // 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z.
  if (ms_since_epoch < -62167219200000 || ms_since_epoch > 253402300799999) return std::nullopt;
  return format_ms(std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms_since_epoch)));
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string now_iso8601() { return format_iso8601(std::chrono::system_clock::now()); }

namespace {
bool read_int(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return ec == std::errc{} && p == s.data() + pos + len;
}
}  // namespace

std::optional<std::int64_t> parse_iso8601_ms(std::string_view s) {
  using namespace std::chrono;
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  if (!read_int(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !read_int(s, 5, 2, mo) ||
      s[7] != '-' || !read_int(s, 8, 2, d))
    return std::nullopt;
  std::size_t pos = 10;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    if (!read_int(s, pos + 1, 2, h) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !read_int(s, pos + 4, 2, mi))
      return std::nullopt;
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!read_int(s, pos + 1, 2, sec)) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        std::size_t digits_start = ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        std::string frac(s.substr(digits_start, pos - digits_start));
        if (frac.empty()) return std::nullopt;
        frac.resize(3, '0');
        ms = std::stoi(frac);
      }
    }
  }
  int offset_minutes = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' && pos + 1 == s.size()) {
      ++pos;
    } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
      int oh, om;
      if (!read_int(s, pos + 1, 2, oh) || !read_int(s, pos + 4, 2, om)) return std::nullopt;
      offset_minutes = (s[pos] == '+' ? 1 : -1) * (oh * 60 + om);
      pos = s.size();
    } else {
      return std::nullopt;
    }
  }
  year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  auto t = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + milliseconds{ms} - minutes{offset_minutes};
  return t.time_since_epoch().count();
}

std::optional<SystemTime> parse_iso8601(std::string_view s) {
  auto ms = parse_iso8601_ms(s);
  // SystemTime counts nanoseconds in 64 bits: about the years 1678 to 2262.
  constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / 1'000'000;
  if (!ms || *ms <= -limit || *ms >= limit) return std::nullopt;
  return SystemTime(std::chrono::milliseconds(*ms));
}

double elapsed_ms(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

}  // namespace pms
