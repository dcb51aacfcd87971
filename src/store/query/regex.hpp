#pragma once
// MongoDB regular expressions ($regex with $options i, m, s, x; $regexMatch) evaluated with RE2.
// Why RE2 and not a backtracking engine with a step limit: RE2 runs in time linear in the text for
// every pattern, so no pattern can make a query spin ((a+)+$ on 40 characters takes a backtracking
// engine minutes; a step limit would still let each such search burn its whole allowance on every
// value). The price is that RE2 has no backreferences (\1) and no lookaround ((?=...), (?<!...));
// patterns using them are refused when the query is compiled, before any document is read, as are
// patterns over kMaxPatternBytes and ones whose compiled program exceeds kMaxProgramBytes or
// kMaxInstructions. Linear is not cheap for every pattern: when RE2's DFA gives up ([a-q][^u-z]{20}x
// on text without a match) it simulates the program at ~2 ns per instruction and byte, and one
// search cannot be interrupted; so one search may cover at most kMaxSearchWork instruction-bytes
// (about half a second): a value longer than that for the pattern is a QueryError, not a stall.
// A pattern is compiled once per query; searching is thread-safe.
#include "store/query/query_budget.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace re2 { class RE2; }

namespace pms::store {

class Regex {
 public:
  static constexpr std::size_t kMaxPatternBytes = 1024;
  static constexpr std::int64_t kMaxProgramBytes = 8 << 20;  // RE2's max_mem: program and DFA cache
  static constexpr int kMaxInstructions = 5000;
  static constexpr std::size_t kMaxSearchWork = 250'000'000;  // text bytes x program instructions

  // Throws QueryError naming the pattern's problem; `op` names the operator in messages.
  static Regex compile(std::string_view pattern, std::string_view options, std::string_view op = "$regex");

  // Whether the pattern matches somewhere in `text`; the search is charged to `budget` by its
  // worst-case cost. QueryError when `text` is too long for the pattern (see kMaxSearchWork).
  bool search(std::string_view text, QueryBudget& budget) const;

 private:
  std::shared_ptr<const re2::RE2> re_;
  std::size_t instructions_ = 1;
  std::string shown_;  // the pattern as messages quote it
};

}  // namespace pms::store
