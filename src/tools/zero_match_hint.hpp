#pragma once
// What a read-only tool adds to a result that matched nothing, so that a small model can correct
// its filter instead of answering "0": for each top-level condition that matches nothing on its
// own, the field's real path when no document has the field as written ("stage" -> "state.name";
// "assignee", an array of {_id, name}, -> "assignee.name") and the stored values nearest to an
// equality or $in value not stored as written ("backlog" -> "Backlog", "Priya" -> "Priya Rossi").
//
// Bounded: computed only on zero results, only for top-level conditions (at most 6, $in values at
// most 5), from one schema sample of the collection and one `distinct` per value (at most 5,000
// values compared). Everything comes from `store`, the tenant's view the tool ran on, so another
// tenant's values never appear; redacted fields are removed by the store before any of it is read.
#include "core/cancel_token.hpp"
#include "core/json_util.hpp"
#include "store/document_store.hpp"

#include <optional>
#include <string>

namespace pms::tools {

// The hint for `filter`, which matched nothing in `collection`; nullopt when every top-level
// condition matches documents on its own (the conditions only exclude each other: a true zero).
// `field`, when set, is one more path the tool reads (distinct_values), checked for existence.
// Throws only store::QueryCancelled; a query of its own that fails just leaves the hint out.
std::optional<std::string> zero_match_hint(store::DocumentStore& store, const std::string& collection, const json::value& filter,
                                           const CancelToken* cancel, std::string_view field = {});

// Sets out["hint"] when zero_match_hint has one.
void add_zero_match_hint(json::object& out, store::DocumentStore& store, const std::string& collection, const json::value& filter,
                         const CancelToken* cancel, std::string_view field = {});

}  // namespace pms::tools
