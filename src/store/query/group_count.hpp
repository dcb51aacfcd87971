#pragma once
// Recognises the pipelines an index can answer without reading documents: leading $match stages,
// optionally an $unwind (keeping empty ones) of the path's first field, then a $group on one field
// path whose accumulators all count ({"$sum": 1} or
// {"$count": {}}), e.g. [{"$match": {"priority": "HIGH"}}, {"$group": {"_id": "$state.name",
// "n": {"$sum": 1}}}, {"$sort": {"n": -1}}]. Pure: a backend decides whether its index can count.
#include "core/json_util.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pms::store {

struct GroupCount {
  json::object match;                   // the leading $match stages, merged ({} for none)
  std::string path;                     // grouped by "$<path>"
  std::vector<std::string> count_names; // the output fields holding the count
  json::array rest;                     // the stages after the $group

  // The $group's output: one document per group, {"_id": value, <count_names>: n}.
  json::value group_document(const json::value& key, std::int64_t n) const;
};

// nullopt when the pipeline is not of that form (including $match stages that name one field
// twice, operators at the top of a $match, or a path with a numeric part).
std::optional<GroupCount> match_group_count(const json::value& pipeline);

}  // namespace pms::store
