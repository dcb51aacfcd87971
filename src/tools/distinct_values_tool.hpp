#pragma once
#include "tools/tool.hpp"

namespace pms::tools {

// distinct_values: the distinct values of a field among matching documents.
class DistinctValuesTool : public Tool {
 public:
  const ToolDefinition& definition() const override;
  json::value run(const json::object& args, store::DocumentStore& store, const CancelToken* cancel) const override;
};

}  // namespace pms::tools
