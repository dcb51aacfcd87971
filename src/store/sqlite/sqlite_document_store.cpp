#include "store/sqlite/sqlite_document_store.hpp"

#include "store/query/query_error.hpp"

namespace pms::store::sqlite {

namespace {
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS documents (
  seq        INTEGER PRIMARY KEY,
  collection TEXT NOT NULL,
  id         TEXT NOT NULL,
  body       TEXT NOT NULL CHECK (json_valid(body))
);
CREATE UNIQUE INDEX IF NOT EXISTS documents_by_id ON documents(collection, id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql";

// The key that makes re-importing a document replace it: its _id as text.
std::string document_id(const json::value& doc) {
  if (auto* o = doc.if_object()) {
    if (auto it = o->find("_id"); it != o->end()) {
      return it->value().is_string() ? std::string(it->value().get_string()) : dump(it->value());
    }
  }
  throw StoreError("every document needs an _id to be stored");
}
}  // namespace

SqliteDocumentStore::SqliteDocumentStore(std::string path, std::string database_name)
    : pool_(std::move(path)), database_name_(std::move(database_name)) {
  {
    auto conn = pool_.acquire();
    conn->exec(kSchema);
    conn->exec(ValueIndex::kSchema);
  }
  if (auto saved = meta("indexed_paths")) {
    std::vector<std::string> paths;
    if (auto v = try_parse(*saved); v && v->is_array())
      for (auto& p : v->get_array())
        if (p.is_string()) paths.emplace_back(p.get_string());
    index_ = ValueIndex(std::move(paths));
    if (meta("index_format") != ValueIndex::kFormat) rebuild_index();  // a file indexed by an older version
  } else {
    set_indexed_paths(default_indexed_paths());  // a file from before the index: build it once
  }
}

void SqliteDocumentStore::set_indexed_paths(std::vector<std::string> paths) {
  json::array list(paths.begin(), paths.end());
  if (meta("indexed_paths") == dump(list)) return;
  index_ = ValueIndex(std::move(paths));
  rebuild_index();
  set_meta("indexed_paths", dump(list));
}

void SqliteDocumentStore::rebuild_index() {
  auto conn = pool_.acquire();
  Transaction tx(*conn);
  conn->exec("DELETE FROM doc_values; DELETE FROM doc_value_mixed;");
  auto st = conn->prepare("SELECT seq, collection, body FROM documents");
  auto insert = conn->prepare(ValueIndex::kInsert);
  auto mark = conn->prepare(ValueIndex::kMarkMixed);
  while (st.step()) {
    if (auto doc = try_parse(st.text(2))) index_.add(insert, mark, st.text(1), st.int64(0), *doc);
  }
  conn->prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('index_format', ?1)").bind(1, ValueIndex::kFormat).run();
  tx.commit();
}

void SqliteDocumentStore::set_max_time(std::chrono::milliseconds t) {
  ScanningDocumentStore::set_max_time(t);
  pool_.set_busy_timeout(t);
}

std::vector<CollectionInfo> SqliteDocumentStore::list_collections() {
  auto conn = pool_.acquire();
  auto st = conn->prepare("SELECT collection, count(*) FROM documents GROUP BY collection ORDER BY collection");
  std::vector<CollectionInfo> out;
  while (st.step()) out.push_back({std::string(st.text(0)), st.int64(1)});
  return out;
}

bool SqliteDocumentStore::has_collection(std::string_view name) {
  auto conn = pool_.acquire();
  auto st = conn->prepare("SELECT 1 FROM documents WHERE collection = ?1 LIMIT 1");  // uses documents_by_id
  st.bind(1, name);
  return st.step();
}

void SqliteDocumentStore::scan(std::string_view collection, const CancelToken* cancel,
                               const std::function<bool(json::value&&)>& visit) {
  auto conn = pool_.acquire();
  auto st = conn->prepare("SELECT body FROM documents WHERE collection = ?1 ORDER BY seq");
  st.bind(1, collection);
  visit_rows(st, collection, cancel, visit);
}

void SqliteDocumentStore::scan_candidates(std::string_view collection, const json::value& filter, const CancelToken* cancel,
                                          const std::function<bool(json::value&&)>& visit) {
  auto plan = index_.plan(filter, redacted_fields());
  if (!plan) return scan(collection, cancel, visit);
  auto conn = pool_.acquire();
  auto st = conn->prepare("SELECT body FROM documents WHERE seq IN (" + plan->candidates + ") ORDER BY seq");
  st.bind(1, collection);
  bind_plan(st, *plan);
  visit_rows(st, collection, cancel, visit);
}

std::optional<std::int64_t> SqliteDocumentStore::exact_count(std::string_view collection, const json::value& filter) {
  auto plan = index_.plan(filter, redacted_fields());
  if (!plan || !plan->exact) return std::nullopt;
  auto conn = pool_.acquire();
  // A document reaching several matching values (an array) is one match.
  auto st = conn->prepare("SELECT count(DISTINCT seq) FROM (" + plan->candidates + ")");
  st.bind(1, collection);
  bind_plan(st, *plan);
  st.step();
  return st.int64(0);
}

std::vector<ValueCount> SqliteDocumentStore::value_counts(std::string_view collection, std::string_view field,
                                                         std::size_t limit, const CancelToken* cancel) {
  if (!index_.covers(field, redacted_fields())) return ScanningDocumentStore::value_counts(collection, field, limit, cancel);
  auto conn = pool_.acquire();
  auto st = conn->prepare(
      "SELECT value, count(DISTINCT seq) AS n FROM doc_values WHERE collection = ?1 AND path = ?2 AND typeof(value) = 'text' "
      "GROUP BY value ORDER BY n DESC, value LIMIT ?3");
  st.bind(1, collection).bind(2, field).bind(3, static_cast<std::int64_t>(limit));
  std::vector<ValueCount> out;
  while (st.step()) out.push_back({json::string(st.text(0)), st.int64(1)});
  return out;
}

std::optional<std::pair<std::string, std::string>> SqliteDocumentStore::string_range(std::string_view collection, std::string_view field,
                                                                                    const CancelToken* cancel) {
  if (!index_.covers(field, redacted_fields())) return ScanningDocumentStore::string_range(collection, field, cancel);
  auto conn = pool_.acquire();
  auto st = conn->prepare(
      "SELECT min(value), max(value), count(*) FROM doc_values WHERE collection = ?1 AND path = ?2 AND typeof(value) = 'text'");
  st.bind(1, collection).bind(2, field);
  if (!st.step() || st.int64(2) == 0) return std::nullopt;
  return std::pair{std::string(st.text(0)), std::string(st.text(1))};
}

std::optional<std::string> SqliteDocumentStore::change_stamp() {
  auto conn = pool_.acquire();
  auto st = conn->prepare("SELECT coalesce(max(seq), 0), count(*) FROM documents");
  st.step();
  return std::to_string(st.int64(0)) + ":" + std::to_string(st.int64(1));
}

std::optional<ScanningDocumentStore::GroupCounts> SqliteDocumentStore::group_counts(std::string_view collection, const json::object& match,
                                                                           std::string_view path) {
  if (!index_.covers(path, redacted_fields())) return std::nullopt;
  std::optional<ValueIndex::Plan> plan;
  if (!match.empty()) {
    plan = index_.plan(match, redacted_fields());
    if (!plan || !plan->exact) return std::nullopt;
  }
  auto conn = pool_.acquire();
  ReadSnapshot snapshot(*conn);  // the groups and the total from the same state of the file
  auto mixed = conn->prepare("SELECT 1 FROM doc_value_mixed WHERE collection = ?1 AND path = ?2");
  mixed.bind(1, collection).bind(2, path);
  if (mixed.step()) return std::nullopt;
  // Every document has at most one row for the path: counting rows counts documents.
  int path_param = 2 + static_cast<int>(plan ? plan->binds.size() : 0);
  auto st = conn->prepare("SELECT value, count(*) FROM doc_values WHERE collection = ?1 AND path = ?" + std::to_string(path_param) +
                          (plan ? " AND seq IN (" + plan->candidates + ")" : "") + " GROUP BY value");
  st.bind(1, collection).bind(path_param, path);
  if (plan) bind_plan(st, *plan);
  GroupCounts out;
  std::int64_t with_value = 0;
  while (st.step()) {
    out.emplace_back(st.value(0), st.int64(1));
    with_value += st.int64(1);
  }
  auto total = conn->prepare(plan ? "SELECT count(DISTINCT seq) FROM (" + plan->candidates + ")"
                                  : std::string("SELECT count(*) FROM documents WHERE collection = ?1"));
  total.bind(1, collection);
  if (plan) bind_plan(total, *plan);
  total.step();
  if (total.int64(0) > with_value) out.emplace_back(nullptr, total.int64(0) - with_value);
  return out;
}

void SqliteDocumentStore::visit_rows(Statement& st, std::string_view collection, const CancelToken* cancel,
                                     const std::function<bool(json::value&&)>& visit) {
  json::parser parser;
  std::size_t rows = 0;
  while (st.step()) {
    if (cancel && (++rows & 255) == 0 && cancel->cancelled()) throw QueryCancelled();
    parser.reset();
    boost::system::error_code ec;
    auto body = st.text(0);
    parser.write(body.data(), body.size(), ec);
    if (ec) throw StoreError("corrupt document in collection '" + std::string(collection) + "': " + ec.message());
    if (!visit(parser.release())) return;
  }
}

std::vector<json::value> SqliteDocumentStore::sample(std::string_view collection, std::size_t n) {
  auto conn = pool_.acquire();
  auto count_st = conn->prepare("SELECT count(*) FROM documents WHERE collection = ?1");
  count_st.bind(1, collection);
  count_st.step();
  std::int64_t total = count_st.int64(0);
  std::int64_t stride = std::max<std::int64_t>(1, total / std::max<std::int64_t>(1, static_cast<std::int64_t>(n)));
  // Every stride-th document: deterministic, spread over the whole collection. The rows are
  // numbered from the index alone; only the chosen documents are read.
  auto st = conn->prepare(
      "SELECT body FROM documents WHERE seq IN (SELECT seq FROM (SELECT seq, row_number() OVER (ORDER BY seq) AS r FROM documents "
      "WHERE collection = ?1) WHERE (r - 1) % ?2 = 0 LIMIT ?3) ORDER BY seq");
  st.bind(1, collection).bind(2, stride).bind(3, static_cast<std::int64_t>(n));
  std::vector<json::value> out;
  while (st.step()) {
    if (auto v = try_parse(st.text(0))) {
      redact(*v);
      out.push_back(std::move(*v));
    }
  }
  return out;
}

void SqliteDocumentStore::replace_collection(std::string_view collection, const std::vector<json::value>& docs) {
  BulkWriter w(*this, {std::string(collection)});
  for (auto& d : docs) w.insert(collection, d);
  w.commit();
}

SqliteDocumentStore::BulkWriter::BulkWriter(SqliteDocumentStore& store, const std::vector<std::string>& replaced)
    : conn_(store.pool_.acquire()),
      tx_(*conn_),
      insert_(conn_->prepare("INSERT OR REPLACE INTO documents(collection, id, body) VALUES (?1, ?2, ?3)")),
      forget_(conn_->prepare("DELETE FROM doc_values WHERE seq IN (SELECT seq FROM documents WHERE collection = ?1 AND id = ?2)")),
      index_insert_(conn_->prepare(ValueIndex::kInsert)),
      mark_mixed_(conn_->prepare(ValueIndex::kMarkMixed)),
      index_(store.index_) {
  for (auto sql : {"DELETE FROM documents WHERE collection = ?1", "DELETE FROM doc_values WHERE collection = ?1",
                   "DELETE FROM doc_value_mixed WHERE collection = ?1"}) {
    auto del = conn_->prepare(sql);
    for (auto& c : replaced) {
      del.bind(1, c);
      del.run();
    }
  }
}

void SqliteDocumentStore::BulkWriter::insert(std::string_view collection, const json::value& doc) {
  auto id = document_id(doc);
  // A document replacing one with the same _id takes its index rows away with it.
  forget_.bind(1, collection).bind(2, id);
  forget_.run();
  insert_.bind(1, collection).bind(2, id).bind(3, dump(doc));
  insert_.run();
  index_.add(index_insert_, mark_mixed_, collection, conn_->last_insert_rowid(), doc);
}

void SqliteDocumentStore::BulkWriter::commit() { tx_.commit(); }

std::optional<std::string> SqliteDocumentStore::meta(std::string_view key) {
  auto conn = pool_.acquire();
  auto st = conn->prepare("SELECT value FROM meta WHERE key = ?1");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return std::string(st.text(0));
}

void SqliteDocumentStore::set_meta(std::string_view key, std::string_view value) {
  auto conn = pool_.acquire();
  conn->prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)").bind(1, key).bind(2, value).run();
}

}  // namespace pms::store::sqlite
