#pragma once
// The interface of one aggregation stage (pipeline.cpp compiles them; $group is group_stage.hpp).
#include "store/query/pipeline.hpp"
#include "store/query/query_budget.hpp"

#include <vector>

namespace pms::store {

using Docs = std::vector<json::value>;

struct Pipeline::Stage {
  virtual ~Stage() = default;
  // Replaces `docs` by the stage's output. Work is charged to `budget`, and so is the memory of
  // what the stage builds beyond its input (groups, joined copies, unwound copies).
  virtual void apply(Docs& docs, const CollectionReader& reader, QueryBudget& budget) const = 0;
  // Whether each document's output depends on that document alone ($match, $project, $unwind, ...):
  // such stages may be run on a pipeline's input in batches as it is read.
  virtual bool per_document() const { return false; }
};

}  // namespace pms::store
