#pragma once
// The tools MCP clients see: the six read-only tools the model sees (same names, schemas, limits;
// the store they run on is already the tenant's view, with its redaction and query budget), plus
// ask_pms (the built-in question planner) and find_entity (names and ids to the things they name).
// Calls are blocking: a transport runs them on a database thread.
#include "core/cancel_token.hpp"
#include "core/json_util.hpp"
#include "store/document_store.hpp"
#include "tools/tool_registry.hpp"
#include "understanding/value_catalog.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pms::mcp {

struct ToolboxServices {
  const tools::ToolRegistry& tools;
  store::DocumentStore& store;  // the tenant's view of the store
  // The tenant's value catalog (blocking the first time); may be empty while the database is unreachable.
  std::function<std::shared_ptr<const understanding::ValueCatalog>()> catalog;
  // Milliseconds since the epoch that relative dates in questions resolve against.
  std::function<std::int64_t()> now_ms;
};

// A tools/call result: `structured` becomes structuredContent, `text` the text content block.
struct CallResult {
  json::object structured;
  std::string text;
  bool is_error = false;
};

// A result saying what went wrong (isError: true), for the caller (an agent) to correct.
CallResult error_result(std::string message);

class Toolbox {
 public:
  explicit Toolbox(ToolboxServices services);

  // The tools/list entries: name, title, description, inputSchema, annotations.
  const json::array& list() const { return listed_; }
  // nullopt when there is no tool `name`. Throws store::QueryCancelled only.
  std::optional<CallResult> call(std::string_view name, const json::object& arguments, const CancelToken* cancel) const;

 private:
  ToolboxServices s_;
  json::array listed_;
  std::vector<std::string> model_tools_;  // the registry's tool names
};

}  // namespace pms::mcp
