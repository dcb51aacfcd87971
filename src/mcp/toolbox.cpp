#include "mcp/toolbox.hpp"

#include "core/log.hpp"
#include "mcp/ask_pms.hpp"
#include "mcp/find_entity.hpp"
#include "store/query/query_error.hpp"

#include <algorithm>

namespace pms::mcp {

namespace {

// The text block of a result: its JSON, shortened past this (structuredContent stays whole; the
// tools' own limits bound it).
constexpr std::size_t kMaxTextChars = 256 * 1024;

std::string_view title_of(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> titles[] = {
      {"list_collections", "List collections"},  {"collection_schema", "Collection schema"},
      {"find_documents", "Find documents"},      {"count_documents", "Count documents"},
      {"distinct_values", "Distinct values"},    {"aggregate", "Aggregate"},
      {"ask_pms", "Ask a question about the PMS data"}, {"find_entity", "Find a project, work item, person or cycle"},
  };
  for (auto& [n, t] : titles)
    if (n == name) return t;
  return name;
}

json::object listed(const tools::ToolDefinition& d) {
  // Every tool only reads this server's own database.
  return json::object{{"name", d.name},
                      {"title", title_of(d.name)},
                      {"description", d.description},
                      {"inputSchema", d.parameters},
                      {"annotations", json::object{{"readOnlyHint", true}, {"openWorldHint", false}}}};
}

using McpOnlyTool = CallResult (*)(const json::object&, const ToolboxServices&, const CancelToken*);

CallResult run_guarded(std::string_view name, McpOnlyTool tool, const json::object& args, const ToolboxServices& s,
                       const CancelToken* cancel) {
  try {
    return tool(args, s, cancel);
  } catch (const store::QueryCancelled&) {
    throw;
  } catch (const tools::ToolArgumentError& e) {
    return error_result(e.what());
  } catch (const store::QueryError& e) {
    return error_result(e.what());
  } catch (const store::StoreError& e) {
    return error_result(std::string("the database failed: ") + e.what());
  } catch (const std::exception& e) {
    spdlog::error("MCP tool {} failed: {}", name, e.what());
    return error_result("the tool failed with an internal error (the details are in the server log)");
  }
}

}  // namespace

CallResult error_result(std::string message) {
  CallResult r;
  r.structured = json::object{{"error", message}};
  r.text = std::move(message);
  r.is_error = true;
  return r;
}

Toolbox::Toolbox(ToolboxServices services) : s_(std::move(services)) {
  for (auto& d : s_.tools.definitions()) {
    listed_.push_back(listed(d));
    model_tools_.push_back(d.name);
  }
  listed_.push_back(listed(ask_pms_definition()));
  listed_.push_back(listed(find_entity_definition()));
}

std::optional<CallResult> Toolbox::call(std::string_view name, const json::object& arguments, const CancelToken* cancel) const {
  if (name == ask_pms_definition().name) return run_guarded(name, ask_pms, arguments, s_, cancel);
  if (name == find_entity_definition().name) return run_guarded(name, find_entity, arguments, s_, cancel);
  if (std::find(model_tools_.begin(), model_tools_.end(), name) == model_tools_.end()) return std::nullopt;
  tools::ToolResult r = s_.tools.run(name, arguments, s_.store, cancel);
  if (!r.ok) return error_result(r.error);
  CallResult out;
  // structuredContent must be an object; the tools' results are, but a bare value is wrapped.
  out.structured = r.value.is_object() ? r.value.get_object() : json::object{{"result", r.value}};
  out.text = tools::render_result(r, kMaxTextChars);
  return out;
}

}  // namespace pms::mcp
