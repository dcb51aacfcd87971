#include "tools/list_collections_tool.hpp"

namespace pms::tools {

const ToolDefinition& ListCollectionsTool::definition() const {
  static const ToolDefinition def{"list_collections", "List the collections with their document counts.", schema_object({}, {})};
  return def;
}

json::value ListCollectionsTool::run(const json::object&, store::DocumentStore& store, const CancelToken*) const {
  json::array cols;
  for (auto& c : store.list_collections()) cols.push_back(json::object{{"name", c.name}, {"count", c.count}});
  return json::object{{"database", store.database_name()}, {"collections", std::move(cols)}};
}

}  // namespace pms::tools
