#include "tools/collection_schema_tool.hpp"

#include "store/schema_sampler.hpp"

namespace pms::tools {

const ToolDefinition& CollectionSchemaTool::definition() const {
  static const ToolDefinition def{
      "collection_schema", "Show a collection's fields, their types and the exact stored values of category fields.",
      schema_object({{"collection", json::object{{"type", "string"}}}}, {"collection"})};
  return def;
}

json::value CollectionSchemaTool::run(const json::object& args, store::DocumentStore& store, const CancelToken*) const {
  auto collection = required_string(args, "collection");
  require_collection(store, collection);
  return store::to_json(store::sample_schema(store, collection));
}

}  // namespace pms::tools
