#include "store/sqlite/sqlite_conversation_store.hpp"

#include "core/time_util.hpp"

#include <algorithm>
#include <sstream>

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

// An answer: what a reader rates, and (with questions) what a search reads.
constexpr std::string_view kIsAnswer = "json_extract(body, '$.role') = 'assistant' AND json_type(body, '$.tool_calls') IS NULL";

// Files made before ratings existed lack the column: added once, under the write lock, so two
// servers opening the same old file do not both add it.
void migrate(Connection& conn) {
  Transaction tx(conn);
  auto cols = conn.prepare("SELECT 1 FROM pragma_table_info('conversation_messages') WHERE name = 'feedback'");
  bool has_feedback = cols.step();
  cols.reset();
  if (!has_feedback) conn.exec("ALTER TABLE conversation_messages ADD COLUMN feedback TEXT CHECK (feedback IN ('up', 'down'))");
  conn.exec("CREATE INDEX IF NOT EXISTS conversation_feedback ON conversation_messages(feedback) WHERE feedback IS NOT NULL");
  tx.commit();
}

// `word` as a LIKE pattern matching it anywhere, its own % _ and \ taken literally.
std::string contains_pattern(std::string_view word) {
  std::string out = "%";
  for (char c : word) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string w; in >> w;)
    if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(std::move(w));
  return out;
}

}  // namespace

SqliteConversationStore::SqliteConversationStore(std::string path, std::chrono::milliseconds busy_timeout)
    : pool_(std::move(path)) {
  pool_.set_busy_timeout(busy_timeout);
  auto conn = pool_.acquire();
  conn->exec(kSchema);
  migrate(*conn);
}

std::vector<ConversationSummary> SqliteConversationStore::list(std::size_t limit, std::string_view id_prefix, std::string_view search) {
  auto words = words_of(search);
  // Every word in the title or in one question or answer (not in tool calls or their results,
  // which hold field names and ids nobody searches for).
  std::string sql =
      "SELECT c.id, c.title, c.created_at, c.updated_at, "
      "(SELECT count(*) FROM conversation_messages m WHERE m.conversation_id = c.id) "
      "FROM conversations c WHERE substr(c.id, 1, length(?2)) = ?2";
  for (std::size_t i = 0; i < words.size(); ++i) {
    auto p = "?" + std::to_string(i + 3);
    sql += " AND (c.title LIKE " + p + " ESCAPE '\\' OR EXISTS (SELECT 1 FROM conversation_messages m WHERE m.conversation_id = c.id "
           "AND (json_extract(m.body, '$.role') = 'user' OR (" + std::string(kIsAnswer) + ")) "
           "AND json_extract(m.body, '$.content') LIKE " + p + " ESCAPE '\\'))";
  }
  sql += " ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?1";
  auto conn = pool_.acquire();
  auto st = conn->prepare(sql);
  st.bind(1, static_cast<std::int64_t>(limit)).bind(2, id_prefix);
  for (std::size_t i = 0; i < words.size(); ++i) st.bind(static_cast<int>(i + 3), contains_pattern(words[i]));
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
  auto st = conn->prepare("SELECT body, feedback FROM conversation_messages WHERE conversation_id = ?1 ORDER BY seq");
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
    if (auto rating = st.value(1); rating.is_string()) out.back()["feedback"] = std::move(rating);
  }
  return out;
}

namespace {

void check_depth(const std::vector<json::object>& messages) {
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (json_depth(messages[i], kMaxStoredMessageDepth) > kMaxStoredMessageDepth)
      throw StoreError("message " + std::to_string(i + 1) + " of the turn nests JSON more than " + std::to_string(kMaxStoredMessageDepth) +
                       " levels deep: the conversation cannot store it");
  }
}

// One turn's rows, inside the caller's transaction.
void append_rows(Connection& conn, const ConversationAppend& turn, const std::string& now) {
  conn.prepare(
          "INSERT INTO conversations(id, title, created_at, updated_at) VALUES (?1, ?2, ?3, ?3) "
          "ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at")
      .bind(1, turn.id).bind(2, turn.title).bind(3, now).run();
  auto next = conn.prepare("SELECT coalesce(max(seq), -1) + 1 FROM conversation_messages WHERE conversation_id = ?1");
  next.bind(1, turn.id);
  next.step();
  std::int64_t seq = next.int64(0);
  // Left on its row, the statement would keep reading past COMMIT, and a connection that reads
  // cannot checkpoint: every commit's checkpoint failed and the WAL grew until the server stopped.
  next.reset();
  auto ins = conn.prepare("INSERT INTO conversation_messages(conversation_id, seq, body) VALUES (?1, ?2, ?3)");
  for (auto& m : turn.messages) {
    ins.bind(1, turn.id).bind(2, seq++).bind(3, dump(m));
    ins.run();
  }
}

}  // namespace

void SqliteConversationStore::append_all(const std::vector<ConversationAppend>& turns) {
  for (auto& t : turns) check_depth(t.messages);
  auto conn = pool_.acquire();
  Transaction tx(*conn);
  std::string now = now_iso8601();
  for (auto& t : turns) append_rows(*conn, t, now);
  tx.commit();
}

bool SqliteConversationStore::rename(std::string_view id, std::string_view title) {
  auto conn = pool_.acquire();
  conn->prepare("UPDATE conversations SET title = ?2 WHERE id = ?1").bind(1, id).bind(2, title).run();
  return conn->changes() > 0;
}

FeedbackResult SqliteConversationStore::set_feedback(std::string_view id, std::int64_t index, std::optional<Rating> rating) {
  auto conn = pool_.acquire();
  Transaction tx(*conn);
  auto exists = conn->prepare("SELECT 1 FROM conversations WHERE id = ?1");
  exists.bind(1, id);
  bool found = exists.step();
  exists.reset();
  if (!found) return FeedbackResult::no_conversation;
  // seq counts from 0 without gaps (messages are only appended), so it is the message's place in load().
  auto msg = conn->prepare("SELECT " + std::string(kIsAnswer) + " FROM conversation_messages WHERE conversation_id = ?1 AND seq = ?2");
  msg.bind(1, id).bind(2, index);
  if (!msg.step()) return FeedbackResult::no_message;
  bool answer = msg.int64(0) != 0;
  msg.reset();
  if (!answer) return FeedbackResult::not_an_answer;
  auto set = conn->prepare("UPDATE conversation_messages SET feedback = ?3 WHERE conversation_id = ?1 AND seq = ?2");
  set.bind(1, id).bind(2, index);
  if (rating) set.bind(3, *rating == Rating::up ? "up" : "down");
  set.run();
  tx.commit();
  return FeedbackResult::saved;
}

FeedbackCounts SqliteConversationStore::feedback_counts(std::string_view id_prefix) {
  auto conn = pool_.acquire();
  auto st = conn->prepare(
      "SELECT feedback, count(*) FROM conversation_messages WHERE feedback IS NOT NULL "
      "AND substr(conversation_id, 1, length(?1)) = ?1 GROUP BY feedback");
  st.bind(1, id_prefix);
  FeedbackCounts out;
  while (st.step()) (st.text(0) == "up" ? out.up : out.down) = st.int64(1);
  return out;
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
