#pragma once
#include "tools/tool.hpp"

namespace pms::tools {

// list_collections: the collections of the database with their document counts.
class ListCollectionsTool : public Tool {
 public:
  const ToolDefinition& definition() const override;
  json::value run(const json::object& args, store::DocumentStore& store, const CancelToken* cancel) const override;
};

}  // namespace pms::tools
