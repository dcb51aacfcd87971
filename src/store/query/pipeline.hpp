#pragma once
// Aggregation pipelines, evaluated in memory with MongoDB's semantics. A store applies a leading
// $match while it reads (see leading_filter) and hands the rest to run().
#include "core/cancel_token.hpp"
#include "core/json_util.hpp"
#include "store/query/filter.hpp"
#include "store/query/query_budget.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pms::store {

// Reads every document of a collection (for $lookup), charging them to the query's budget.
using CollectionReader = std::function<std::vector<json::value>(std::string_view collection)>;

class Pipeline {
 public:
  struct Stage;

  static Pipeline compile(const json::value& stages);  // throws QueryError

  // The filter of a leading $match, or nullptr when the pipeline does not start with one.
  const Filter* leading_filter() const { return leading_filter_ ? &*leading_filter_ : nullptr; }
  // The n of a $limit that comes first after the leading $match (or first of all): a store may
  // stop reading after n documents passed the filter.
  std::optional<std::size_t> leading_limit() const { return leading_limit_; }
  // A $sort directly followed by a $limit, first after the leading $match (or first of all): a
  // store may read documents in that order and stop after `limit` passed the filter.
  struct SortedLimit {
    json::value sort;
    std::size_t limit = 0;
  };
  const std::optional<SortedLimit>& leading_sorted_limit() const { return leading_sorted_limit_; }

  // Runs every stage after the leading $match on `docs` (which already passed it), charging the
  // work and the memory it builds to `budget` (QueryTimeout, QueryCancelled, QueryError past its cap).
  std::vector<json::value> run(std::vector<json::value> docs, const CollectionReader& reader, QueryBudget& budget) const;
  std::vector<json::value> run(std::vector<json::value> docs, const CollectionReader& reader) const;  // unbounded

  // Calls its argument with each document a store reads (that passed the leading $match) until it
  // returns false.
  using DocumentSource = std::function<void(const std::function<bool(json::value&&)>& take)>;
  // Like run(), on the documents `source` hands over. When the stages before a $group each treat
  // one document alone ($match, $project, $addFields/$set, $unset, $replaceRoot, $unwind), documents
  // go through them and into the groups as they are read, so only the groups are held; otherwise
  // what is read is held (and charged) until the stages run, a leading $sort + $limit keeping only
  // its first documents as it goes.
  std::vector<json::value> run(const DocumentSource& source, const CollectionReader& reader, QueryBudget& budget) const;

 private:
  std::optional<Filter> leading_filter_;
  std::optional<std::size_t> leading_limit_;
  std::optional<SortedLimit> leading_sorted_limit_;
  std::vector<std::shared_ptr<const Stage>> stages_;

  // Stages `from` on of a run whose documents' footprint is `live`.
  std::vector<json::value> run_stages(std::vector<json::value> docs, std::size_t live, std::size_t from,
                                      const CollectionReader& reader, QueryBudget& budget) const;
};

// Sets `value` at a dotted path, creating sub-documents on the way.
void set_path(json::value& doc, const std::vector<std::string>& parts, json::value value);

}  // namespace pms::store
