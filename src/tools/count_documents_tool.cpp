#include "tools/count_documents_tool.hpp"

#include "tools/zero_match_hint.hpp"

namespace pms::tools {

const ToolDefinition& CountDocumentsTool::definition() const {
  static const ToolDefinition def{
      "count_documents", "Count documents matching a MongoDB filter, e.g. {\"priority\": \"HIGH\"}.",
      schema_object({{"collection", json::object{{"type", "string"}}}, {"filter", json::object{{"type", "object"}}}},
                    {"collection"})};
  return def;
}

json::value CountDocumentsTool::run(const json::object& args, store::DocumentStore& store, const CancelToken* cancel) const {
  auto collection = required_string(args, "collection");
  require_collection(store, collection);
  json::value filter = optional_object(args, "filter");
  auto count = store.count(collection, filter, cancel);
  json::object out{{"collection", collection}, {"count", count}};
  if (count == 0) add_zero_match_hint(out, store, collection, filter, cancel);
  return out;
}

}  // namespace pms::tools
