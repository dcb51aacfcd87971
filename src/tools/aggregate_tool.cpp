#include "tools/aggregate_tool.hpp"

#include "tools/zero_match_hint.hpp"

namespace pms::tools {

namespace {
constexpr std::size_t kMaxResults = 50;
}  // namespace

const ToolDefinition& AggregateTool::definition() const {
  static const ToolDefinition def{
      "aggregate",
      "Run a read-only MongoDB aggregation pipeline, e.g. [{\"$group\": {\"_id\": \"$state.name\", \"count\": {\"$sum\": 1}}}].",
      schema_object({{"collection", json::object{{"type", "string"}}},
                     {"pipeline", json::object{{"type", "array"}, {"items", json::object{{"type", "object"}}}}}},
                    {"collection", "pipeline"})};
  return def;
}

json::value AggregateTool::run(const json::object& args, store::DocumentStore& store, const CancelToken* cancel) const {
  auto collection = required_string(args, "collection");
  require_collection(store, collection);
  json::value pipeline = optional_array(args, "pipeline");
  if (pipeline.is_null()) throw ToolArgumentError("missing required argument 'pipeline' (an array of stages)");
  auto results = store.aggregate(collection, pipeline, cancel);
  // Nothing came out: the leading $match, if any, may name a field or value that does not exist.
  json::object hint;
  auto& stages = pipeline.as_array();
  if (results.empty() && !stages.empty() && stages.front().is_object())
    if (auto* match = stages.front().get_object().if_contains("$match"))
      add_zero_match_hint(hint, store, collection, *match, cancel);
  json::object out{{"collection", collection}, {"returned", static_cast<std::int64_t>(std::min(results.size(), kMaxResults))}};
  if (results.size() > kMaxResults) {
    out["more"] = std::to_string(results.size() - kMaxResults) + " more results not shown; add $limit or $group";
    results.resize(kMaxResults);
  }
  out["results"] = json::array(results.begin(), results.end());
  if (hint.contains("hint")) out["hint"] = hint["hint"];
  return out;
}

}  // namespace pms::tools
