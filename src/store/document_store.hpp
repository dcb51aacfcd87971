#pragma once
// The read interface every backend implements (embedded SQLite now, MongoDB next). Queries use
// MongoDB's query language and semantics. Every method may throw:
//   QueryError      - the filter/pipeline is malformed or uses something unsupported (message says what);
//   QueryCancelled  - `cancel` was triggered while the query ran;
//   QueryTimeout    - the query ran longer than max_time() (a QueryError, so the model sees it);
//                     a query needing more memory than max_query_bytes() is a QueryError too;
//   StoreError      - the database itself failed (unreachable, corrupt, I/O).
// Methods are blocking: call them from a database thread, never from an I/O thread.
#include "core/cancel_token.hpp"
#include "core/json_util.hpp"
#include "store/query/query_budget.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pms::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct FindRequest {
  std::string collection;
  json::value filter;      // null or {} for all
  json::value projection;  // null for whole documents
  json::value sort;        // null for storage order
  std::int64_t skip = 0;
  std::int64_t limit = 0;  // 0: no limit
};

struct CollectionInfo {
  std::string name;
  std::int64_t count = 0;
};

struct ValueCount {
  json::value value;
  std::int64_t documents = 0;
};

class DocumentStore {
 public:
  virtual ~DocumentStore() = default;

  virtual std::string backend() const = 0;        // "sqlite", "mongodb"
  virtual std::string database_name() const = 0;  // as the model and the API see it
  virtual std::string location() const = 0;       // file path or URI without credentials

  virtual std::vector<CollectionInfo> list_collections() = 0;
  virtual bool has_collection(std::string_view name) = 0;

  virtual std::vector<json::value> find(const FindRequest& req, const CancelToken* cancel = nullptr) = 0;
  virtual std::int64_t count(std::string_view collection, const json::value& filter, const CancelToken* cancel = nullptr) = 0;
  // Distinct values at `field` (array values contribute their elements), in MongoDB's sort order.
  virtual std::vector<json::value> distinct(std::string_view collection, std::string_view field,
                                            const json::value& filter, const CancelToken* cancel = nullptr) = 0;
  virtual std::vector<json::value> aggregate(std::string_view collection, const json::value& pipeline,
                                             const CancelToken* cancel = nullptr) = 0;
  // Up to `n` documents spread over the collection, for describing its schema.
  virtual std::vector<json::value> sample(std::string_view collection, std::size_t n) = 0;
  // The `limit` most frequent string values reached at `field` (through sub-documents and one
  // level of arrays), each with the number of documents holding it; most frequent first, ties in
  // value order. The default runs an aggregation, so it is exact on every backend and for every scope;
  // a backend with an index over the field may answer from it.
  virtual std::vector<ValueCount> value_counts(std::string_view collection, std::string_view field, std::size_t limit,
                                               const CancelToken* cancel = nullptr);
  // The range of a field holding dates or strings: its smallest and largest value (dates as
  // ISO-8601 strings); nullopt when no document has one, or the extremes are of another type.
  virtual std::optional<std::pair<std::string, std::string>> string_range(std::string_view collection, std::string_view field,
                                                                          const CancelToken* cancel = nullptr);
  // Whether an index answers value_counts and string_range for `field` without reading documents.
  virtual bool indexed(std::string_view collection, std::string_view field) { return false; }
  // Changes whenever any document is written, when the backend can tell cheaply; nullopt when not.
  virtual std::optional<std::string> change_stamp() { return std::nullopt; }

  // How long one query may run, waiting for a locked database included (MongoDB: maxTimeMS).
  virtual void set_max_time(std::chrono::milliseconds t) { max_time_ = t; }
  std::chrono::milliseconds max_time() const { return max_time_; }
  // How much memory one query may hold (documents kept, groups, joined and unwound copies, distinct
  // values), estimated; past it the query fails with a QueryError saying how to narrow it. 0: no cap.
  // Like MongoDB's 100 MB per blocking stage, it keeps one question from taking the server's memory.
  static constexpr std::size_t kDefaultMaxQueryBytes = std::size_t{256} << 20;
  void set_max_query_bytes(std::size_t bytes) { max_query_bytes_ = bytes; }
  std::size_t max_query_bytes() const { return max_query_bytes_; }

  // Field names (e-mail addresses, say) that no query can see, match on or return, at any depth
  // of any document: they are removed as documents are read. Set before the first query.
  void set_redacted_fields(std::vector<std::string> names) { redacted_ = std::move(names); }
  const std::vector<std::string>& redacted_fields() const { return redacted_; }

 protected:
  // Removes the redacted fields from a document just read.
  void redact(json::value& doc) const;

 private:
  std::chrono::milliseconds max_time_{10000};
  std::size_t max_query_bytes_ = kDefaultMaxQueryBytes;
  std::vector<std::string> redacted_;
};

// A store that answers every query by reading documents and evaluating them with the in-memory
// query engine; a backend supplies scan(), and may narrow what is read with an index
// (scan_candidates, exact_count). Exact MongoDB semantics either way.
class ScanningDocumentStore : public DocumentStore {
 public:
  std::vector<json::value> find(const FindRequest& req, const CancelToken* cancel = nullptr) override;
  std::int64_t count(std::string_view collection, const json::value& filter, const CancelToken* cancel = nullptr) override;
  std::vector<json::value> distinct(std::string_view collection, std::string_view field,
                                    const json::value& filter, const CancelToken* cancel = nullptr) override;
  std::vector<json::value> aggregate(std::string_view collection, const json::value& pipeline,
                                     const CancelToken* cancel = nullptr) override;

 protected:
  // Every method below charges its work to `budget` (QueryBudget::spend: rows, index rows, values
  // tested) so that it stops with QueryTimeout or QueryCancelled once the query must end.
  // Calls `visit` with every document of `collection` in storage order until it returns false.
  virtual void scan(std::string_view collection, QueryBudget& budget, const std::function<bool(json::value&&)>& visit) = 0;
  // Like scan(), but may leave out documents that cannot match `filter` (a backend with an index
  // overrides it); what it visits is still checked against the filter.
  virtual void scan_candidates(std::string_view collection, const json::value& filter, QueryBudget& budget,
                               const std::function<bool(json::value&&)>& visit) {
    scan(collection, budget, visit);
  }
  // How many documents match `filter`, when an index knows it exactly without reading them.
  virtual std::optional<std::int64_t> exact_count(std::string_view collection, const json::value& filter, QueryBudget& budget) {
    return std::nullopt;
  }
  // The distinct values at `field` of the documents matching `filter` (in distinct()'s order), when
  // an index knows them exactly without reading documents.
  virtual std::optional<std::vector<json::value>> distinct_from_index(std::string_view collection, std::string_view field,
                                                                      const json::value& filter, QueryBudget& budget) {
    return std::nullopt;
  }
  // The groups of a counting $group (group_count.hpp) with their document counts (documents
  // without a value in the null group), when an index knows them exactly without reading them.
  using GroupCounts = std::vector<std::pair<json::value, std::int64_t>>;
  virtual std::optional<GroupCounts> group_counts(std::string_view collection, const json::object& match, std::string_view path,
                                                  QueryBudget& budget) {
    return std::nullopt;
  }
  // Like scan_candidates(), but in the order of `sort` (ties in storage order), when an index gives
  // that order and the caller needs only `wanted` matching documents; false, having visited
  // nothing, when it cannot (or reading every candidate and sorting would be quicker).
  virtual bool scan_sorted(std::string_view collection, const json::value& filter, const json::value& sort, std::size_t wanted,
                           QueryBudget& budget, const std::function<bool(json::value&&)>& visit) {
    return false;
  }
  // The budget of a query starting now: max_time(), max_query_bytes() and `cancel`.
  QueryBudget query_budget(const CancelToken* cancel) const { return QueryBudget(cancel, max_time(), max_query_bytes()); }

 private:
  // `visit` behind redaction.
  std::function<bool(json::value&&)> redacting(const std::function<bool(json::value&&)>& visit) const;
  // scan_candidates() through redacting().
  void read(QueryBudget& budget, std::string_view collection, const json::value& filter,
            const std::function<bool(json::value&&)>& visit);
};

}  // namespace pms::store
