#pragma once
// Rebuilding a pipeline stage by stage, for the layers that rewrite queries before a store runs
// them (tenant scoping, the MongoDB translation). The sub-pipelines of $lookup and $facet are
// rewritten first, so a rewrite reaches every stage at any depth.
#include "core/json_util.hpp"

#include <functional>
#include <string_view>

namespace pms::store {

// Returns the replacement of one well-formed stage {name: arg}; may throw QueryError.
using StageRewrite = std::function<json::value(std::string_view name, json::value arg)>;

// Throws QueryError when `pipeline` is not an array. Malformed stages are kept as they are, for
// the engine to refuse with its own message.
json::array rewrite_pipeline(const json::value& pipeline, const StageRewrite& rewrite);

}  // namespace pms::store
