// Which parts of a filter the value index answers, and whether exactly. (That its answers equal
// the engine's is conformance_test.cpp's "sqlite_indexed" backend.)
#include "store/sqlite/value_index.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::store::sqlite;

namespace {

const ValueIndex index({"priority", "state.name", "estimate", "members.email"});

std::optional<ValueIndex::Plan> plan(std::string_view filter) { return index.plan(json::parse(filter), {"email"}); }

TEST(ValueIndex, ExactForEqualityInAndRangesOnIndexedFields) {
  auto p = plan(R"({"priority": {"$in": ["HIGH", "URGENT"]}, "estimate": {"$gte": 2, "$lt": 8}, "state.name": "Done"})");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->exact);
  EXPECT_EQ(p->binds.size(), 9u);  // 4 paths (one per predicate) and 5 values
}

TEST(ValueIndex, APartialPlanLeavesTheRestToTheEngine) {
  auto p = plan(R"({"priority": "HIGH", "title": {"$regex": "^a"}})");
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->exact);
  EXPECT_FALSE(plan(R"({"priority": {"$in": ["HIGH", null]}})").value_or(ValueIndex::Plan{}).exact);
  EXPECT_FALSE(plan(R"({"priority": {"$ne": "HIGH"}, "estimate": 3})")->exact);
  EXPECT_FALSE(plan(R"({"estimate": true})"));  // booleans are not in the index
}

TEST(ValueIndex, NothingToUse) {
  EXPECT_FALSE(plan(R"({})"));
  EXPECT_FALSE(plan(R"({"$or": [{"priority": "HIGH"}]})"));
  EXPECT_FALSE(plan(R"({"title": "x"})"));
  EXPECT_FALSE(plan(R"({"members.email": "a@b.c"})"));  // redacted: must not match at all
}

}  // namespace
