#pragma once
// A multikey index over chosen fields of the stored JSON documents (table `doc_values`: one row
// per collection, path, scalar value and document), so filters on those fields need not parse
// every document. A row exists for every string or number the path reaches in MongoDB's sense
// (through sub-documents and arrays, and the elements of a reached array), which makes these
// predicates exact on the index alone: equality with a string or number, $in a list of them, and
// $gt/$gte/$lt/$lte against one (type-bracketed), each an "exists a reached value" test, and
// their negations. index_filter.hpp combines them over the sets kept in posting_lists.hpp.
#include "core/json_util.hpp"
#include "store/query/field_path.hpp"
#include "store/sqlite/sqlite_db.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace pms::store::sqlite {

// The fields PMS questions filter on (references are {_id, name} sub-documents).
std::vector<std::string> default_indexed_paths();

class ValueIndex {
 public:
  static constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS doc_values (
  collection TEXT NOT NULL,
  path       TEXT NOT NULL,
  value      NOT NULL,
  seq        INTEGER NOT NULL,
  PRIMARY KEY (collection, path, value, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS doc_value_mixed (
  collection TEXT NOT NULL,
  path       TEXT NOT NULL,
  PRIMARY KEY (collection, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS doc_value_unindexed (
  collection TEXT NOT NULL,
  path       TEXT NOT NULL,
  PRIMARY KEY (collection, path)
) WITHOUT ROWID;
)sql";
  // The index's layout version, kept in the file's meta: an older file is re-indexed when opened.
  // Format 5 keeps the rows in their key's order only (no table and index copies of them); 6
  // records the paths reaching values the index does not hold.
  static constexpr std::string_view kFormat = "6";
  static constexpr std::string_view kDropOlderLayout =
      "DROP INDEX IF EXISTS doc_values_by_value; DROP INDEX IF EXISTS doc_values_by_seq; DROP TABLE IF EXISTS doc_values;";

  explicit ValueIndex(std::vector<std::string> paths);
  const std::vector<std::string>& paths() const { return paths_; }

  // Runs `rows` (kInsert, or kDelete to take a replaced document's rows away) for each row of one
  // stored document, and marks the document's paths (per collection, until it is replaced):
  //  - `doc_value_mixed`: its value is not one string or number read without going through an
  //    array; a $group or a sort on such a path is not answered from the index;
  //  - `doc_value_unindexed`: it reaches a value the index does not hold (null, a boolean, a
  //    document, an array in an array); distinct values on such a path are not answered from it.
  // A value repeated in one document's array is one row.
  static constexpr std::string_view kInsert = "INSERT OR IGNORE INTO doc_values(collection, path, value, seq) VALUES (?1, ?2, ?3, ?4)";
  static constexpr std::string_view kDelete = "DELETE FROM doc_values WHERE collection = ?1 AND path = ?2 AND value = ?3 AND seq = ?4";
  struct Marks {
    explicit Marks(Connection& conn);
    Statement mixed;
    Statement unindexed;
  };
  void write_rows(Statement& rows, Marks& marks, std::string_view collection, std::int64_t seq, const json::value& doc) const;

  // A value as the index holds it: strings and numbers (not booleans, nulls, documents or arrays).
  using Bind = std::variant<std::string, std::int64_t, double>;
  static std::optional<Bind> key(const json::value& v);
  // Whether two keys are one value for the index: numbers compare by value (1 and 1.0 are one).
  static bool same_key(const json::value& a, const json::value& b);

  // Whether the index holds `path` and may be used for it (no part of it is a `hidden` name).
  bool covers(std::string_view path, const std::vector<std::string>& hidden = {}) const;

 private:
  std::vector<std::string> paths_;
  std::vector<FieldPath> fields_;  // paths_, parsed once: add() runs for every document written
};

void bind_key(Statement& st, int index, const ValueIndex::Bind& value);

}  // namespace pms::store::sqlite
