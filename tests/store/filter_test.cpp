// Filters compiled on their own: literals and refusals. What filters match is pinned down for
// every backend by conformance_test.cpp.
#include "store/query/filter.hpp"
#include "store/query/query_error.hpp"

#include <gtest/gtest.h>

using namespace pms;
using pms::store::Filter;
using pms::store::QueryError;

namespace {

TEST(Filter, ExtendedJsonLiteralsBecomeStoredValues) {
  auto doc = json::parse(R"({"created": "2025-11-08T07:33:16.175Z", "n": 5})");
  EXPECT_TRUE(Filter::compile(json::parse(R"({"created": {"$gte": {"$date": "2025-11-01"}}})")).matches(doc));
  EXPECT_FALSE(Filter::compile(json::parse(R"({"created": {"$gte": {"$date": "2025-12-01T00:00:00Z"}}})")).matches(doc));
  EXPECT_TRUE(Filter::compile(json::parse(R"({"created": {"$lt": "2025-11-09"}})")).matches(doc));
  EXPECT_TRUE(Filter::compile(json::parse(R"({"n": {"$numberLong": "5"}})")).matches(doc));
}

TEST(Filter, UnsupportedOperatorIsAnErrorThatNamesIt) {
  try {
    Filter::compile(json::parse(R"({"priority": {"$foo": 1}})"));
    FAIL() << "expected a QueryError";
  } catch (const QueryError& e) {
    EXPECT_NE(std::string(e.what()).find("$foo"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Filter::compile(json::parse(R"({"$where": "this.a == 1"})")), QueryError);
  EXPECT_THROW(Filter::compile(json::parse(R"({"$expr": {"$eq": [1, 1]}})")), QueryError);
  EXPECT_THROW(Filter::compile(json::parse(R"({"a": {"$in": 5}})")), QueryError);
  EXPECT_THROW(Filter::compile(json::parse(R"({"a": {"$regex": "("}})")), QueryError);
  EXPECT_THROW(Filter::compile(json::parse(R"({"a": {"$gt": 1, "b": 2}})")), QueryError);
  EXPECT_THROW(Filter::compile(json::parse(R"({"$or": []})")), QueryError);
  EXPECT_THROW(Filter::compile(json::parse(R"([1])")), QueryError);
}

}  // namespace
