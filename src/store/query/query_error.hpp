#pragma once
#include "core/cancel_token.hpp"

#include <stdexcept>
#include <string>

namespace pms::store {

// A query the store refuses: unsupported or forbidden operator, malformed filter or pipeline.
// The message names the culprit so the model (or the user) can correct it.
class QueryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The query was stopped because its turn was cancelled.
class QueryCancelled : public std::runtime_error {
 public:
  QueryCancelled() : std::runtime_error("query cancelled") {}
};

inline void throw_if_cancelled(const CancelToken* cancel) {
  if (cancel && cancel->cancelled()) throw QueryCancelled();
}

// The query ran out of its time (DocumentStore::max_time()).
class QueryTimeout : public QueryError {
 public:
  using QueryError::QueryError;
};

// Throws QueryError("<context>: <what>").
[[noreturn]] void throw_query_error(const std::string& message);

}  // namespace pms::store
