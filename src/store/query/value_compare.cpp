#include "store/query/value_compare.hpp"

#include <cmath>

namespace pms::store {

int type_rank(const json::value& v) {
  if (auto* o = v.if_object(); o && o->size() == 1) {
    // {"$minKey": 1} and {"$maxKey": 1}, as imported: below and above every other value.
    if (o->begin()->key() == "$minKey") return 0;
    if (o->begin()->key() == "$maxKey") return 127;
  }
  switch (v.kind()) {
    case json::kind::null: return 1;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return 2;
    case json::kind::string: return 3;
    case json::kind::object: return 4;
    case json::kind::array: return 5;
    case json::kind::bool_: return 8;
  }
  return 0;
}

bool is_number(const json::value& v) {
  return v.is_int64() || v.is_uint64() || v.is_double();
}

double to_double(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return 0.0;
}

std::optional<std::int64_t> exact_int64(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(v.get_uint64());
  }
  if (v.is_double()) {
    double d = v.get_double();
    // -2^63 <= d < 2^63, checked before the conversion (which is undefined outside it).
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || d != std::trunc(d)) return std::nullopt;
    return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

namespace {
int sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

int compare_numbers(const json::value& a, const json::value& b) {
  // Exact for the integer cases, where doubles would lose precision past 2^53.
  if (a.is_int64() && b.is_int64()) return a.get_int64() < b.get_int64() ? -1 : (a.get_int64() > b.get_int64());
  if (a.is_uint64() && b.is_uint64()) return a.get_uint64() < b.get_uint64() ? -1 : (a.get_uint64() > b.get_uint64());
  double x = to_double(a), y = to_double(b);
  // MongoDB orders NaN below every other number and equal to itself.
  if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y) ? 0 : (std::isnan(x) ? -1 : 1);
  return x < y ? -1 : (x > y ? 1 : 0);
}
}  // namespace

int compare_values(const json::value& a, const json::value& b) {
  int ra = type_rank(a), rb = type_rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (a.kind()) {
    case json::kind::null: return 0;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return compare_numbers(a, b);
    case json::kind::string: return sign(std::string_view(a.get_string()).compare(std::string_view(b.get_string())));
    case json::kind::bool_: return int(a.get_bool()) - int(b.get_bool());
    case json::kind::array: {
      auto& x = a.get_array();
      auto& y = b.get_array();
      for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (int c = compare_values(x[i], y[i])) return c;
      }
      return x.size() < y.size() ? -1 : (x.size() > y.size());
    }
    case json::kind::object: {
      auto& x = a.get_object();
      auto& y = b.get_object();
      auto i = x.begin();
      auto j = y.begin();
      for (; i != x.end() && j != y.end(); ++i, ++j) {
        int ti = type_rank(i->value()), tj = type_rank(j->value());
        if (ti != tj) return ti < tj ? -1 : 1;
        if (int c = sign(std::string_view(i->key()).compare(std::string_view(j->key())))) return c;
        if (int c = compare_values(i->value(), j->value())) return c;
      }
      if (i == x.end() && j == y.end()) return 0;
      return i == x.end() ? -1 : 1;
    }
  }
  return 0;
}

}  // namespace pms::store
