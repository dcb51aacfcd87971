#pragma once
#include "store/conversation_store.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace pms::store::sqlite {

// Conversations in the embedded database file (tables `conversations`, `conversation_messages`),
// whatever backend holds the PMS data.
class SqliteConversationStore : public ConversationStore {
 public:
  // Waits up to `busy_timeout` for the file when another program has it locked.
  explicit SqliteConversationStore(std::string path, std::chrono::milliseconds busy_timeout = std::chrono::seconds(10));

  std::vector<ConversationSummary> list(std::size_t limit, std::string_view id_prefix) override;
  std::optional<std::vector<json::object>> load(std::string_view id) override;
  void append(std::string_view id, std::string_view title, const std::vector<json::object>& messages) override;
  bool remove(std::string_view id) override;

 private:
  ConnectionPool pool_;
};

}  // namespace pms::store::sqlite
