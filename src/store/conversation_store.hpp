#pragma once
// Where conversations live between turns and across restarts. Messages are JSON objects as the
// agent writes them ({"role", "content", "tool_calls"?, "tool_name"?, "timestamp"}).
// Methods are blocking and throw StoreError when the database fails.
#include "core/json_util.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pms::store {

struct ConversationSummary {
  std::string id;
  std::string title;
  std::string created_at;
  std::string updated_at;
  std::int64_t message_count = 0;
};

// A reader's verdict on one answer.
enum class Rating { up, down };

struct FeedbackCounts {
  std::int64_t up = 0;
  std::int64_t down = 0;
};

enum class FeedbackResult { saved, no_conversation, no_message, not_an_answer };

// One turn's messages for a conversation, created with `title` if it is new.
struct ConversationAppend {
  std::string_view id;
  std::string_view title;
  const std::vector<json::object>& messages;
};

class ConversationStore {
 public:
  virtual ~ConversationStore() = default;
  // Most recently updated first; only those whose id starts with `id_prefix` and, when `search`
  // has words, that hold every one of them (ASCII case ignored) in the title, a question or an answer.
  virtual std::vector<ConversationSummary> list(std::size_t limit, std::string_view id_prefix, std::string_view search = {}) = 0;
  // All messages in order, or nullopt if there is no such conversation. An answer with a rating
  // carries it as "feedback": "up" | "down".
  virtual std::optional<std::vector<json::object>> load(std::string_view id) = 0;
  // Appends several turns (of one conversation or many, in order) at once: all are saved or none
  // is. Each creates its conversation (with its `title`) if it is new.
  virtual void append_all(const std::vector<ConversationAppend>& turns) = 0;
  // One turn.
  void append(std::string_view id, std::string_view title, const std::vector<json::object>& messages) {
    append_all({{id, title, messages}});
  }
  // False if there was no such conversation. The last activity stays as it was.
  virtual bool rename(std::string_view id, std::string_view title) = 0;
  // Rates message `index` (its place in load()'s list), which must be an answer (an assistant
  // message without tool calls); nullopt clears the rating.
  virtual FeedbackResult set_feedback(std::string_view id, std::int64_t index, std::optional<Rating> rating) = 0;
  // The ratings of the conversations whose id starts with `id_prefix`.
  virtual FeedbackCounts feedback_counts(std::string_view id_prefix) = 0;
  // False if there was no such conversation.
  virtual bool remove(std::string_view id) = 0;
};

}  // namespace pms::store
