#include "store/query/regex.hpp"

#include "store/query/query_error.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

namespace pms::store {

namespace {

// PCRE's extended mode (option x): unescaped white space and #-comments outside character
// classes are not part of the pattern. RE2 has no such flag, so they are removed here.
std::string without_extended_spacing(std::string_view p) {
  std::string out;
  bool in_class = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      out += c;
      out += p[++i];
    } else if (in_class) {
      if (c == ']') in_class = false;
      out += c;
    } else if (c == '[') {
      in_class = true;
      out += c;
      if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];  // []...] holds a ]
    } else if (c == '#') {
      while (i + 1 < p.size() && p[i + 1] != '\n') ++i;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      out += c;
    }
  }
  return out;
}

// What a pattern RE2 refused uses that a linear-time engine cannot offer, if anything.
std::string_view unsupported_feature(std::string_view p) {
  for (std::size_t i = 0; i + 1 < p.size(); ++i) {
    if (p[i] == '\\') {
      if (std::isdigit(static_cast<unsigned char>(p[i + 1])) && p[i + 1] != '0') return "backreferences such as \\1";
      if (p[i + 1] == 'k') return "named backreferences (\\k<name>)";
      ++i;
    } else if (p.substr(i).starts_with("(?=") || p.substr(i).starts_with("(?!") || p.substr(i).starts_with("(?<=") ||
               p.substr(i).starts_with("(?<!")) {
      return "lookahead and lookbehind ((?=...), (?!...), (?<=...), (?<!...))";
    } else if (p.substr(i).starts_with("(?>") || p.substr(i).starts_with("*+") || p.substr(i).starts_with("++")) {
      return "atomic groups and possessive quantifiers";
    }
  }
  return {};
}

}  // namespace

Regex Regex::compile(std::string_view pattern, std::string_view options, std::string_view op) {
  std::string shown(truncate_utf8(pattern, 80));
  if (pattern.size() > kMaxPatternBytes)
    throw_query_error(std::string(op) + " pattern is " + std::to_string(pattern.size()) + " bytes long; at most " +
                      std::to_string(kMaxPatternBytes) + " are allowed");
  RE2::Options o;
  o.set_log_errors(false);
  o.set_never_capture(true);
  o.set_max_mem(kMaxProgramBytes);
  std::string flags;
  bool extended = false;
  for (char c : options) {
    switch (c) {
      case 'i': o.set_case_sensitive(false); break;
      case 'm': flags += 'm'; break;  // ^ and $ at every line
      case 's': o.set_dot_nl(true); break;
      case 'x': extended = true; break;
      case 'u': break;  // always Unicode (UTF-8)
      default: throw_query_error(std::string("unsupported ") + std::string(op) + " option '" + c + "' (use i, m, s or x)");
    }
  }
  std::string text = extended ? without_extended_spacing(pattern) : std::string(pattern);
  if (!flags.empty()) text = "(?" + flags + ")" + text;
  auto re = std::make_shared<const RE2>(text, o);
  if (re->error_code() == RE2::ErrorPatternTooLarge || (re->ok() && re->ProgramSize() > kMaxInstructions))
    throw_query_error(std::string(op) + " pattern '" + shown + "' is too complex to evaluate: simplify its repetitions");
  if (!re->ok()) {
    if (auto feature = unsupported_feature(pattern); !feature.empty())
      throw_query_error(std::string(op) + " pattern '" + shown + "' uses " + std::string(feature) +
                        ", which this server does not support: regular expressions run in linear time (RE2); "
                        "match the text more loosely or use $in with the alternatives");
    throw_query_error("invalid " + std::string(op) + " pattern '" + shown + "': " + re->error());
  }
  Regex r;
  r.instructions_ = static_cast<std::size_t>(std::max(1, re->ProgramSize()));
  r.re_ = std::move(re);
  r.shown_ = std::move(shown);
  return r;
}

bool Regex::search(std::string_view text, QueryBudget& budget) const {
  if (text.size() > kMaxSearchWork / instructions_)
    throw_query_error("a value of " + std::to_string(text.size()) + " bytes is too long to test against the pattern '" + shown_ +
                      "' (at most " + std::to_string(kMaxSearchWork / instructions_) +
                      " bytes for it): use a simpler pattern or match a shorter field");
  // Charged before the search, by its worst case: one search is not interrupted.
  budget.spend(1 + text.size() * instructions_ / 256);
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

}  // namespace pms::store
