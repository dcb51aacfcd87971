#include "understanding/time_phrase.hpp"

#include "core/time_util.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <chrono>

namespace pms::understanding {

namespace {

using namespace std::chrono;
constexpr std::int64_t kDayMs = 86'400'000;

std::int64_t ms_of(sys_days d) { return duration_cast<milliseconds>(d.time_since_epoch()).count(); }
sys_days day_of(std::int64_t ms) { return floor<days>(sys_time<milliseconds>(milliseconds(ms))); }

std::optional<unsigned> month_word(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kMonths = {"january", "february", "march", "april", "may", "june", "july",
                                                               "august", "september", "october", "november", "december"};
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (w == kMonths[i]) return i + 1;
    if (w.size() >= 3 && w.size() < kMonths[i].size() && kMonths[i].starts_with(w) && (w.size() == 3 || w == "sept")) return i + 1;
  }
  return std::nullopt;
}

std::optional<weekday> weekday_word(std::string_view w) {
  static constexpr std::array<std::string_view, 7> names{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
  for (unsigned k = 0; k < names.size(); ++k)
    if (w == names[k]) return weekday(k);
  return std::nullopt;
}

// "q1" .. "q4": the quarter's number.
std::optional<unsigned> quarter_word(std::string_view w) {
  if (w.size() == 2 && w[0] == 'q' && w[1] >= '1' && w[1] <= '4') return static_cast<unsigned>(w[1] - '0');
  return std::nullopt;
}

enum class Unit { day, week, month, quarter, year };

std::optional<Unit> unit_word(std::string_view w) {
  if (w == "day" || w == "days") return Unit::day;
  if (w == "week" || w == "weeks" || w == "wk" || w == "wks") return Unit::week;
  if (w == "month" || w == "months") return Unit::month;
  if (w == "quarter" || w == "quarters") return Unit::quarter;
  if (w == "year" || w == "years") return Unit::year;
  return std::nullopt;
}

struct Span {
  sys_days from, to;
};

// The calendar unit containing `today` moved by `offset` units.
Span calendar_unit(Unit unit, sys_days today, int offset) {
  switch (unit) {
    case Unit::day: return {today + days(offset), today + days(offset + 1)};
    case Unit::week: {
      sys_days monday = today - (weekday(today) - Monday);
      return {monday + weeks(offset), monday + weeks(offset + 1)};
    }
    case Unit::month: {
      year_month ym = year_month_day(today).year() / year_month_day(today).month();
      ym += months(offset);
      return {sys_days(ym / 1), sys_days((ym + months(1)) / 1)};
    }
    case Unit::quarter: {
      auto ymd = year_month_day(today);
      year_month ym = ymd.year() / month((static_cast<unsigned>(ymd.month()) - 1) / 3 * 3 + 1);
      ym += months(3 * offset);
      return {sys_days(ym / 1), sys_days((ym + months(3)) / 1)};
    }
    case Unit::year: {
      auto y = year_month_day(today).year() + years(offset);
      return {sys_days(y / January / 1), sys_days((y + years(1)) / January / 1)};
    }
  }
  return {today, today};
}

sys_days back(Unit unit, sys_days today, int n) {
  switch (unit) {
    case Unit::day: return today - days(n);
    case Unit::week: return today - days(7 * n);
    case Unit::month: return sys_days(year_month_day(today) - months(n));
    case Unit::quarter: return sys_days(year_month_day(today) - months(3 * n));
    case Unit::year: return sys_days(year_month_day(today) - years(n));
  }
  return today;
}

// A point in time named at words[at]: an ISO date ("2026 03 01" once normalized: three number
// words typed with '-'), "March [2026]", "March 5[, 2026]". Sets `took` to the words used and
// returns the span of the named day or month.
std::optional<Span> read_point(std::span<const Word> w, std::size_t at, sys_days today, bool ahead, std::size_t& took) {
  auto is_digits = [](const std::string& s, std::size_t lo, std::size_t hi) {
    return s.size() >= lo && s.size() <= hi && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (at + 2 < w.size() && is_digits(w[at].text, 4, 4) && is_digits(w[at + 1].text, 1, 2) && is_digits(w[at + 2].text, 1, 2)) {
    auto ymd = year(std::stoi(w[at].text)) / month(static_cast<unsigned>(std::stoi(w[at + 1].text))) /
               day(static_cast<unsigned>(std::stoi(w[at + 2].text)));
    if (!ymd.ok()) return std::nullopt;
    took = 3;
    return Span{sys_days(ymd), sys_days(ymd) + days(1)};
  }
  if (at >= w.size()) return std::nullopt;
  if (auto wd = weekday_word(w[at].text)) {
    // The most recent such day, today included ("since Monday" on a Monday is today).
    took = 1;
    sys_days d = today - (weekday(today) - *wd);
    return Span{d, d + days(1)};
  }
  if (auto q = quarter_word(w[at].text)) {
    // "Q3 [2025]"; without a year the most recent one that has begun.
    took = 1;
    auto y = year_month_day(today).year();
    if (at + 1 < w.size() && is_digits(w[at + 1].text, 4, 4)) {
      y = year(std::stoi(w[at + 1].text));
      took = 2;
    } else if (sys_days(y / month(*q * 3 - 2) / 1) > today) {
      y -= years(1);
    }
    year_month first = y / month(*q * 3 - 2);
    return Span{sys_days(first / 1), sys_days((first + months(3)) / 1)};
  }
  auto m = month_word(w[at].text);
  if (!m) return std::nullopt;
  took = 1;
  auto today_ymd = year_month_day(today);
  std::optional<unsigned> d;
  if (at + 1 < w.size() && is_digits(w[at + 1].text, 1, 2)) {
    d = static_cast<unsigned>(std::stoi(w[at + 1].text));
    took = 2;
  } else if (at + 1 < w.size() && w[at + 1].text.size() > 2 && is_digits(w[at + 1].text.substr(0, w[at + 1].text.size() - 2), 1, 2) &&
             (w[at + 1].text.ends_with("st") || w[at + 1].text.ends_with("nd") || w[at + 1].text.ends_with("rd") ||
              w[at + 1].text.ends_with("th"))) {
    d = static_cast<unsigned>(std::stoi(w[at + 1].text));  // "5th"
    took = 2;
  }
  std::optional<year> y;
  if (at + took < w.size() && is_digits(w[at + took].text, 4, 4)) {
    y = year(std::stoi(w[at + took].text));
    ++took;
  }
  if (!y) {
    // Without a year: the most recent such month (or day) not after today; looking ahead (a due
    // date), the next one not before this month (or today).
    y = today_ymd.year();
    if (!ahead) {
      auto candidate = d ? sys_days(*y / month(*m) / day(*d)) : sys_days(*y / month(*m) / 1);
      if (candidate > today) y = *y - years(1);
    } else {
      auto end = d ? sys_days(*y / month(*m) / day(*d)) + days(1) : sys_days((*y / month(*m) + months(1)) / 1);
      if (end <= today) y = *y + years(1);
    }
  }
  if (d) {
    auto ymd = *y / month(*m) / day(*d);
    if (!ymd.ok()) return std::nullopt;
    return Span{sys_days(ymd), sys_days(ymd) + days(1)};
  }
  year_month ym = *y / month(*m);
  return Span{sys_days(ym / 1), sys_days((ym + months(1)) / 1)};
}

// A year at words[at] ("2025"), as the span of it.
std::optional<Span> read_year(std::span<const Word> w, std::size_t at, std::size_t& took) {
  if (at >= w.size() || w[at].text.size() != 4 || w[at].text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  int y = std::stoi(w[at].text);
  if (y < 1970 || y > 2100) return std::nullopt;
  // Not the start of a date that did not parse ("2026-02-30").
  if (at + 1 < w.size() && !w[at + 1].text.empty() && std::isdigit(static_cast<unsigned char>(w[at + 1].text[0]))) return std::nullopt;
  took = 1;
  return Span{sys_days(year(y) / January / 1), sys_days(year(y + 1) / January / 1)};
}

TimeRange range(std::optional<sys_days> from, std::optional<sys_days> to, std::string phrase) {
  TimeRange r;
  if (from) r.from_ms = ms_of(*from);
  if (to) r.to_ms = ms_of(*to);
  std::string dates;
  if (from && to) {
    dates = *to - *from == days(1) ? "on " + format_day(*r.from_ms)
                                   : format_day(*r.from_ms) + " to " + format_day(*r.to_ms - kDayMs);
  } else if (from) {
    dates = "since " + format_day(*r.from_ms);
  } else if (to) {
    dates = "before " + format_day(*r.to_ms);
  }
  r.text = phrase + " (" + dates + ")";
  return r;
}

std::string join_words(std::span<const Word> w, std::size_t at, std::size_t n) {
  std::string s;
  for (std::size_t i = at; i < at + n && i < w.size(); ++i) s += (s.empty() ? "" : " ") + w[i].text;
  return s;
}

}  // namespace

std::string format_day(std::int64_t ms) { return format_iso8601_ms(ms).value_or("?").substr(0, 10); }

std::optional<TimePhrase> read_time_phrase(std::span<const Word> w, std::size_t at, std::int64_t now_ms, bool ahead) {
  if (at >= w.size()) return std::nullopt;
  const sys_days today = day_of(now_ms);
  const std::string& first = w[at].text;
  auto next = [&](std::size_t k) -> std::string_view { return at + k < w.size() ? std::string_view(w[at + k].text) : ""; };
  auto done = [&](TimeRange r, std::size_t n) { return TimePhrase{std::move(r), n}; };

  if (first == "today") return done(range(today, today + days(1), "today"), 1);
  if (first == "yesterday") return done(range(today - days(1), today, "yesterday"), 1);
  if (first == "tomorrow") return done(range(today + days(1), today + days(2), "tomorrow"), 1);

  // this|last|next|previous|current <unit>; last|past|previous <n> <units>
  int offset = first == "this" || first == "current" ? 0 : first == "last" || first == "previous" ? -1 : first == "next" ? 1 : 2;
  if (offset != 2) {
    if (auto unit = unit_word(next(1)); unit && !next(1).ends_with("s")) {
      auto s = calendar_unit(*unit, today, offset);
      return done(range(s.from, s.to, join_words(w, at, 2)), 2);
    }
  }
  // "last Monday": the most recent one before today; "this Monday": today or before.
  if (auto wd = weekday_word(next(1)); wd && (first == "last" || first == "previous" || first == "this")) {
    sys_days d = today - (weekday(today) - *wd);
    if (first != "this" && d == today) d -= weeks(1);
    return done(range(d, d + days(1), join_words(w, at, 2)), 2);
  }
  if (first == "last" || first == "past" || first == "previous") {
    if (auto n = number_word(next(1)); n && *n > 0) {
      if (auto unit = unit_word(next(2))) return done(range(back(*unit, today, *n), std::nullopt, join_words(w, at, 3)), 3);
    }
    if (auto unit = unit_word(next(1)); unit && first == "past")  // "past week": the last 7 days
      return done(range(back(*unit, today, 1), std::nullopt, join_words(w, at, 2)), 2);
  }
  // <n> <units> ago
  if (auto n = number_word(first); n && at + 2 < w.size() && next(2) == "ago") {
    if (auto unit = unit_word(next(1))) {
      auto s = back(*unit, today, *n);
      return done(range(s, *unit == Unit::day ? std::optional(s + days(1)) : std::optional(today), join_words(w, at, 3)), 3);
    }
  }
  // since|after|before|until|in|during|on <point>
  static constexpr std::array<std::string_view, 9> kPrepositions = {"since", "after", "before", "until", "till", "in", "during", "on", "from"};
  for (auto prep : kPrepositions) {
    if (first != prep) continue;
    std::size_t took = 0;
    auto point = read_point(w, at + 1, today, ahead, took);
    if (!point) point = read_year(w, at + 1, took);  // "in 2025", "since 2024": only after a preposition
    if (!point) return std::nullopt;
    auto phrase = join_words(w, at, took + 1);
    if (prep == "since" || prep == "from") return done(range(point->from, std::nullopt, phrase), took + 1);
    if (prep == "after") return done(range(point->to, std::nullopt, phrase), took + 1);
    if (prep == "before") return done(range(std::nullopt, point->from, phrase), took + 1);
    if (prep == "until" || prep == "till") return done(range(std::nullopt, point->to, phrase), took + 1);
    return done(range(point->from, point->to, phrase), took + 1);
  }
  // A bare month or date: "created March 2026", "opened 2026-11-20"
  std::size_t took = 0;
  if (auto point = read_point(w, at, today, ahead, took); point && (w[at].text != "may" || took > 1))
    return done(range(point->from, point->to, join_words(w, at, took)), took);
  return std::nullopt;
}

}  // namespace pms::understanding
