#pragma once
// The embedded default backend: JSON documents in one SQLite file (table `documents`, one row
// per document, checked with json_valid). Queries are evaluated by the in-memory engine, so their
// semantics are exactly those of the engine's tests; a multikey index over chosen fields
// (value_index.hpp) with sets of documents per value (posting_lists.hpp) narrows what is read,
// answers the counts and counting $groups it covers without reading at all, and reads documents in
// the order of a sort on one indexed field, so a sort with a limit stops early.
#include "store/document_store.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/posting_lists.hpp"
#include "store/sqlite/value_index.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <set>

namespace pms::store::sqlite {

class SqliteDocumentStore : public ScanningDocumentStore {
 public:
  // Opens (creating if needed) the database file at `path`.
  SqliteDocumentStore(std::string path, std::string database_name);

  std::string backend() const override { return "sqlite"; }
  std::string database_name() const override { return database_name_; }
  std::string location() const override { return pool_.path(); }
  std::vector<CollectionInfo> list_collections() override;
  bool has_collection(std::string_view name) override;
  std::vector<json::value> sample(std::string_view collection, std::size_t n) override;
  // From the value index when it covers `field`: no document is read.
  std::vector<ValueCount> value_counts(std::string_view collection, std::string_view field, std::size_t limit,
                                       const CancelToken* cancel = nullptr) override;
  std::optional<std::pair<std::string, std::string>> string_range(std::string_view collection, std::string_view field,
                                                                  const CancelToken* cancel = nullptr) override;
  bool indexed(std::string_view, std::string_view field) override { return index_.covers(field, redacted_fields()); }
  // The highest row number and the row count: every write (also another process's import) moves one.
  std::optional<std::string> change_stamp() override;
  // Also how long a query waits for the file when another program has it locked.
  void set_max_time(std::chrono::milliseconds t) override;

  // Writes `docs` into collection after removing what it held, in one transaction: a failure
  // leaves the collection as it was.
  void replace_collection(std::string_view collection, const std::vector<json::value>& docs);

  // Streams many documents into several collections in one transaction (used by the demo
  // generator and imports). Collections named in `replaced` are emptied first.
  class BulkWriter {
   public:
    BulkWriter(SqliteDocumentStore& store, const std::vector<std::string>& replaced);
    void insert(std::string_view collection, const json::value& doc);
    void commit();

   private:
    ConnectionPool::Lease conn_;
    Transaction tx_;
    Statement insert_;
    Statement replaced_;
    Statement index_insert_;
    Statement index_delete_;
    ValueIndex::Marks marks_;
    SqliteDocumentStore& store_;
    std::set<std::string, std::less<>> written_;  // their document sets are rebuilt on commit
  };

  std::optional<std::string> meta(std::string_view key);
  void set_meta(std::string_view key, std::string_view value);

  // The fields the value index covers (default: default_indexed_paths()); changing them rebuilds
  // the index. Kept in the file, so every process opening it uses the same.
  void set_indexed_paths(std::vector<std::string> paths);
  const std::vector<std::string>& indexed_paths() const { return index_.paths(); }
  // Values held by fewer documents than this get no set of their own (PostingLists::kMinDocuments);
  // applies to collections written from now on. Tests lower it to 1 to take the sets' path everywhere.
  void set_min_posting_documents(std::int64_t n) { min_posting_documents_ = std::max<std::int64_t>(1, n); }
  // Document bodies read by queries since the store was opened: what the index spared shows here.
  std::uint64_t documents_read() const { return documents_read_.load(std::memory_order_relaxed); }

 protected:
  void scan(std::string_view collection, QueryBudget& budget, const std::function<bool(json::value&&)>& visit) override;
  void scan_candidates(std::string_view collection, const json::value& filter, QueryBudget& budget,
                       const std::function<bool(json::value&&)>& visit) override;
  std::optional<std::int64_t> exact_count(std::string_view collection, const json::value& filter, QueryBudget& budget) override;
  // When the value index covers `field`, every value there is one it holds, and the filter is one
  // it answers exactly.
  std::optional<std::vector<json::value>> distinct_from_index(std::string_view collection, std::string_view field,
                                                              const json::value& filter, QueryBudget& budget) override;
  // From the value index when it covers `path`, no document holds a mixed value there, and the
  // match is one the index answers exactly.
  std::optional<GroupCounts> group_counts(std::string_view collection, const json::object& match, std::string_view path,
                                          QueryBudget& budget) override;
  // Along the value index when the sort is on one indexed field that no document holds as an
  // array or a non-scalar, and walking it is expected to be quicker than reading every candidate.
  bool scan_sorted(std::string_view collection, const json::value& filter, const json::value& sort, std::size_t wanted,
                   QueryBudget& budget, const std::function<bool(json::value&&)>& visit) override;

 private:
  // Reads the rows `st` returns (column 0: a document body), in order, each charged by its length.
  void visit_rows(Statement& st, std::string_view collection, QueryBudget& budget,
                  const std::function<bool(json::value&&)>& visit);
  // Reads the documents in `seqs`, in order.
  void visit_seqs(Connection& conn, const DocumentSet& seqs, std::string_view collection, QueryBudget& budget,
                  const std::function<bool(json::value&&)>& visit);
  void rebuild_index();
  ConnectionPool pool_;
  std::string database_name_;
  ValueIndex index_{default_indexed_paths()};
  std::int64_t min_posting_documents_ = PostingLists::kMinDocuments;
  std::atomic<std::uint64_t> documents_read_{0};
};

}  // namespace pms::store::sqlite
