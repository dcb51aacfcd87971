#pragma once
#include "tools/tool.hpp"

namespace pms::tools {

// find_documents: documents matching a MongoDB filter, with projection, sort and a capped limit.
class FindDocumentsTool : public Tool {
 public:
  const ToolDefinition& definition() const override;
  json::value run(const json::object& args, store::DocumentStore& store, const CancelToken* cancel) const override;
};

}  // namespace pms::tools
