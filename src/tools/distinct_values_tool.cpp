#include "tools/distinct_values_tool.hpp"

#include "tools/zero_match_hint.hpp"

namespace pms::tools {

namespace {
constexpr std::size_t kMaxValues = 100;
}  // namespace

const ToolDefinition& DistinctValuesTool::definition() const {
  static const ToolDefinition def{
      "distinct_values", "List the distinct values of a field (e.g. \"state.name\") among documents matching an optional filter.",
      schema_object({{"collection", json::object{{"type", "string"}}},
                     {"field", json::object{{"type", "string"}}},
                     {"filter", json::object{{"type", "object"}}}},
                    {"collection", "field"})};
  return def;
}

json::value DistinctValuesTool::run(const json::object& args, store::DocumentStore& store, const CancelToken* cancel) const {
  auto collection = required_string(args, "collection");
  auto field = required_string(args, "field");
  require_collection(store, collection);
  json::value filter = optional_object(args, "filter");
  auto values = store.distinct(collection, field, filter, cancel);
  json::object out{{"field", field}, {"count", static_cast<std::int64_t>(values.size())}};
  if (values.size() > kMaxValues) values.resize(kMaxValues);
  out["values"] = json::array(values.begin(), values.end());
  if (values.empty()) add_zero_match_hint(out, store, collection, filter, cancel, field);
  return out;
}

}  // namespace pms::tools
