#include "store/query/query_error.hpp"

namespace pms::store {
void throw_query_error(const std::string& message) { throw QueryError(message); }
}  // namespace pms::store
