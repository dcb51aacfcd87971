#pragma once
// MongoDB query filters ({"state.name": "Done", "priority": {"$in": ["HIGH", "URGENT"]}}),
// compiled once and matched against many documents with MongoDB's semantics.
#include "core/json_util.hpp"
#include "store/query/query_budget.hpp"

#include <memory>
#include <string>

namespace pms::store {

namespace detail { struct MatchNode; }

class Filter {
 public:
  // Matches every document.
  Filter();
  // Throws QueryError naming the unsupported operator or malformed part.
  static Filter compile(const json::object& spec);
  static Filter compile(const json::value& spec);  // null or {} match everything

  // Unbounded (tests, the index's checks of single values).
  bool matches(const json::value& doc) const;
  // Charges its work to `budget`: throws QueryTimeout or QueryCancelled when it runs out.
  bool matches(const json::value& doc, QueryBudget& budget) const;

 private:
  explicit Filter(std::shared_ptr<const detail::MatchNode> root) : root_(std::move(root)) {}
  std::shared_ptr<const detail::MatchNode> root_;
};

// Turns Extended JSON literals the model or a user may write ({"$date": "2025-11-01"},
// {"$oid": ...}, {"$numberLong": "5"}, {"$uuid": ...}) into the plain values the store holds
// (store/extended_json.hpp); a malformed literal is a QueryError.
json::value normalize_literal(const json::value& v);

}  // namespace pms::store
