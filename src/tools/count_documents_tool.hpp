#pragma once
#include "tools/tool.hpp"

namespace pms::tools {

// count_documents: how many documents match a MongoDB filter.
class CountDocumentsTool : public Tool {
 public:
  const ToolDefinition& definition() const override;
  json::value run(const json::object& args, store::DocumentStore& store, const CancelToken* cancel) const override;
};

}  // namespace pms::tools
