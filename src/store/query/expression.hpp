#pragma once
// Aggregation expressions as used in $project, $addFields, $group and $sortByCount:
// "$field.path", literals, documents and arrays of expressions, and operators such as
// {"$size": "$assignee"}, {"$cond": [...]} or {"$regexMatch": {"input": "$title", "regex": "^fix"}}. Evaluation yields nullopt for "missing".
#include "core/json_util.hpp"
#include "store/query/query_budget.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pms::store {

class Expression {
 public:
  Expression();  // the literal null
  static Expression compile(const json::value& spec);  // throws QueryError

  std::optional<json::value> evaluate(const json::value& root) const;  // unbounded
  // Charges its work to `budget`: throws QueryTimeout or QueryCancelled when it runs out.
  std::optional<json::value> evaluate(const json::value& root, QueryBudget& budget) const;

  struct Node;

 private:
  explicit Expression(std::shared_ptr<const Node> n) : node_(std::move(n)) {}
  std::shared_ptr<const Node> node_;
};

}  // namespace pms::store
