#include "tools/find_documents_tool.hpp"

#include "tools/zero_match_hint.hpp"

namespace pms::tools {

namespace {
constexpr std::int64_t kDefaultLimit = 10;
constexpr std::int64_t kMaxLimit = 50;
constexpr std::int64_t kMaxSkip = 1'000'000;
}  // namespace

const ToolDefinition& FindDocumentsTool::definition() const {
  static const ToolDefinition def{
      "find_documents",
      "Find documents with a MongoDB filter, e.g. {\"state.name\": \"Done\"}. Optional projection, sort "
      "({\"createdTimeStamp\": -1}) and limit (default 10, max 50).",
      schema_object({{"collection", json::object{{"type", "string"}}},
                     {"filter", json::object{{"type", "object"}}},
                     {"projection", json::object{{"type", "object"}}},
                     {"sort", json::object{{"type", "object"}}},
                     {"limit", json::object{{"type", "integer"}}}},
                    {"collection"})};
  return def;
}

json::value FindDocumentsTool::run(const json::object& args, store::DocumentStore& store, const CancelToken* cancel) const {
  store::FindRequest req;
  req.collection = required_string(args, "collection");
  require_collection(store, req.collection);
  req.filter = optional_object(args, "filter");
  req.projection = optional_object(args, "projection");
  req.sort = optional_object(args, "sort");
  req.skip = optional_integer(args, "skip", 0, 0, kMaxSkip);
  // A larger limit is the model asking for everything: it gets the most a result holds, and "more".
  std::int64_t limit = std::min(optional_integer(args, "limit", kDefaultLimit, 1, INT64_MAX), kMaxLimit);
  req.limit = limit + 1;  // one more tells whether there are more
  auto docs = store.find(req, cancel);
  bool more = static_cast<std::int64_t>(docs.size()) > limit;
  if (more) docs.pop_back();
  json::object out{{"collection", req.collection}, {"returned", static_cast<std::int64_t>(docs.size())}};
  out["documents"] = json::array(docs.begin(), docs.end());
  if (more) out["more"] = "more documents match; use count_documents for the total";
  if (docs.empty() && req.skip == 0) add_zero_match_hint(out, store, req.collection, req.filter, cancel);
  return out;
}

}  // namespace pms::tools
