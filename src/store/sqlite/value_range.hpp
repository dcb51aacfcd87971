#pragma once
// A range of values at one indexed path, as $gt/$gte/$lt/$lte give it: bounds of one kind (strings,
// or numbers), type-bracketed like MongoDB (a string bound compares with strings only).
#include "store/sqlite/value_index.hpp"

#include <optional>
#include <string>

namespace pms::store::sqlite {

struct ValueRange {
  struct Bound {
    ValueIndex::Bind value;
    bool inclusive = false;
  };
  std::optional<Bound> lower, upper;

  // One operator ("$gt", ...) and its argument; nullopt when it is not a range on a string or number.
  static std::optional<ValueRange> of(std::string_view op, const json::value& arg);
  // All of `ops`, when each is a range operator, at most one per side, with bounds of one kind.
  static std::optional<ValueRange> of(const json::object& ops);

  bool text() const;
  // Whether `value` (a string or number from the index, of the bounds' kind) meets each bound.
  bool above_lower(const json::value& value) const;
  bool below_upper(const json::value& value) const;
  // " AND typeof(value) ... AND value >= ?n ..." with parameters numbered from `first`.
  std::string sql(int first) const;
  void bind(Statement& st, int first) const;
};

}  // namespace pms::store::sqlite
