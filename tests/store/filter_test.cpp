// The query language against expected documents, written from MongoDB's documented semantics
// (query operators, arrays, missing vs null, type bracketing), not from what the code returns.
#include "store/query/filter.hpp"
#include "store/query/query_error.hpp"

#include <gtest/gtest.h>

using namespace pms;
using pms::store::Filter;
using pms::store::QueryError;

namespace {

const json::array& corpus() {
  static const json::array docs = json::parse(R"([
    {"_id": 1, "title": "Fix login", "priority": "HIGH", "state": {"name": "In Progress"},
     "assignee": [{"name": "Ann"}, {"name": "Bob"}], "tags": ["ui", "auth"], "estimate": 3,
     "scores": [80, 95]},
    {"_id": 2, "title": "Add export", "priority": "LOW", "state": {"name": "Done"},
     "assignee": [{"name": "Bob"}], "tags": ["export"], "estimate": 5.5, "scores": [70]},
    {"_id": 3, "title": "Slow dashboard", "priority": "URGENT", "state": {"name": "Backlog"},
     "assignee": [], "tags": [], "estimate": null},
    {"_id": 4, "title": "login timeout", "priority": "MEDIUM", "state": {"name": "Todo"},
     "estimate": "2", "scores": [84, 86]},
    {"_id": 5, "title": "Docs", "state": {"name": "Done"}, "assignee": [{"name": "Cy", "role": "LEAD"}],
     "tags": ["docs", null], "estimate": 8, "nested": [[1, 2], [3]]}
  ])").as_array();
  return docs;
}

std::vector<std::int64_t> matching(std::string_view filter) {
  Filter f = Filter::compile(json::parse(filter));
  std::vector<std::int64_t> ids;
  for (auto& d : corpus()) {
    if (f.matches(d)) ids.push_back(d.at("_id").as_int64());
  }
  return ids;
}

using Ids = std::vector<std::int64_t>;

struct Case {
  const char* filter;
  Ids expected;
};

class FilterSemantics : public ::testing::TestWithParam<Case> {};

TEST_P(FilterSemantics, MatchesMongoDb) {
  EXPECT_EQ(matching(GetParam().filter), GetParam().expected) << GetParam().filter;
}

INSTANTIATE_TEST_SUITE_P(
    Query, FilterSemantics,
    ::testing::Values(
        Case{R"({})", {1, 2, 3, 4, 5}},
        // equality, dotted paths into sub-documents and arrays of sub-documents
        Case{R"({"priority": "HIGH"})", {1}},
        Case{R"({"state.name": "Done"})", {2, 5}},
        Case{R"({"assignee.name": "Bob"})", {1, 2}},
        Case{R"({"assignee.0.name": "Bob"})", {2}},
        Case{R"({"tags": "auth"})", {1}},
        Case{R"({"tags": ["export"]})", {2}},
        Case{R"({"tags": []})", {3}},
        // missing vs null: {x: null} matches null, missing, and arrays holding null
        Case{R"({"estimate": null})", {3}},
        Case{R"({"priority": null})", {5}},
        Case{R"({"tags": null})", {4, 5}},
        Case{R"({"assignee.role": null})", {1, 2, 4}},
        Case{R"({"estimate": {"$exists": true}})", {1, 2, 3, 4, 5}},
        Case{R"({"priority": {"$exists": false}})", {5}},
        Case{R"({"assignee.name": {"$exists": true}})", {1, 2, 5}},
        // $ne / $nin also match documents where the field is missing
        Case{R"({"priority": {"$ne": "HIGH"}})", {2, 3, 4, 5}},
        Case{R"({"assignee.name": {"$ne": "Bob"}})", {3, 4, 5}},
        Case{R"({"tags": {"$nin": ["ui", "docs"]}})", {2, 3, 4}},
        Case{R"({"priority": {"$in": ["HIGH", "URGENT"]}})", {1, 3}},
        Case{R"({"priority": {"$in": ["HIGH", null]}})", {1, 5}},
        Case{R"({"title": {"$in": [{"$regex": "^login"}, "Docs"]}})", {4, 5}},
        // comparison with type bracketing: "2" is a string and never compares with numbers
        Case{R"({"estimate": {"$gt": 3}})", {2, 5}},
        Case{R"({"estimate": {"$gte": 3}})", {1, 2, 5}},
        Case{R"({"estimate": {"$lt": 100}})", {1, 2, 5}},
        Case{R"({"estimate": {"$gte": "1"}})", {4}},
        Case{R"({"estimate": {"$gte": 5.5, "$lte": 5.5}})", {2}},
        Case{R"({"estimate": {"$lte": null}})", {3}},
        // numbers compare by value across int and double
        Case{R"({"estimate": 5.5})", {2}},
        Case{R"({"estimate": 8.0})", {5}},
        // an array matches a range when different elements satisfy each bound...
        Case{R"({"scores": {"$gt": 90, "$lt": 85}})", {1}},
        // ...while $elemMatch needs one element to satisfy all of them
        Case{R"({"scores": {"$elemMatch": {"$gt": 82, "$lt": 85}}})", {4}},
        Case{R"({"assignee": {"$elemMatch": {"name": "Cy", "role": "LEAD"}}})", {5}},
        Case{R"({"assignee": {"$elemMatch": {"name": "Bob", "role": "LEAD"}}})", {}},
        // $regex with options
        Case{R"({"title": {"$regex": "^login"}})", {4}},
        Case{R"({"title": {"$regex": "login"}})", {1, 4}},
        Case{R"({"title": {"$regex": "^LOGIN", "$options": "i"}})", {4}},
        Case{R"({"title": {"$regex": "login", "$options": "i"}})", {1, 4}},
        Case{R"({"title": {"$regex": "^fix", "$options": "i"}})", {1}},
        Case{R"({"tags": {"$regex": "^do"}})", {5}},
        Case{R"({"title": {"$not": {"$regex": "o"}}})", {}},
        Case{R"({"estimate": {"$not": {"$gt": 4}}})", {1, 3, 4}},
        // $size and $all
        Case{R"({"tags": {"$size": 2}})", {1, 5}},
        Case{R"({"assignee": {"$size": 0}})", {3}},
        Case{R"({"tags": {"$all": ["auth", "ui"]}})", {1}},
        Case{R"({"tags": {"$all": []}})", {}},
        Case{R"({"nested": [3]})", {5}},
        // logical operators
        Case{R"({"$or": [{"priority": "HIGH"}, {"state.name": "Done"}]})", {1, 2, 5}},
        Case{R"({"$and": [{"state.name": "Done"}, {"estimate": {"$gt": 6}}]})", {5}},
        Case{R"({"$nor": [{"priority": "HIGH"}, {"state.name": "Done"}]})", {3, 4}},
        Case{R"({"state": {"name": "Done"}})", {2, 5}},
        Case{R"({"state.name": {"$eq": "Todo"}, "$comment": "ignored"})", {4}}));

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
