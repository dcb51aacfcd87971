#include "store/query/projection.hpp"
#include "store/query/query_error.hpp"
#include "store/query/sort_spec.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::store;

namespace {

std::vector<std::int64_t> sorted_ids(const char* docs_json, const char* sort) {
  auto arr = json::parse(docs_json).as_array();
  std::vector<json::value> docs(arr.begin(), arr.end());
  SortSpec::compile(json::parse(sort)).sort(docs);
  std::vector<std::int64_t> ids;
  for (auto& d : docs) ids.push_back(d.at("_id").as_int64());
  return ids;
}

TEST(Projection, InclusionKeepsIdAndDottedPaths) {
  auto doc = json::parse(R"({"_id": 1, "title": "t", "state": {"name": "Done", "_id": "s"},
                             "assignee": [{"name": "A", "email": "a@x"}, {"name": "B"}], "secret": 1})");
  auto out = Projection::compile(json::parse(R"({"title": 1, "state.name": 1, "assignee.name": 1})")).apply(doc);
  EXPECT_EQ(out, json::parse(R"({"_id": 1, "title": "t", "state": {"name": "Done"}, "assignee": [{"name": "A"}, {"name": "B"}]})"));
}

TEST(Projection, ExclusionAndIdSuppression) {
  auto doc = json::parse(R"({"_id": 1, "title": "t", "description": "long", "state": {"name": "Done", "_id": "s"}})");
  EXPECT_EQ(Projection::compile(json::parse(R"({"description": 0, "state._id": 0})")).apply(doc),
            json::parse(R"({"_id": 1, "title": "t", "state": {"name": "Done"}})"));
  EXPECT_EQ(Projection::compile(json::parse(R"({"title": 1, "_id": 0})")).apply(doc), json::parse(R"({"title": "t"})"));
  EXPECT_EQ(Projection::compile(json::parse(R"({"_id": 1})")).apply(doc), json::parse(R"({"_id": 1})"));
  EXPECT_EQ(Projection::compile(json::parse(R"({"_id": 0})")).apply(doc).as_object().size(), 3u);
}

TEST(Projection, RejectsMixedAndComputedFields) {
  EXPECT_THROW(Projection::compile(json::parse(R"({"a": 1, "b": 0})")), QueryError);
  EXPECT_THROW(Projection::compile(json::parse(R"({"a": "$b"})")), QueryError);
}

TEST(Sort, MissingSortsAsNullBeforeNumbersAndStrings) {
  EXPECT_EQ(sorted_ids(R"([{"_id": 1, "v": "b"}, {"_id": 2, "v": 3}, {"_id": 3}, {"_id": 4, "v": null}, {"_id": 5, "v": 1.5}])",
                       R"({"v": 1})"),
            (std::vector<std::int64_t>{3, 4, 5, 2, 1}));
}

TEST(Sort, ArraysSortByMinAscendingAndMaxDescending) {
  const char* docs = R"([{"_id": 1, "v": [5, 1]}, {"_id": 2, "v": 3}, {"_id": 3, "v": [2, 9]}, {"_id": 4, "v": []}])";
  EXPECT_EQ(sorted_ids(docs, R"({"v": 1})"), (std::vector<std::int64_t>{4, 1, 3, 2}));
  EXPECT_EQ(sorted_ids(docs, R"({"v": -1})"), (std::vector<std::int64_t>{3, 1, 2, 4}));
}

TEST(Sort, SeveralKeysAndStableTies) {
  const char* docs = R"([{"_id": 1, "p": "LOW", "n": 2}, {"_id": 2, "p": "HIGH", "n": 1}, {"_id": 3, "p": "LOW", "n": 9}, {"_id": 4, "p": "HIGH", "n": 1}])";
  EXPECT_EQ(sorted_ids(docs, R"({"p": 1, "n": -1})"), (std::vector<std::int64_t>{2, 4, 3, 1}));
}

TEST(Sort, MinKeyAndMaxKeySortBelowAndAboveEverything) {
  EXPECT_EQ(sorted_ids(R"([{"_id":1,"v":{"$maxKey":1}},{"_id":2,"v":true},{"_id":3,"v":{"$minKey":1}},{"_id":4,"v":null},{"_id":5,"v":"s"}])",
                       R"({"v":1})"),
            (std::vector<std::int64_t>{3, 4, 5, 2, 1}));
}

TEST(Sort, RejectsBadDirection) {
  EXPECT_THROW(SortSpec::compile(json::parse(R"({"a": "asc"})")), QueryError);
  EXPECT_THROW(SortSpec::compile(json::parse(R"({"a": 2})")), QueryError);
}

}  // namespace
