#pragma once
// TEST DOUBLE. A scripted LLM that behaves like a 0.6B model at free tool calling: it writes
// lowercase values ("state.name": "backlog"), invents fields ("stage", "assignee": "Priya"),
// sends one malformed call (arguments that are not JSON), then the call again as text in its
// content (<tool_call>{...}</tool_call>, as small models do) — and, like a real model, reads the
// `hint` of a tool result that matched nothing and retries with the path and value it suggests.
// Finally it answers with the count it got. Stateless: each reply follows from the request's
// messages, so it serves any number of conversations at once.
#include "support/scripted_llm_server.hpp"

#include <chrono>
#include <string_view>

namespace pms::testing {

// The filter the sloppy model first writes for a question on work items:
//   "... assigned to Priya ..." -> {"assignee": "Priya"}   (a name on an array of {_id, name})
//   "... in stage Backlog ..."  -> {"stage": "backlog"}    (an invented field, lowercased)
//   "... in state Backlog ..."  -> {"state.name": "backlog"}
// and {} for anything else.
json::object sloppy_filter(std::string_view question);

// `filter` with the corrections `hint` (tools/zero_match_hint.hpp) suggests: a field renamed to
// its "did you mean" path, a value replaced by the first of its "stored values nearest to it".
json::object follow_hint(json::object filter, std::string_view hint);

// The sloppy model as a responder for ScriptedLlmServer (`delay` between streamed chunks).
// A request asking for a reply under a JSON schema (a model plan) gets an off-schema plan.
Responder sloppy_responder(std::chrono::milliseconds delay = {});

}  // namespace pms::testing
