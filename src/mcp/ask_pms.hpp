#pragma once
// ask_pms: a question in words (or a MongoDB shell query) answered by the built-in question
// planner, as the chat answers without a model: the answer text, what was understood, the tool
// calls made and their rows. A question the planner cannot answer with confidence is a normal
// result saying what was not understood; a failing database is an error result.
#include "mcp/toolbox.hpp"

namespace pms::mcp {

const tools::ToolDefinition& ask_pms_definition();
CallResult ask_pms(const json::object& arguments, const ToolboxServices& services, const CancelToken* cancel);

}  // namespace pms::mcp
