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

class ConversationStore {
 public:
  virtual ~ConversationStore() = default;
  // Most recently updated first; only those whose id starts with `id_prefix`.
  virtual std::vector<ConversationSummary> list(std::size_t limit, std::string_view id_prefix) = 0;
  // All messages in order, or nullopt if there is no such conversation.
  virtual std::optional<std::vector<json::object>> load(std::string_view id) = 0;
  // Appends messages, creating the conversation (with `title`) if it is new.
  virtual void append(std::string_view id, std::string_view title, const std::vector<json::object>& messages) = 0;
  // False if there was no such conversation.
  virtual bool remove(std::string_view id) = 0;
};

}  // namespace pms::store
