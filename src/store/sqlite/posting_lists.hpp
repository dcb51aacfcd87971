#pragma once
// Sets of documents kept beside the value index (value_index.hpp), as compressed bitmaps
// (CRoaring) of the documents' row numbers: a filter on indexed fields becomes set operations and
// a count a cardinality, instead of a join of index rows at ~150 ns a row (at 1M work items,
// "Done" and "HIGH" alone are 640,000 rows).
//   doc_sets      per collection its documents (path ""), and per indexed path the documents
//                 holding a value there;
//   doc_postings  per value held by at least `min_documents` documents, the documents holding it.
//                 Rarer values are read from doc_values (a few rows each).
//   doc_ranges    per indexed path holding only strings or only numbers, the documents of each run
//                 of about kRangeRows index rows in value order (values [start, next start)): a
//                 range is the runs inside it and the rows of the two at its ends.
// All of it is derived from doc_values and rebuilt for a collection whenever it is written.
#include "store/query/query_budget.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/value_index.hpp"
#include "store/sqlite/value_range.hpp"

#include <roaring/roaring.hh>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pms::store::sqlite {

using DocumentSet = Roaring;

struct PathDocuments {
  DocumentSet documents;      // those holding at least one indexed value at the path
  std::int64_t unposted = 0;  // distinct values there held by too few documents for a posting
};

class PostingLists {
 public:
  static constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS doc_sets (
  collection TEXT NOT NULL,
  path       TEXT NOT NULL,
  documents  INTEGER NOT NULL,
  unposted   INTEGER NOT NULL,
  bits       BLOB NOT NULL,
  PRIMARY KEY (collection, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS doc_postings (
  collection TEXT NOT NULL,
  path       TEXT NOT NULL,
  value      NOT NULL,
  documents  INTEGER NOT NULL,
  bits       BLOB NOT NULL,
  PRIMARY KEY (collection, path, value)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS doc_ranges (
  collection TEXT NOT NULL,
  path       TEXT NOT NULL,
  start      NOT NULL,
  bits       BLOB NOT NULL,
  PRIMARY KEY (collection, path, start)
) WITHOUT ROWID;
)sql";
  // Below this many documents a value's rows in doc_values are as quick to read as a posting.
  static constexpr std::int64_t kMinDocuments = 64;
  // Index rows per run of doc_ranges: a range reads at most about twice this many rows.
  static constexpr std::int64_t kRangeRows = 4096;

  // Replaces the sets of `collection` by ones built from its documents and doc_values rows. Row
  // numbers past 2^32 do not fit a set: such a collection has none, and its queries read it whole.
  static void rebuild(Connection& conn, std::string_view collection, std::int64_t min_documents);

  // Reads the sets of one collection, in whatever snapshot the caller's connection holds, for a
  // query whose work (rows read, values tested) is charged to `budget`.
  PostingLists(Connection& conn, std::string_view collection, QueryBudget& budget)
      : conn_(conn), collection_(collection), budget_(budget) {}
  QueryBudget& budget() { return budget_; }

  // Every document of the collection; nullopt when it has no sets.
  std::optional<DocumentSet> all();
  // nullopt when the path is not indexed or the collection has no sets.
  std::optional<PathDocuments> path(std::string_view path);
  // The documents holding `value` at `path` (as one of an array's elements, too).
  DocumentSet equal(std::string_view path, const ValueIndex::Bind& value);
  // The documents holding a value inside `range`.
  DocumentSet range(std::string_view path, const ValueRange& range);
  // Whether some document holds an array or a non-scalar at `path`, and whether some reaches a
  // value the index does not hold there (ValueIndex::write_rows marks both).
  bool mixed(std::string_view path) { return marked("doc_value_mixed", path); }
  bool unindexed(std::string_view path) { return marked("doc_value_unindexed", path); }
  // The documents holding a value that `accept` takes (strings and numbers), each distinct value
  // asked once: from the postings when every value has one, else from the path's index rows.
  DocumentSet matching(std::string_view path, const std::function<bool(const json::value&)>& accept);
  // Every index row at `path` in value order: `value` on the first row of each distinct value
  // (numbers equal across int and double are one), nullptr on the rows after it.
  void each_row(std::string_view path, const std::function<void(const json::value* value, std::uint32_t seq)>& visit);
  // Every value at `path` held by a document in `in`, with the number of those documents, in
  // value order: from the postings' sizes when `in` holds every document with a value there, their
  // intersections with `in` when every value has a posting, else from the path's index rows.
  std::vector<std::pair<json::value, std::int64_t>> counts_in(std::string_view path, const DocumentSet& in);
  // Every value at `path` that has a posting, with its number of documents.
  std::vector<std::pair<json::value, std::int64_t>> posting_sizes(std::string_view path);

 private:
  bool marked(std::string_view table, std::string_view path);

  Connection& conn_;
  std::string collection_;
  QueryBudget& budget_;
};

}  // namespace pms::store::sqlite
