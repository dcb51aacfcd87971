#include "store/mongo/mongo_query.hpp"

#include "core/base64.hpp"
#include "core/time_util.hpp"
#include "store/query/filter.hpp"
#include "store/query/pipeline_rewrite.hpp"
#include "store/query/query_error.hpp"

namespace pms::store::mongo {

namespace {

bool is_operator_object(const json::value& v) {
  auto* o = v.if_object();
  return o && !o->empty() && o->begin()->key().starts_with("$") && !is_extended_json_literal(*o);
}

json::value binary(const std::string& bytes, std::string_view subtype) {
  return json::object{{"$binary", json::object{{"base64", base64_encode(bytes)}, {"subType", subtype}}}};
}

// The stored forms a value the model wrote may have in MongoDB, besides itself.
std::vector<json::value> stored_forms(const json::value& v, const ExtendedJsonOptions& options) {
  std::vector<json::value> out;
  auto* s = v.if_string();
  if (!s) return out;
  if (auto standard = uuid_bytes(*s, UuidRepresentation::standard)) {
    out.push_back(binary(*uuid_bytes(*s, options.legacy_uuid), "03"));
    out.push_back(binary(*standard, "04"));
  } else if (s->size() >= 10 && (*s)[4] == '-' && (*s)[7] == '-') {
    if (auto ms = parse_iso8601_ms(*s)) out.push_back(json::object{{"$date", json::object{{"$numberLong", std::to_string(*ms)}}}});
  }
  return out;
}

// A list of values with every value's stored forms added ($in, $nin).
json::array with_stored_forms(const json::value& list, const ExtendedJsonOptions& options) {
  if (!list.is_array()) throw_query_error("$in and $nin need an array, got " + dump(list));
  json::array out;
  for (auto& x : list.get_array()) {
    auto v = normalize_literal(x);
    for (auto& alt : stored_forms(v, options)) out.push_back(std::move(alt));
    out.push_back(std::move(v));
  }
  return out;
}

bool is_range(std::string_view op) { return op == "$gt" || op == "$gte" || op == "$lt" || op == "$lte"; }

json::value translate_filter(const json::value& filter, const ExtendedJsonOptions& options);

// One field's condition. Returns it, plus (in `date_variant`) the same condition comparing
// dates when a range operand is a date string: the caller ORs the two.
json::value translate_condition(const json::value& cond, const ExtendedJsonOptions& options,
                                std::optional<json::object>& date_variant) {
  if (!is_operator_object(cond)) {
    auto v = normalize_literal(cond);
    auto alts = stored_forms(v, options);
    if (alts.empty()) return v;
    json::array in(alts.begin(), alts.end());
    in.push_back(std::move(v));
    return json::object{{"$in", std::move(in)}};
  }
  json::object out;
  json::object date_operands;  // range operands that are date strings, as dates
  for (auto& [op, arg] : cond.get_object()) {
    if (op == "$eq" || op == "$ne") {
      auto v = normalize_literal(arg);
      auto alts = stored_forms(v, options);
      if (alts.empty() || cond.get_object().contains(op == "$eq" ? "$in" : "$nin")) {
        out[op] = v;
      } else {
        json::array list(alts.begin(), alts.end());
        list.push_back(v);
        out[op == "$eq" ? "$in" : "$nin"] = std::move(list);
      }
    } else if (op == "$in" || op == "$nin") {
      out[op] = with_stored_forms(arg, options);
    } else if (is_range(op)) {
      auto v = normalize_literal(arg);
      auto alts = stored_forms(v, options);
      if (!alts.empty() && alts.front().get_object().contains("$date")) date_operands[op] = alts.front();
      out[op] = std::move(v);
    } else if (op == "$elemMatch") {
      // A query on the elements: documents' fields, or operators on scalar elements.
      std::optional<json::object> ignored;
      out[op] = is_operator_object(arg) ? translate_condition(arg, options, ignored) : translate_filter(arg, options);
    } else if (op == "$not") {
      std::optional<json::object> ignored;  // no $or inside $not: its dates stay strings
      out[op] = is_operator_object(arg) ? translate_condition(arg, options, ignored) : arg;
    } else {
      out[op] = arg;  // $exists, $size, $regex, $options, $all, $type: as written
    }
  }
  if (!date_operands.empty()) {
    json::object dates = out;
    for (auto& [op, d] : date_operands) dates[op] = d;
    date_variant = std::move(dates);
  }
  return out;
}

json::value translate_filter(const json::value& filter, const ExtendedJsonOptions& options) {
  if (filter.is_null()) return json::object{};
  if (!filter.is_object()) throw_query_error("a filter must be a JSON object, got " + dump(filter));
  json::object out;
  json::array extra;  // conditions that need an $or of their own
  for (auto& [key, value] : filter.get_object()) {
    if (key == "$and" || key == "$or" || key == "$nor") {
      if (!value.is_array()) throw_query_error(std::string(key) + " needs an array of filters, got " + dump(value));
      json::array parts;
      for (auto& f : value.get_array()) parts.push_back(translate_filter(f, options));
      out[key] = std::move(parts);
      continue;
    }
    if (key.starts_with("$")) {
      out[key] = value;
      continue;
    }
    std::optional<json::object> date_variant;
    auto cond = translate_condition(value, options, date_variant);
    if (date_variant) {
      extra.push_back(json::object{{"$or", json::array{json::object{{key, std::move(cond)}},
                                                      json::object{{key, std::move(*date_variant)}}}}});
    } else {
      out[key] = std::move(cond);
    }
  }
  if (extra.empty()) return out;
  if (!out.empty()) extra.insert(extra.begin(), std::move(out));
  return extra.size() == 1 ? extra.front() : json::object{{"$and", std::move(extra)}};
}

}  // namespace

json::value to_mongo_filter(const json::value& filter, const ExtendedJsonOptions& options) {
  return translate_filter(filter, options);
}

json::value to_mongo_pipeline(const json::value& pipeline, const ExtendedJsonOptions& options) {
  return rewrite_pipeline(pipeline, [&](std::string_view name, json::value arg) -> json::value {
    if (name == "$match") arg = translate_filter(arg, options);
    return json::object{{name, std::move(arg)}};
  });
}

}  // namespace pms::store::mongo
