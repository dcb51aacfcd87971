#include "store/sqlite/sqlite_conversation_store.hpp"

#include "core/time_util.hpp"

namespace pms::store::sqlite {

namespace {
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS conversations (
  id         TEXT PRIMARY KEY,
  title      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS conversation_messages (
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  seq             INTEGER NOT NULL,
  body            TEXT NOT NULL CHECK (json_valid(body)),
  PRIMARY KEY (conversation_id, seq)
);
)sql";
}  // namespace

SqliteConversationStore::SqliteConversationStore(std::string path, std::chrono::milliseconds busy_timeout)
    : pool_(std::move(path)) {
  pool_.set_busy_timeout(busy_timeout);
  pool_.acquire()->exec(kSchema);
}

std::vector<ConversationSummary> SqliteConversationStore::list(std::size_t limit, std::string_view id_prefix) {
  auto conn = pool_.acquire();
  auto st = conn->prepare(
      "SELECT c.id, c.title, c.created_at, c.updated_at, "
      "(SELECT count(*) FROM conversation_messages m WHERE m.conversation_id = c.id) "
      "FROM conversations c WHERE substr(c.id, 1, length(?2)) = ?2 ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?1");
  st.bind(1, static_cast<std::int64_t>(limit)).bind(2, id_prefix);
  std::vector<ConversationSummary> out;
  while (st.step()) {
    out.push_back({std::string(st.text(0)), std::string(st.text(1)), std::string(st.text(2)),
                   std::string(st.text(3)), st.int64(4)});
  }
  return out;
}

std::optional<std::vector<json::object>> SqliteConversationStore::load(std::string_view id) {
  auto conn = pool_.acquire();
  auto exists = conn->prepare("SELECT 1 FROM conversations WHERE id = ?1");
  exists.bind(1, id);
  if (!exists.step()) return std::nullopt;
  auto st = conn->prepare("SELECT body FROM conversation_messages WHERE conversation_id = ?1 ORDER BY seq");
  st.bind(1, id);
  std::vector<json::object> out;
  while (st.step()) {
    std::string err;
    auto v = try_parse(st.text(0), &err, kMaxStoredMessageDepth);
    // Only a file changed by another program holds such a row: say so rather than lose it quietly.
    if (!v || !v->is_object())
      throw StoreError("message " + std::to_string(out.size() + 1) + " of conversation '" + std::string(id) +
                       "' cannot be read (" + (v ? std::string("not an object") : err) + ")");
    out.push_back(std::move(v->get_object()));
  }
  return out;
}

void SqliteConversationStore::append(std::string_view id, std::string_view title, const std::vector<json::object>& messages) {
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (json_depth(messages[i], kMaxStoredMessageDepth) > kMaxStoredMessageDepth)
      throw StoreError("message " + std::to_string(i + 1) + " of the turn nests JSON more than " + std::to_string(kMaxStoredMessageDepth) +
                       " levels deep: the conversation cannot store it");
  }
  auto conn = pool_.acquire();
  Transaction tx(*conn);
  std::string now = now_iso8601();
  conn->prepare(
          "INSERT INTO conversations(id, title, created_at, updated_at) VALUES (?1, ?2, ?3, ?3) "
          "ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at")
      .bind(1, id).bind(2, title).bind(3, now).run();
  auto next = conn->prepare("SELECT coalesce(max(seq), -1) + 1 FROM conversation_messages WHERE conversation_id = ?1");
  next.bind(1, id);
  next.step();
  std::int64_t seq = next.int64(0);
  // Left on its row, the statement would keep reading past COMMIT, and a connection that reads
  // cannot checkpoint: every commit's checkpoint failed and the WAL grew until the server stopped.
  next.reset();
  auto ins = conn->prepare("INSERT INTO conversation_messages(conversation_id, seq, body) VALUES (?1, ?2, ?3)");
  for (auto& m : messages) {
    ins.bind(1, id).bind(2, seq++).bind(3, dump(m));
    ins.run();
  }
  tx.commit();
}

bool SqliteConversationStore::remove(std::string_view id) {
  auto conn = pool_.acquire();
  Transaction tx(*conn);
  conn->prepare("DELETE FROM conversation_messages WHERE conversation_id = ?1").bind(1, id).run();
  auto st = conn->prepare("DELETE FROM conversations WHERE id = ?1");
  st.bind(1, id);
  st.run();
  bool removed = conn->changes() > 0;
  tx.commit();
  return removed;
}

}  // namespace pms::store::sqlite
