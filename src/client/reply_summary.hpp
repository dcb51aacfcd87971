#pragma once
// What pms-chat prints after an answer, from its `complete` event (docs/protocol.md): which path
// answered and how fast, and whether a list has rows it did not show. Pure.
#include "core/json_util.hpp"

#include <string>

namespace pms::client {

// "[planner · 12 ms]", "[model · first token 310 ms · 42 tokens · 18.5 tokens/s · 2.31 s]",
// "[stopped · model · ...]". Token figures only for answers a model wrote.
std::string reply_footer(const json::object& complete);

// For a list with rows left after its page: "20 more: type 'show more'", adding "or 'show all'"
// when the server gives them all at once. Empty otherwise.
std::string more_rows_hint(const json::object& complete);

}  // namespace pms::client
