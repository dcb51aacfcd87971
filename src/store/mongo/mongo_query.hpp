#pragma once
// The model writes queries over the values it sees (docs/data.md): UUIDs and dates as strings.
// MongoDB stores them as BSON binary and dates, so before a query goes to MongoDB its literals get
// their stored forms as alternatives: a UUID string also matches its binary subtype 3 (in the
// configured byte order) and subtype 4 forms; an ISO-8601 date string also compares as a date.
// Extended JSON literals the model wrote become the same stored values first. The result is
// canonical Extended JSON (libbson reads it). Plain JSON in, plain JSON out: no driver needed.
#include "core/json_util.hpp"
#include "store/extended_json.hpp"

namespace pms::store::mongo {

// Throws QueryError for a filter that is not a document.
json::value to_mongo_filter(const json::value& filter, const ExtendedJsonOptions& options);
// Translates the filter of every $match, also inside $lookup pipelines and $facet.
json::value to_mongo_pipeline(const json::value& pipeline, const ExtendedJsonOptions& options);

}  // namespace pms::store::mongo
