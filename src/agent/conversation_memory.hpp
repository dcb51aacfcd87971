#pragma once
// Conversation history per conversation_id: loaded from and appended to the ConversationStore
// (so it survives restarts), and trimmed to what fits in the model's context window.
#include "llm/chat_types.hpp"
#include "store/conversation_store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pms::agent {

// A rough token count (about 3.5 characters per token, plus per-message overhead): good enough to
// keep a prompt inside num_ctx without a tokenizer.
std::size_t estimate_tokens(const llm::ChatMessage& m);
std::size_t estimate_tokens(std::string_view text);

// The newest whole turns of `history` (a turn starts at a user message) whose estimate fits in
// `budget_tokens`. Tool exchanges of older turns are dropped first: their answers remain.
std::vector<llm::ChatMessage> fit_history(const std::vector<llm::ChatMessage>& history, std::size_t budget_tokens);

// Where a tenant's conversation is stored: "<tenant>/<id>" ('/' cannot occur in a conversation id,
// so no id reaches another tenant's conversations); the id itself without a tenant.
std::string conversation_key(std::string_view tenant, std::string_view conversation_id);

// A new conversation's name: what the planner understood its first question as ("Count work
// items where state is open"), else the question's first words (without /q); one line, cut at a
// word, at most kMaxTitleBytes.
inline constexpr std::size_t kMaxTitleBytes = 72;
std::string conversation_title(std::string_view first_user_message, const std::vector<json::object>& messages);

class ConversationMemory {
 public:
  explicit ConversationMemory(store::ConversationStore& store) : store_(store) {}

  // What a turn needs of its conversation: the messages for the model, and the last plan the
  // planner answered with, which follow-ups build on. Blocking; throws store::StoreError.
  struct Recall {
    std::vector<llm::ChatMessage> history;
    std::optional<json::object> last_plan;  // the newest answer's "plan_context", planner refusals since skipped
  };
  Recall recall(std::string_view conversation_id);
  void append(std::string_view conversation_id, std::string_view first_user_message,
              const std::vector<json::object>& messages);
  // Several turns at once, all saved or none (ConversationStore::append_all).
  struct Turn {
    std::string_view conversation_id;
    std::string_view first_user_message;
    const std::vector<json::object>& messages;
  };
  void append_all(const std::vector<Turn>& turns);

 private:
  store::ConversationStore& store_;
};

}  // namespace pms::agent
