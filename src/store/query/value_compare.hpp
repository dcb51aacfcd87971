#pragma once
// MongoDB's ordering of values across types ("type bracketing"): MinKey < null < numbers <
// strings < objects < arrays < booleans < ... . Numbers compare by value whatever their width.
#include "core/json_util.hpp"

#include <cstdint>
#include <optional>

namespace pms::store {

// Rank of a value's type in MongoDB's comparison order; equal ranks are comparable. The objects
// {"$minKey": 1} and {"$maxKey": 1} rank lowest and highest.
int type_rank(const json::value& v);

// Total order over values as MongoDB sorts them: <0, 0, >0. Objects compare field by field in
// order (name, then value); arrays element by element.
int compare_values(const json::value& a, const json::value& b);

inline bool values_equal(const json::value& a, const json::value& b) {
  return compare_values(a, b) == 0;
}

// Orders values for std::map/std::set.
struct ValueLess {
  bool operator()(const json::value& a, const json::value& b) const {
    return compare_values(a, b) < 0;
  }
};

bool is_number(const json::value& v);
double to_double(const json::value& v);
// The number as an int64 if it is a whole number in range (5, 5.0), else nullopt (5.5, 1e300, "5").
std::optional<std::int64_t> exact_int64(const json::value& v);

}  // namespace pms::store
