#pragma once
// What one query may spend: time (DocumentStore::max_time(), the server's --query-timeout), the
// turn's cancellation, and memory (DocumentStore::max_query_bytes(), --query-memory-mb). A store
// makes one when a query starts and passes it to everything that works for the query: reads, index
// walks, filters, expressions, regular expressions and pipeline stages. They count their work in
// small units (a value compared, an index row, a few bytes searched) and the budget looks at the
// clock and the token every kCheckEvery units, so a query stops within a few milliseconds of its
// deadline however its work is spread (many documents, one huge array, one huge string).
#include "core/cancel_token.hpp"
#include "core/json_util.hpp"

#include <chrono>
#include <cstddef>
#include <optional>

namespace pms::store {

class QueryBudget {
 public:
  // Units of work between two looks at the clock: about 10-50 us of work.
  static constexpr std::size_t kCheckEvery = 256;

  // Unbounded and not cancellable (tests, a filter's compile-time checks).
  QueryBudget() = default;
  QueryBudget(const CancelToken* cancel, std::chrono::milliseconds max_time, std::size_t max_bytes);

  // Counts `units` of work; throws QueryCancelled or QueryTimeout once the query must stop.
  void spend(std::size_t units = 1) {
    work_ += units;
    if (work_ >= next_check_) check();
  }
  // Looks at the token and the clock now.
  void check();

  // The query holds `bytes` more (documents kept, groups, joined copies): QueryError once over the cap.
  void hold(std::size_t bytes);
  std::size_t held() const { return held_; }
  // What is held after a pipeline stage replaced its input by its output (never grows past the cap).
  void set_held(std::size_t bytes) { held_ = bytes; }
  std::size_t max_bytes() const { return max_bytes_; }

  const CancelToken* cancel() const { return cancel_; }

 private:
  const CancelToken* cancel_ = nullptr;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::chrono::milliseconds max_time_{0};
  std::size_t max_bytes_ = 0;  // 0: no cap
  std::size_t work_ = 0;
  std::size_t next_check_ = kCheckEvery;
  std::size_t held_ = 0;
};

// An estimate of the memory a value takes (nodes, keys, strings), for QueryBudget::hold.
std::size_t footprint(const json::value& v);

}  // namespace pms::store
