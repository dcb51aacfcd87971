#pragma once
// Sort orders ({"priority": 1, "createdTimeStamp": -1}) with MongoDB's rules: a missing field
// sorts as null; an array sorts by its smallest element ascending and its largest descending;
// an empty array sorts before null. Ties keep their input order.
#include "core/json_util.hpp"
#include "store/query/field_path.hpp"

#include <vector>

namespace pms::store {

class SortSpec {
 public:
  SortSpec() = default;
  static SortSpec compile(const json::value& spec);  // throws QueryError

  bool empty() const { return keys_.empty(); }

  // Sorts all of `docs`, or only enough to know its first `limit` (0: all).
  void sort(std::vector<json::value>& docs, std::size_t limit = 0) const;

 private:
  struct Key {
    FieldPath path;
    bool ascending;
  };
  std::vector<Key> keys_;
};

}  // namespace pms::store
