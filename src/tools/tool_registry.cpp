#include "tools/tool_registry.hpp"

#include "core/log.hpp"
#include "store/query/query_error.hpp"
#include "tools/aggregate_tool.hpp"
#include "tools/collection_schema_tool.hpp"
#include "tools/count_documents_tool.hpp"
#include "tools/distinct_values_tool.hpp"
#include "tools/find_documents_tool.hpp"
#include "tools/list_collections_tool.hpp"

namespace pms::tools {

ToolRegistry ToolRegistry::standard() {
  ToolRegistry r;
  r.add(std::make_unique<ListCollectionsTool>());
  r.add(std::make_unique<CollectionSchemaTool>());
  r.add(std::make_unique<FindDocumentsTool>());
  r.add(std::make_unique<CountDocumentsTool>());
  r.add(std::make_unique<DistinctValuesTool>());
  r.add(std::make_unique<AggregateTool>());
  return r;
}

std::vector<ToolDefinition> ToolRegistry::definitions() const {
  std::vector<ToolDefinition> out;
  for (auto& t : tools_) out.push_back(t->definition());
  return out;
}

ToolResult ToolRegistry::run(std::string_view name, const json::value& arguments, store::DocumentStore& store,
                             const CancelToken* cancel) const {
  const Tool* tool = nullptr;
  std::string names;
  for (auto& t : tools_) {
    if (t->definition().name == name) tool = t.get();
    names += (names.empty() ? "" : ", ") + t->definition().name;
  }
  if (!tool) return {false, nullptr, "there is no tool '" + std::string(name) + "'; the tools are: " + names};
  if (!arguments.is_object() && !arguments.is_null())
    return {false, nullptr, "arguments must be a JSON object, got " + std::string(truncate_utf8(dump(arguments), 200))};
  static const json::object no_args;
  const json::object& args = arguments.is_object() ? arguments.get_object() : no_args;
  try {
    return {true, tool->run(args, store, cancel), {}};
  } catch (const store::QueryCancelled&) {
    throw;
  } catch (const ToolArgumentError& e) {
    return {false, nullptr, e.what()};
  } catch (const store::QueryError& e) {
    return {false, nullptr, e.what()};
  } catch (const store::StoreError& e) {
    return {false, nullptr, std::string("the database failed: ") + e.what()};
  } catch (const std::bad_alloc&) {
    spdlog::error("tool {} ran out of memory", name);
    return {false, nullptr, "the query needed more memory than the server has: narrow it with a $match or a $limit"};
  } catch (const std::exception& e) {
    // A library's message may name source files and functions: the log gets it, the model does not.
    spdlog::error("tool {} failed: {}", name, e.what());
    return {false, nullptr, "the tool failed with an internal error (the details are in the server log)"};
  }
}

namespace {

void shorten_strings(json::value& v, std::size_t max_len) {
  if (auto* s = v.if_string()) {
    if (s->size() > max_len) *s = std::string(truncate_utf8(*s, max_len)) + "…";
  } else if (auto* a = v.if_array()) {
    for (auto& x : *a) shorten_strings(x, max_len);
  } else if (auto* o = v.if_object()) {
    for (auto& kv : *o) shorten_strings(kv.value(), max_len);
  }
}

// The list inside a result that can be shortened: the first array member of the object.
json::array* main_list(json::value& v) {
  if (auto* o = v.if_object()) {
    for (auto& kv : *o) {
      if (kv.value().is_array()) return &kv.value().get_array();
    }
  }
  return v.if_array();
}

}  // namespace

std::string render_result(const ToolResult& result, std::size_t max_chars) {
  if (!result.ok) return dump(json::object{{"error", result.error}});
  std::string text = dump(result.value);
  if (text.size() <= max_chars) return text;
  json::value v = result.value;
  shorten_strings(v, 120);
  text = dump(v);
  if (text.size() <= max_chars) return text;
  if (json::array* list = main_list(v)) {
    std::size_t total = list->size();
    while (!list->empty()) {
      list->pop_back();
      json::value copy = v;
      if (auto* o = copy.if_object()) {
        (*o)["omitted"] = std::to_string(total - list->size()) + " of " + std::to_string(total) +
                          " items left out to fit; narrow the query or use a projection";
      }
      text = dump(copy);
      if (text.size() <= max_chars) return text;
    }
  }
  return std::string(truncate_utf8(text, max_chars > 1 ? max_chars - 1 : 0)) + "…";
}

}  // namespace pms::tools
