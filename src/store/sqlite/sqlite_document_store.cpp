#include "store/sqlite/sqlite_document_store.hpp"

#include "store/query/filter.hpp"
#include "store/query/query_error.hpp"
#include "store/query/value_compare.hpp"
#include "store/sqlite/index_filter.hpp"

#include <algorithm>
#include <set>

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

json::value parse_body(json::parser& parser, std::string_view body, std::string_view collection) {
  // Each document in one block of its own (kept alive by the value): two allocations instead of
  // one per string, object and array, which was most of the cost of reading a document.
  parser.reset(json::make_shared_resource<json::monotonic_resource>(body.size() * 2));
  boost::system::error_code ec;
  parser.write(body.data(), body.size(), ec);
  if (ec) throw StoreError("corrupt document in collection '" + std::string(collection) + "': " + ec.message());
  return parser.release();
}

// The filter's range on `path`, when all it says about the path is a range.
std::optional<ValueRange> range_on(const json::value& filter, const std::string& path) {
  auto* o = filter.if_object();
  auto it = o ? o->find(path) : nullptr;
  if (!o || it == o->end() || !it->value().is_object()) return std::nullopt;
  return ValueRange::of(it->value().get_object());
}

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
    conn->exec(PostingLists::kSchema);
  }
  if (auto saved = meta("indexed_paths")) {
    std::vector<std::string> paths;
    if (auto v = try_parse(*saved); v && v->is_array())
      for (auto& p : v->get_array())
        if (p.is_string()) paths.emplace_back(p.get_string());
    index_ = ValueIndex(std::move(paths));
    // A file indexed by an older version keeps its rows in another layout: it is indexed anew.
    if (meta("index_format") != ValueIndex::kFormat) {
      {
        auto conn = pool_.acquire();
        conn->exec(ValueIndex::kDropOlderLayout);
        conn->exec(ValueIndex::kSchema);
      }
      rebuild_index();
    }
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
  conn->exec("DELETE FROM doc_values; DELETE FROM doc_value_mixed; DELETE FROM doc_value_unindexed;");
  auto st = conn->prepare("SELECT seq, collection, body FROM documents");
  auto insert = conn->prepare(ValueIndex::kInsert);
  ValueIndex::Marks marks(*conn);
  while (st.step()) {
    if (auto doc = try_parse(st.text(2))) index_.write_rows(insert, marks, st.text(1), st.int64(0), *doc);
  }
  auto collections = conn->prepare("SELECT DISTINCT collection FROM documents");
  std::vector<std::string> names;
  while (collections.step()) names.emplace_back(collections.text(0));
  for (auto& c : names) PostingLists::rebuild(*conn, c, min_posting_documents_);
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

void SqliteDocumentStore::scan(std::string_view collection, QueryBudget& budget, const std::function<bool(json::value&&)>& visit) {
  auto conn = pool_.acquire();
  // The row numbers from the index, then the bodies in their order: ordering the bodies themselves
  // would copy every one of them into a temporary sort first.
  auto st = conn->prepare("SELECT body FROM documents WHERE seq IN (SELECT seq FROM documents WHERE collection = ?1) ORDER BY seq");
  st.bind(1, collection);
  visit_rows(st, collection, budget, visit);
}

void SqliteDocumentStore::scan_candidates(std::string_view collection, const json::value& filter, QueryBudget& budget,
                                          const std::function<bool(json::value&&)>& visit) {
  {
    auto conn = pool_.acquire();
    ReadSnapshot snapshot(*conn);  // the sets and the documents from the same state of the file
    PostingLists sets(*conn, collection, budget);
    auto match = match_from_index(sets, index_, filter, redacted_fields());
    if (match && match->documents.cardinality() < match->of) return visit_seqs(*conn, match->documents, collection, budget, visit);
  }
  scan(collection, budget, visit);  // in storage order, one sequential read
}

std::optional<std::int64_t> SqliteDocumentStore::exact_count(std::string_view collection, const json::value& filter, QueryBudget& budget) {
  auto conn = pool_.acquire();
  ReadSnapshot snapshot(*conn);
  PostingLists sets(*conn, collection, budget);
  auto match = match_from_index(sets, index_, filter, redacted_fields());
  if (!match || !match->exact) return std::nullopt;
  return static_cast<std::int64_t>(match->documents.cardinality());
}

std::vector<ValueCount> SqliteDocumentStore::value_counts(std::string_view collection, std::string_view field,
                                                         std::size_t limit, const CancelToken* cancel) {
  if (!index_.covers(field, redacted_fields())) return ScanningDocumentStore::value_counts(collection, field, limit, cancel);
  auto budget = query_budget(cancel);
  auto conn = pool_.acquire();
  ReadSnapshot snapshot(*conn);
  PostingLists sets(*conn, collection, budget);
  if (auto path = sets.path(field)) {
    std::vector<ValueCount> out;
    for (auto& [value, n] : sets.posting_sizes(field))
      if (value.is_string()) out.push_back({std::move(value), n});
    // Values without a posting are held by fewer documents than any with one: when `limit` values
    // have postings, the most frequent are among them.
    if (path->unposted == 0 || out.size() >= limit) {
      std::stable_sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.documents > b.documents; });
      if (out.size() > limit) out.resize(limit);
      return out;
    }
  }
  auto st = conn->prepare(
      "SELECT value, count(DISTINCT seq) AS n FROM doc_values WHERE collection = ?1 AND path = ?2 AND typeof(value) = 'text' "
      "GROUP BY value ORDER BY n DESC, value LIMIT ?3");
  st.bind(1, collection).bind(2, field).bind(3, static_cast<std::int64_t>(limit));
  std::vector<ValueCount> out;
  StatementBudget bounded(*conn, budget);  // the GROUP BY runs inside SQLite, before the first row
  bounded.run([&] {
    while (st.step()) out.push_back({json::string(st.text(0)), st.int64(1)});
  });
  return out;
}

std::optional<std::vector<json::value>> SqliteDocumentStore::distinct_from_index(std::string_view collection, std::string_view field,
                                                                                 const json::value& filter, QueryBudget& budget) {
  if (!index_.covers(field, redacted_fields())) return std::nullopt;
  auto conn = pool_.acquire();
  ReadSnapshot snapshot(*conn);
  PostingLists sets(*conn, collection, budget);
  auto matched = match_from_index(sets, index_, filter, redacted_fields());
  if (!matched || !matched->exact || sets.unindexed(field)) return std::nullopt;
  std::set<json::value, ValueLess> values;  // the order a read gives
  for (auto& [value, n] : sets.counts_in(field, matched->documents)) {
    budget.hold(footprint(value) + 32);
    values.insert(std::move(value));
  }
  return std::vector<json::value>(values.begin(), values.end());
}

std::optional<std::pair<std::string, std::string>> SqliteDocumentStore::string_range(std::string_view collection, std::string_view field,
                                                                                    const CancelToken* cancel) {
  if (!index_.covers(field, redacted_fields())) return ScanningDocumentStore::string_range(collection, field, cancel);
  auto conn = pool_.acquire();
  ReadSnapshot snapshot(*conn);
  // Each end alone is one step along the index; together with anything else, a read of every row.
  std::optional<std::string> ends[2];
  for (int i = 0; i < 2; ++i) {
    auto st = conn->prepare(std::string("SELECT ") + (i ? "max" : "min") +
                            "(value) FROM doc_values WHERE collection = ?1 AND path = ?2 AND typeof(value) = 'text'");
    st.bind(1, collection).bind(2, field);
    if (!st.step() || st.value(0).is_null()) return std::nullopt;
    ends[i] = std::string(st.text(0));
  }
  return std::pair{*ends[0], *ends[1]};
}

std::optional<std::string> SqliteDocumentStore::change_stamp() {
  auto conn = pool_.acquire();
  auto st = conn->prepare("SELECT coalesce(max(seq), 0), count(*) FROM documents");
  st.step();
  return std::to_string(st.int64(0)) + ":" + std::to_string(st.int64(1));
}

std::optional<ScanningDocumentStore::GroupCounts> SqliteDocumentStore::group_counts(std::string_view collection, const json::object& match,
                                                                                    std::string_view path, QueryBudget& budget) {
  if (!index_.covers(path, redacted_fields())) return std::nullopt;
  auto conn = pool_.acquire();
  ReadSnapshot snapshot(*conn);  // the groups and the total from the same state of the file
  PostingLists sets(*conn, collection, budget);
  if (sets.mixed(path)) return std::nullopt;
  auto matched = match_from_index(sets, index_, json::value(match), redacted_fields());
  if (!matched || !matched->exact) return std::nullopt;
  const DocumentSet& in = matched->documents;
  // Every document has at most one value on the path: the groups' sizes add up to those with one.
  GroupCounts out;
  std::int64_t with_value = 0;
  for (auto& [value, n] : sets.counts_in(path, in)) {
    out.emplace_back(std::move(value), n);
    with_value += n;
  }
  auto total = static_cast<std::int64_t>(in.cardinality());
  if (total > with_value) out.emplace_back(nullptr, total - with_value);
  return out;
}

bool SqliteDocumentStore::scan_sorted(std::string_view collection, const json::value& filter, const json::value& sort,
                                      std::size_t wanted, QueryBudget& budget, const std::function<bool(json::value&&)>& visit) {
  auto* keys = sort.if_object();
  if (!keys || keys->size() != 1 || !is_number(keys->begin()->value())) return false;
  std::string path(keys->begin()->key());
  bool ascending = to_double(keys->begin()->value()) > 0;
  if (!index_.covers(path, redacted_fields())) return false;
  // A range on the sorted field bounds the walk instead of making a set (of perhaps most documents).
  auto bounds = range_on(filter, path);
  json::value rest = filter;
  if (bounds) rest.as_object().erase(path);
  auto conn = pool_.acquire();
  ReadSnapshot snapshot(*conn);
  PostingLists sets(*conn, collection, budget);
  if (sets.mixed(path)) return false;  // arrays sort by an element: not the index's order
  auto matched = match_from_index(sets, index_, rest, redacted_fields());
  auto documents = sets.path(path);
  if (!matched || !documents) return false;
  const DocumentSet& in = matched->documents;
  auto candidates = static_cast<double>(in.cardinality());
  if (candidates == 0) return true;
  // Reading and sorting every candidate costs ~8 us each; the walk reads ~0.15 us an index row and,
  // candidates spread evenly, meets `wanted` of them after wanted * rows / candidates rows.
  double walk = 0.15 * static_cast<double>(wanted) * static_cast<double>(documents->documents.cardinality()) / candidates;
  if (walk > 8 * candidates) return false;

  auto body = conn->prepare("SELECT body FROM documents WHERE seq = ?1");
  json::parser parser;
  bool more = true;
  auto emit = [&](std::uint32_t seq) {
    if (!in.contains(seq)) return;
    body.bind(1, static_cast<std::int64_t>(seq));
    if (body.step()) {
      budget.spend(1 + body.text(0).size() / 256);
      documents_read_.fetch_add(1, std::memory_order_relaxed);
      more = visit(parse_body(parser, body.text(0), collection));
    }
    body.reset();
  };
  // Documents without a value sort as null: before every value ascending, after them descending.
  auto without_value = [&] {
    DocumentSet missing = in - documents->documents;
    for (auto it = missing.begin(); more && it != missing.end(); ++it) emit(*it);
  };
  if (ascending && !bounds) without_value();  // a range matches no missing value
  auto st = conn->prepare("SELECT value, seq FROM doc_values WHERE collection = ?1 AND path = ?2" + (bounds ? bounds->sql(3) : "") +
                          " ORDER BY " + (ascending ? "value, seq" : "value DESC, seq DESC"));
  st.bind(1, collection).bind(2, path);
  if (bounds) bounds->bind(st, 3);
  // Ties keep storage order both ways: walking backwards, each run of one value is turned around.
  std::vector<std::uint32_t> run;
  json::value run_value;
  auto end_run = [&] {
    for (auto it = run.rbegin(); more && it != run.rend(); ++it) emit(*it);
    run.clear();
  };
  while (more && st.step()) {
    budget.spend();
    auto seq = static_cast<std::uint32_t>(st.int64(1));
    if (ascending) {
      emit(seq);
      continue;
    }
    auto value = st.value(0);
    if (!ValueIndex::same_key(value, run_value)) {
      end_run();
      run_value = std::move(value);
    }
    if (in.contains(seq)) run.push_back(seq);
  }
  end_run();
  if (!ascending && !bounds) without_value();
  return true;
}

void SqliteDocumentStore::visit_rows(Statement& st, std::string_view collection, QueryBudget& budget,
                                     const std::function<bool(json::value&&)>& visit) {
  json::parser parser;
  while (st.step()) {
    auto body = st.text(0);
    budget.spend(1 + body.size() / 256);  // parsing is linear in the body
    documents_read_.fetch_add(1, std::memory_order_relaxed);
    if (!visit(parse_body(parser, body, collection))) return;
  }
}

void SqliteDocumentStore::visit_seqs(Connection& conn, const DocumentSet& seqs, std::string_view collection, QueryBudget& budget,
                                     const std::function<bool(json::value&&)>& visit) {
  // A statement per batch of row numbers (a JSON array), not per document: reused cursors are quicker.
  auto st = conn.prepare("SELECT body FROM documents WHERE seq IN (SELECT value FROM json_each(?1)) ORDER BY seq");
  std::string batch;
  std::size_t in_batch = 0;
  auto flush = [&] {
    batch.back() = ']';
    st.bind(1, batch);
    json::parser parser;
    while (st.step()) {
      auto body = st.text(0);
      budget.spend(1 + body.size() / 256);
      documents_read_.fetch_add(1, std::memory_order_relaxed);
      if (!visit(parse_body(parser, body, collection))) return false;
    }
    st.reset();
    batch.clear();
    in_batch = 0;
    return true;
  };
  for (auto seq : seqs) {
    batch += in_batch++ ? "" : "[";
    batch += std::to_string(seq);
    batch += ',';
    if (in_batch == 256 && !flush()) return;
  }
  if (in_batch) flush();
}

std::vector<json::value> SqliteDocumentStore::sample(std::string_view collection, std::size_t n) {
  auto conn = pool_.acquire();
  ReadSnapshot snapshot(*conn);
  std::vector<json::value> out;
  auto keep = [&](json::value&& doc) {
    redact(doc);
    out.push_back(std::move(doc));
    return true;
  };
  // Every stride-th document: deterministic, spread over the whole collection; only those are read.
  QueryBudget unbounded;  // a few documents, for describing a schema
  if (auto all = PostingLists(*conn, collection, unbounded).all()) {
    auto total = all->cardinality();
    auto stride = std::max<std::uint64_t>(1, total / std::max<std::uint64_t>(1, n));
    DocumentSet chosen;
    std::uint32_t seq = 0;
    for (std::uint64_t rank = 0; rank < total && chosen.cardinality() < n; rank += stride)
      if (all->select(static_cast<std::uint32_t>(rank), &seq)) chosen.add(seq);
    visit_seqs(*conn, chosen, collection, unbounded, keep);
    return out;
  }
  auto count_st = conn->prepare("SELECT count(*) FROM documents WHERE collection = ?1");
  count_st.bind(1, collection);
  count_st.step();
  std::int64_t total = count_st.int64(0);
  std::int64_t stride = std::max<std::int64_t>(1, total / std::max<std::int64_t>(1, static_cast<std::int64_t>(n)));
  // A collection without sets: the rows numbered from the index alone.
  auto st = conn->prepare(
      "SELECT body FROM documents WHERE seq IN (SELECT seq FROM (SELECT seq, row_number() OVER (ORDER BY seq) AS r FROM documents "
      "WHERE collection = ?1) WHERE (r - 1) % ?2 = 0 LIMIT ?3) ORDER BY seq");
  st.bind(1, collection).bind(2, stride).bind(3, static_cast<std::int64_t>(n));
  visit_rows(st, collection, unbounded, keep);
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
      replaced_(conn_->prepare("SELECT seq, body FROM documents WHERE collection = ?1 AND id = ?2")),
      index_insert_(conn_->prepare(ValueIndex::kInsert)),
      index_delete_(conn_->prepare(ValueIndex::kDelete)),
      marks_(*conn_),
      store_(store),
      written_(replaced.begin(), replaced.end()) {
  for (auto sql : {"DELETE FROM documents WHERE collection = ?1", "DELETE FROM doc_values WHERE collection = ?1",
                   "DELETE FROM doc_value_mixed WHERE collection = ?1", "DELETE FROM doc_value_unindexed WHERE collection = ?1"}) {
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
  replaced_.bind(1, collection).bind(2, id);
  if (replaced_.step()) {
    if (auto old = try_parse(replaced_.text(1)))
      store_.index_.write_rows(index_delete_, marks_, collection, replaced_.int64(0), *old);
  }
  replaced_.reset();
  insert_.bind(1, collection).bind(2, id).bind(3, dump(doc));
  insert_.run();
  store_.index_.write_rows(index_insert_, marks_, collection, conn_->last_insert_rowid(), doc);
  if (!written_.contains(collection)) written_.emplace(collection);
}

void SqliteDocumentStore::BulkWriter::commit() {
  for (auto& c : written_) PostingLists::rebuild(*conn_, c, store_.min_posting_documents_);
  tx_.commit();
}

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
