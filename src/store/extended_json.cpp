#include "store/extended_json.hpp"

#include "core/base64.hpp"
#include "core/time_util.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace pms::store {

namespace {

[[noreturn]] void bad(std::string_view what, const json::value& v) {
  throw ExtendedJsonError(std::string(what) + ": " + std::string(truncate_utf8(dump(v), 200)));
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

const json::string* string_of(const json::value& v) { return v.if_string(); }

std::int64_t parse_int64(std::string_view s, std::string_view what, const json::value& v) {
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || p != s.data() + s.size()) bad(std::string(what) + " is not a 64-bit integer", v);
  return n;
}

json::value parse_double(std::string_view s, const json::value& v) {
  if (s == "NaN" || s == "Infinity" || s == "-Infinity") return json::value(s);
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc{} || p != s.data() + s.size() || !std::isfinite(d)) bad("not a number", v);
  return json::value(d);
}

constexpr std::string_view kLiteralKeys[] = {
    "$oid", "$date", "$numberInt", "$numberLong", "$numberDouble", "$numberDecimal", "$binary",
    "$uuid", "$timestamp", "$regularExpression", "$symbol", "$code", "$undefined"};

std::string binary(std::string_view base64, std::string_view subtype_hex, const ExtendedJsonOptions& options,
                   const json::value& v) {
  int subtype = 0;
  auto [p, ec] = std::from_chars(subtype_hex.data(), subtype_hex.data() + subtype_hex.size(), subtype, 16);
  if (subtype_hex.empty() || ec != std::errc{} || p != subtype_hex.data() + subtype_hex.size() || subtype > 0xff)
    bad("binary subType must be one or two hex digits", v);
  auto bytes = base64_decode(base64);
  if (!bytes) bad("invalid base64", v);
  if (subtype == 3 || subtype == 4) {
    if (bytes->size() != 16) bad("a UUID (binary subtype " + std::to_string(subtype) + ") must have 16 bytes", v);
    return uuid_string(*bytes, subtype == 4 ? UuidRepresentation::standard : options.legacy_uuid);
  }
  return std::string(base64);  // other binary data: its base64 text, as exported
}

std::string date(const json::value& arg, const json::value& v) {
  std::optional<std::int64_t> ms;
  if (auto* s = string_of(arg)) {
    ms = parse_iso8601_ms(*s);
    if (!ms) bad("$date is not an ISO-8601 date", v);
  } else if (arg.is_int64()) {
    ms = arg.get_int64();
  } else if (arg.is_uint64() || arg.is_double()) {
    double d = arg.to_number<double>();
    if (!(std::abs(d) < 9.2e18)) bad("$date is out of range", v);
    ms = static_cast<std::int64_t>(d);
  } else if (auto* o = arg.if_object(); o && o->size() == 1 && o->contains("$numberLong") && string_of(o->at("$numberLong"))) {
    ms = parse_int64(o->at("$numberLong").get_string(), "$date.$numberLong", v);
  } else {
    bad("unsupported $date form", v);
  }
  auto text = format_iso8601_ms(*ms);
  if (!text) bad("$date is outside the years 0 to 9999", v);
  return *text;
}

// The plain value for an Extended JSON literal, or nullopt when `o` is a document, a query
// operator, $minKey or $maxKey.
std::optional<json::value> literal(const json::object& o, const ExtendedJsonOptions& options, const json::value& v) {
  if (!is_extended_json_literal(o)) return std::nullopt;
  if (o.size() == 2) {
    // Legacy (v1) binary: {"$binary": "<base64>", "$type": "03"}. ({"$regex", "$options"} is a
    // query operator and stays as it is.)
    auto* b = o.if_contains("$binary");
    auto* t = o.if_contains("$type");  // both there: is_extended_json_literal
    if (!string_of(*b) || !string_of(*t)) bad("legacy $binary needs base64 text and a hex $type", v);
    return json::value(binary(b->get_string(), t->get_string(), options, v));
  }
  std::string_view key = o.begin()->key();
  const json::value& arg = o.begin()->value();
  if (key == "$oid") {
    auto* s = string_of(arg);
    if (!s || s->size() != 24 || !std::all_of(s->begin(), s->end(), [](unsigned char c) { return std::isxdigit(c); }))
      bad("$oid needs 24 hex digits", v);
    return json::value(lower(*s));
  }
  if (key == "$date") return json::value(date(arg, v));
  if (key == "$numberInt" || key == "$numberLong") {
    auto* s = string_of(arg);
    if (!s) bad(std::string(key) + " needs a string", v);
    auto n = parse_int64(*s, key, v);
    if (key == "$numberInt" && (n < INT32_MIN || n > INT32_MAX)) bad("$numberInt is out of the 32-bit range", v);
    return json::value(n);
  }
  if (key == "$numberDouble" || key == "$numberDecimal") {
    auto* s = string_of(arg);
    if (!s) bad(std::string(key) + " needs a string", v);
    // Decimal128 becomes the nearest double: exact for PMS estimates and amounts up to 15 digits.
    return parse_double(*s, v);
  }
  if (key == "$binary") {
    auto* b = arg.if_object();
    if (!b || !b->contains("base64") || !b->contains("subType") || !string_of(b->at("base64")) || !string_of(b->at("subType")))
      bad("$binary needs {\"base64\": \"...\", \"subType\": \"..\"}", v);
    return json::value(binary(b->at("base64").get_string(), b->at("subType").get_string(), options, v));
  }
  if (key == "$uuid") {
    auto* s = string_of(arg);
    auto bytes = s ? uuid_bytes(*s, UuidRepresentation::standard) : std::nullopt;
    if (!bytes) bad("$uuid needs a UUID of 8-4-4-4-12 hex digits", v);
    return json::value(uuid_string(*bytes, UuidRepresentation::standard));
  }
  if (key == "$timestamp") {
    // A replication timestamp: seconds since 1970 (`t`) and an ordinal (`i`); shown as its time.
    auto* ts = arg.if_object();
    if (!ts || !ts->contains("t") || !ts->at("t").is_number()) bad("$timestamp needs {\"t\": seconds, \"i\": n}", v);
    auto t = ts->at("t").to_number<double>();
    if (!(t >= 0 && t < 4.3e9)) bad("$timestamp.t is out of range", v);
    return json::value(*format_iso8601_ms(static_cast<std::int64_t>(t) * 1000));
  }
  if (key == "$regularExpression") {
    auto* re = arg.if_object();
    if (!re || !re->contains("pattern") || !string_of(re->at("pattern"))) bad("$regularExpression needs a pattern", v);
    std::string options_text;
    if (auto* opt = re->if_contains("options"); opt && string_of(*opt)) options_text = std::string(opt->get_string());
    return json::value("/" + std::string(re->at("pattern").get_string()) + "/" + options_text);
  }
  if (key == "$symbol" || key == "$code") {
    if (auto* s = string_of(arg)) return json::value(*s);
    bad(std::string(key) + " needs a string", v);
  }
  return json::value(nullptr);  // $undefined
}

}  // namespace

bool is_extended_json_literal(const json::object& o) {
  if (o.size() == 2) return o.contains("$binary") && o.contains("$type");
  return o.size() == 1 && std::find(std::begin(kLiteralKeys), std::end(kLiteralKeys), o.begin()->key()) != std::end(kLiteralKeys);
}

UuidRepresentation parse_uuid_representation(std::string_view name) {
  if (name == "java-legacy") return UuidRepresentation::java_legacy;
  if (name == "standard") return UuidRepresentation::standard;
  if (name == "python-legacy") return UuidRepresentation::python_legacy;
  if (name == "csharp-legacy") return UuidRepresentation::csharp_legacy;
  throw std::invalid_argument("unknown UUID representation '" + std::string(name) +
                              "': use java-legacy, standard, python-legacy or csharp-legacy");
}

namespace {
// Puts the bytes of a UUID into (or, being its own inverse, out of) a driver's order.
void reorder(std::string& b, UuidRepresentation order) {
  switch (order) {
    case UuidRepresentation::java_legacy:
      std::reverse(b.begin(), b.begin() + 8);
      std::reverse(b.begin() + 8, b.end());
      break;
    case UuidRepresentation::csharp_legacy:
      std::reverse(b.begin(), b.begin() + 4);
      std::reverse(b.begin() + 4, b.begin() + 6);
      std::reverse(b.begin() + 6, b.begin() + 8);
      break;
    case UuidRepresentation::standard:
    case UuidRepresentation::python_legacy:
      break;
  }
}
}  // namespace

std::string uuid_string(std::string_view bytes16, UuidRepresentation order) {
  std::string b(bytes16);
  reorder(b, order);
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    auto c = static_cast<unsigned char>(b[i]);
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::optional<std::string> uuid_bytes(std::string_view text, UuidRepresentation order) {
  if (text.size() != 36) return std::nullopt;
  std::string b;
  for (std::size_t i = 0; i < 36; i += 2) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
    }
    unsigned v = 0;
    auto [p, ec] = std::from_chars(text.data() + i, text.data() + i + 2, v, 16);
    if (ec != std::errc{} || p != text.data() + i + 2) return std::nullopt;
    b += static_cast<char>(v);
  }
  reorder(b, order);
  return b;
}

json::value from_extended_json(const json::value& v, const ExtendedJsonOptions& options) {
  if (auto* o = v.if_object()) {
    if (auto lit = literal(*o, options, v)) return *lit;
    json::object out;
    out.reserve(o->size());
    for (auto& kv : *o) out[kv.key()] = from_extended_json(kv.value(), options);
    return out;
  }
  if (auto* a = v.if_array()) {
    json::array out;
    out.reserve(a->size());
    for (auto& x : *a) out.push_back(from_extended_json(x, options));
    return out;
  }
  return v;
}

}  // namespace pms::store
