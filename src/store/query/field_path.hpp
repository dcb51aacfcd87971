#pragma once
// Resolves a dotted path ("assignee.name") the way MongoDB's query engine does: through
// sub-documents, implicitly through arrays (one level per path step), and by position
// ("labels.0") when a step is a number.
#include "core/json_util.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace pms::store {

class FieldPath {
 public:
  explicit FieldPath(std::string_view dotted);

  const std::string& dotted() const { return dotted_; }
  const std::vector<std::string>& parts() const { return parts_; }

  // Every value the path reaches in `doc`. A branch that ends on a missing field contributes a
  // nullptr, so "missing" can be told from "not reached at all" (an empty array).
  void collect(const json::value& doc, std::vector<const json::value*>& out) const;

  // The single value at the path without array traversal (nullptr if absent); used by
  // projections and aggregation, which address positions explicitly.
  const json::value* lookup(const json::value& doc) const;

 private:
  void collect_from(const json::value& v, std::size_t i, std::vector<const json::value*>& out) const;
  std::string dotted_;
  std::vector<std::string> parts_;
};

// True if `s` is a non-empty run of decimal digits (an array position in a path).
bool is_array_index(std::string_view s);

}  // namespace pms::store
