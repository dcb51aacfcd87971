#pragma once
// Which documents may match a filter, from the value index alone (posting_lists.hpp). Equality
// with a string or number, $in, $gt/$gte/$lt/$lte and $regex on an indexed path are exact, and so
// are their negations ($ne, $nin, $not) and $and/$or/$nor of exact parts; anything else ($exists,
// null, documents, $elemMatch, $size, ...) leaves every document a candidate for the query engine.
#include "store/sqlite/posting_lists.hpp"
#include "store/sqlite/value_index.hpp"

namespace pms::store::sqlite {

struct IndexMatch {
  DocumentSet documents;  // a superset of the matching documents, or exactly them
  bool exact = false;
  std::uint64_t of = 0;   // the documents in the collection
};

// nullopt when the collection has no sets. Paths through a `hidden` (redacted) name are never
// used: such a field must not match.
std::optional<IndexMatch> match_from_index(PostingLists& sets, const ValueIndex& index, const json::value& filter,
                                           const std::vector<std::string>& hidden);

}  // namespace pms::store::sqlite
