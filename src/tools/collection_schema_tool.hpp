#pragma once
#include "tools/tool.hpp"

namespace pms::tools {

// collection_schema: field paths, types and the stored values of category-like fields.
class CollectionSchemaTool : public Tool {
 public:
  const ToolDefinition& definition() const override;
  json::value run(const json::object& args, store::DocumentStore& store, const CancelToken* cancel) const override;
};

}  // namespace pms::tools
