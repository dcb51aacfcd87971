#pragma once
// The tools the model sees, and the one place a call is run: arguments checked, errors turned
// into results the model can read and correct, output rendered within a size budget.
#include "tools/tool.hpp"

#include <memory>
#include <vector>

namespace pms::tools {

struct ToolResult {
  bool ok = true;
  json::value value;  // the tool's output when ok
  std::string error;  // what went wrong otherwise
};

class ToolRegistry {
 public:
  // list_collections, collection_schema, find_documents, count_documents, distinct_values, aggregate.
  static ToolRegistry standard();

  void add(std::unique_ptr<Tool> tool) { tools_.push_back(std::move(tool)); }
  std::vector<ToolDefinition> definitions() const;

  // Never throws except store::QueryCancelled (the turn is over).
  ToolResult run(std::string_view name, const json::value& arguments, store::DocumentStore& store,
                 const CancelToken* cancel) const;

 private:
  std::vector<std::unique_ptr<Tool>> tools_;
};

// The text a result becomes for the model or the client: JSON of at most `max_chars`. Long
// strings are shortened and, if still too long, trailing items of the result's list are dropped
// with a note saying how many were left out.
std::string render_result(const ToolResult& result, std::size_t max_chars);

}  // namespace pms::tools
