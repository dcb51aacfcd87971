#pragma once
// Follow-ups: a message that changes the conversation's last plan instead of asking anew.
//
//   "how many open bugs in Mobile App?"  -> count, state open, project Mobile App
//   "and only the high priority ones?"   -> the same, priority is HIGH added
//   "what about Billing Platform?"       -> the project replaced
//   "same for last month" / "now by assignee" / "list them" / "how many is that?"
//   "show more" / "next 20" / "show all" -> the next page of the same list (same sort, skipped rows)
//
// A message reads as a follow-up when it says so ("and", "now", "what about", "same", "them",
// "more", ...) or is a fragment without a question word ("by assignee", "only urgent"). It is read
// as being about the last plan's entity and merged role by role: a value replaces the values of
// its role ("also"/"too" adds to them; "not ..." narrows), a time replaces the time of its kind,
// an operation replaces the operation. One that cannot be tied to a last plan is refused with
// that reason, never answered out of context.
#include "understanding/plan_context.hpp"
#include "understanding/question_planner.hpp"

namespace pms::understanding {

// Most messages one context holds; then the next question has to be asked whole.
inline constexpr std::size_t kMaxFollowUps = 30;

// understand_question for a message of a conversation whose last plan is `last` (nullptr: none,
// or the last answer had no plan). `earlier_turns`: the conversation has answers before this
// message (then even "the urgent ones" may mean the last of them, and without a last plan is refused).
Understanding understand_message(std::string_view message, const ValueCatalog& catalog, std::int64_t now_ms, const PlanContext* last,
                                 bool earlier_turns = false);

}  // namespace pms::understanding
