#pragma once
#include "store/conversation_store.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace pms::store::sqlite {

// How deeply a stored message may nest. A message wraps what came from outside (at most
// kMaxJsonDepth, e.g. a tool call's arguments) in a few levels of its own, so whatever the agent
// saves fits, and it is read back with the same limit: a message is never stored only to be lost
// when the conversation loads. A message deeper than this is refused when saved.
inline constexpr std::size_t kMaxStoredMessageDepth = 2 * kMaxJsonDepth;

// Conversations in the embedded database file (tables `conversations`, `conversation_messages`),
// whatever backend holds the PMS data. A file from before ratings gains their column on open.
class SqliteConversationStore : public ConversationStore {
 public:
  // Waits up to `busy_timeout` for the file when another program has it locked.
  explicit SqliteConversationStore(std::string path, std::chrono::milliseconds busy_timeout = std::chrono::seconds(10));

  std::vector<ConversationSummary> list(std::size_t limit, std::string_view id_prefix, std::string_view search = {}) override;
  std::optional<std::vector<json::object>> load(std::string_view id) override;
  // One transaction for all of them: one commit for a batch of turns (group commit).
  void append_all(const std::vector<ConversationAppend>& turns) override;
  bool rename(std::string_view id, std::string_view title) override;
  FeedbackResult set_feedback(std::string_view id, std::int64_t index, std::optional<Rating> rating) override;
  FeedbackCounts feedback_counts(std::string_view id_prefix) override;
  bool remove(std::string_view id) override;

 private:
  ConnectionPool pool_;
};

}  // namespace pms::store::sqlite
