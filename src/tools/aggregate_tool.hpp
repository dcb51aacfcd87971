#pragma once
#include "tools/tool.hpp"

namespace pms::tools {

// aggregate: a read-only MongoDB aggregation pipeline.
class AggregateTool : public Tool {
 public:
  const ToolDefinition& definition() const override;
  json::value run(const json::object& args, store::DocumentStore& store, const CancelToken* cancel) const override;
};

}  // namespace pms::tools
