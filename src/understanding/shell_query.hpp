#pragma once
// A MongoDB shell query typed as a message, run as written through the read-only tools:
//   db.workItem.find({"state.name": "Done"}, {title: 1}).sort({createdTimeStamp: -1}).limit(5)
//   db.workItem.countDocuments({priority: 'HIGH'})    db.getCollection("workItem").count()
//   db.workItem.aggregate([{$group: {_id: "$priority", n: {$sum: 1}}}])
//   db.members.distinct("role", {})                    db.project.findOne({name: /mobile/i})
// Arguments are JavaScript object literals as mongosh accepts them (unquoted keys, single quotes,
// trailing commas, /regex/flags, ISODate(...), ObjectId(...), UUID(...), NumberLong(...)).
#include "tools/tool_registry.hpp"
#include "understanding/plan_run.hpp"

#include <optional>
#include <stdexcept>
#include <string>

namespace pms::understanding {

class ShellQueryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Whether `text` is meant as a shell query (starts with "db.").
bool looks_like_shell_query(std::string_view text);

// The tool call for a shell query; throws ShellQueryError saying what is wrong and what works.
ToolCall parse_shell_query(std::string_view text);

// A JavaScript object/array literal as strict JSON (Extended JSON for dates, ids and regexes).
// Throws ShellQueryError.
std::string shell_literal_to_json(std::string_view text);

// The reply for a tool call's result: a sentence and, for documents, a table.
std::string describe_tool_result(const ToolCall& call, const tools::ToolResult& result);

}  // namespace pms::understanding
