#include "store/query/query_budget.hpp"

#include "store/query/query_error.hpp"

namespace pms::store {

namespace {
std::string seconds(std::chrono::milliseconds t) {
  auto ms = t.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}
}  // namespace

QueryBudget::QueryBudget(const CancelToken* cancel, std::chrono::milliseconds max_time, std::size_t max_bytes)
    : cancel_(cancel), deadline_(std::chrono::steady_clock::now() + max_time), max_time_(max_time), max_bytes_(max_bytes) {
  throw_if_cancelled(cancel);
}

void QueryBudget::check() {
  next_check_ = work_ + kCheckEvery;
  throw_if_cancelled(cancel_);
  if (deadline_ && std::chrono::steady_clock::now() > *deadline_)
    throw QueryTimeout("the query ran longer than the " + seconds(max_time_) +
                       " limit (the server's --query-timeout) and was stopped: narrow the filter, add a $match or a $limit, "
                       "or ask for fewer documents");
}

void QueryBudget::hold(std::size_t bytes) {
  held_ += bytes;
  if (max_bytes_ && held_ > max_bytes_)
    throw QueryError("the query needs more than " + std::to_string(max_bytes_ >> 20) +
                     " MiB of memory (the server's --query-memory-mb) and was stopped: narrow it with a $match or a $limit, "
                     "group before joining, or project fewer fields");
}

std::size_t footprint(const json::value& v) {
  constexpr std::size_t node = sizeof(json::value);
  switch (v.kind()) {
    case json::kind::string: return node + v.get_string().size();
    case json::kind::array: {
      std::size_t n = node;
      for (auto& x : v.get_array()) n += footprint(x);
      return n;
    }
    case json::kind::object: {
      std::size_t n = node;
      for (auto& kv : v.get_object()) n += node + kv.key().size() + footprint(kv.value());
      return n;
    }
    default: return node;
  }
}

}  // namespace pms::store
