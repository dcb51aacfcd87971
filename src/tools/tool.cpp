#include "tools/tool.hpp"

#include "store/query/query_error.hpp"
#include "store/query/value_compare.hpp"

namespace pms::tools {

namespace {
const json::value* member(const json::object& args, std::string_view key) { return args.if_contains(key); }

json::value json_argument(const json::object& args, std::string_view key, json::kind want, std::string_view what) {
  const json::value* v = member(args, key);
  if (!v || v->is_null()) return nullptr;
  if (v->kind() == want) return *v;
  if (v->is_string()) {
    std::string_view s = v->get_string();
    if (s.find_first_not_of(" \t\r\n") == std::string_view::npos) return nullptr;
    std::string err;
    auto parsed = try_parse(s, &err);
    if (parsed && parsed->kind() == want) return *parsed;
  }
  throw ToolArgumentError("'" + std::string(key) + "' must be a JSON " + std::string(what) + ", got " +
                          std::string(truncate_utf8(dump(*v), 200)));
}
}  // namespace

std::string required_string(const json::object& args, std::string_view key) {
  const json::value* v = member(args, key);
  if (!v || !v->is_string() || v->get_string().empty())
    throw ToolArgumentError("missing required argument '" + std::string(key) + "' (a string)");
  return std::string(v->get_string());
}

json::value optional_object(const json::object& args, std::string_view key) {
  return json_argument(args, key, json::kind::object, "object");
}

json::value optional_array(const json::object& args, std::string_view key) {
  return json_argument(args, key, json::kind::array, "array");
}

std::int64_t optional_integer(const json::object& args, std::string_view key, std::int64_t fallback,
                              std::int64_t min, std::int64_t max) {
  const json::value* v = member(args, key);
  if (!v || v->is_null()) return fallback;
  json::value number = *v;
  if (v->is_string()) {
    // "10" from a model that quotes numbers; anything else is not a number.
    auto parsed = try_parse(std::string_view(v->get_string()));
    number = parsed && parsed->is_number() ? *parsed : json::value(nullptr);
  }
  auto n = store::exact_int64(number);
  if (!n || *n < min || *n > max)
    throw store::QueryError("'" + std::string(key) + "' must be a whole number from " + std::to_string(min) + " to " +
                            std::to_string(max) + ", got " + std::string(truncate_utf8(dump(*v), 40)));
  return *n;
}

void require_collection(store::DocumentStore& store, const std::string& collection) {
  if (store.has_collection(collection)) return;
  std::string names;
  for (auto& c : store.list_collections()) names += (names.empty() ? "" : ", ") + c.name;
  throw ToolArgumentError("there is no collection '" + collection + "'; the collections are: " + names);
}

json::object schema_object(json::object properties, std::initializer_list<std::string_view> required) {
  json::array req;
  for (auto r : required) req.emplace_back(r);
  return json::object{{"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(req)}};
}

}  // namespace pms::tools
