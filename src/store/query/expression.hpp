#pragma once
// Aggregation expressions as used in $project, $addFields, $group and $sortByCount:
// "$field.path", literals, documents and arrays of expressions, and operators such as
// {"$size": "$assignee"} or {"$cond": [...]}. Evaluation yields nullopt for "missing".
#include "core/json_util.hpp"

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

  std::optional<json::value> evaluate(const json::value& root) const;

  struct Node;

 private:
  explicit Expression(std::shared_ptr<const Node> n) : node_(std::move(n)) {}
  std::shared_ptr<const Node> node_;
};

}  // namespace pms::store
