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

  // The field path this expression is, if it is a plain "$a.b" reference.
  const std::string* field_path() const;

  struct Node;

 private:
  explicit Expression(std::shared_ptr<const Node> n) : node_(std::move(n)) {}
  std::shared_ptr<const Node> node_;
};

const std::string& supported_expression_operators();

}  // namespace pms::store
