#include "store/query/pipeline.hpp"
#include "store/query/query_error.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::store;

namespace {

const char* kItems = R"([
  {"_id": 1, "state": {"name": "Done"}, "priority": "HIGH", "estimate": 3, "assignee": [{"name": "Ann"}, {"name": "Bob"}], "created": "2025-11-03T10:00:00.000Z"},
  {"_id": 2, "state": {"name": "Done"}, "priority": "LOW", "estimate": 5, "assignee": [{"name": "Bob"}], "created": "2025-11-20T10:00:00.000Z"},
  {"_id": 3, "state": {"name": "Todo"}, "priority": "HIGH", "assignee": [], "created": "2025-10-30T10:00:00.000Z"},
  {"_id": 4, "state": {"name": "Todo"}, "priority": "HIGH", "estimate": 1.5, "project": {"_id": "p1"}, "created": "2025-11-04T10:00:00.000Z"}
])";

json::array run(const char* pipeline, const char* docs_json = kItems) {
  auto p = Pipeline::compile(json::parse(pipeline));
  auto arr = json::parse(docs_json).as_array();
  std::vector<json::value> docs;
  for (auto& d : arr) {
    if (!p.leading_filter() || p.leading_filter()->matches(d)) docs.push_back(d);
  }
  CollectionReader reader = [](std::string_view name) -> std::vector<json::value> {
    if (name != "project") return {};
    auto a = json::parse(R"([{"_id": "p1", "name": "Portal"}, {"_id": "p2", "name": "Other"}])").as_array();
    return {a.begin(), a.end()};
  };
  auto out = p.run(std::move(docs), reader);
  return json::array(out.begin(), out.end());
}

TEST(Pipeline, GroupCountsAndSums) {
  EXPECT_EQ(run(R"([{"$group": {"_id": "$state.name", "n": {"$sum": 1}, "points": {"$sum": "$estimate"}}}, {"$sort": {"_id": 1}}])"),
            json::parse(R"([{"_id": "Done", "n": 2, "points": 8}, {"_id": "Todo", "n": 2, "points": 1.5}])"));
}

TEST(Pipeline, AccumulatorsIgnoreMissingAndNonNumeric) {
  EXPECT_EQ(run(R"([{"$group": {"_id": null, "avg": {"$avg": "$estimate"}, "min": {"$min": "$estimate"}, "max": {"$max": "$estimate"},
                                 "first": {"$first": "$_id"}, "last": {"$last": "$_id"}, "count": {"$count": {}},
                                 "prios": {"$addToSet": "$priority"}, "ids": {"$push": "$estimate"}}}])"),
            json::parse(R"([{"_id": null, "avg": 3.1666666666666665, "min": 1.5, "max": 5, "first": 1, "last": 4, "count": 4,
                             "prios": ["HIGH", "LOW"], "ids": [3, 5, 1.5]}])"));
}

TEST(Pipeline, MatchSortLimitSkipCount) {
  EXPECT_EQ(run(R"([{"$match": {"priority": "HIGH"}}, {"$sort": {"created": -1}}, {"$skip": 1}, {"$limit": 1}, {"$project": {"_id": 1}}])"),
            json::parse(R"([{"_id": 1}])"));
  EXPECT_EQ(run(R"([{"$match": {"priority": "HIGH"}}, {"$count": "total"}])"), json::parse(R"([{"total": 3}])"));
  EXPECT_EQ(run(R"([{"$match": {"priority": "NONE"}}, {"$count": "total"}])"), json::array());
}

TEST(Pipeline, UnwindAssigneesThenGroup) {
  EXPECT_EQ(run(R"([{"$unwind": "$assignee"}, {"$group": {"_id": "$assignee.name", "n": {"$sum": 1}}}, {"$sort": {"n": -1, "_id": 1}}])"),
            json::parse(R"([{"_id": "Bob", "n": 2}, {"_id": "Ann", "n": 1}])"));
  // preserveNullAndEmptyArrays keeps the unassigned items (empty array and missing field)
  auto kept = run(R"([{"$unwind": {"path": "$assignee", "preserveNullAndEmptyArrays": true}}, {"$project": {"_id": 1}}])");
  EXPECT_EQ(kept, json::parse(R"([{"_id": 1}, {"_id": 1}, {"_id": 2}, {"_id": 3}, {"_id": 4}])"));
}

TEST(Pipeline, ProjectExpressions) {
  EXPECT_EQ(run(R"([{"$match": {"_id": 1}}, {"$project": {"_id": 0, "people": {"$size": "$assignee"}, "names": "$assignee.name",
                   "label": {"$concat": ["$state.name", "/", {"$toLower": "$priority"}]},
                   "big": {"$cond": [{"$gte": ["$estimate", 3]}, "yes", "no"]}, "est": {"$ifNull": ["$missing", 0]},
                   "month": {"$month": "$created"}, "day": {"$dateToString": {"format": "%Y-%m-%d", "date": "$created"}},
                   "double": {"$multiply": ["$estimate", 2]}}}])"),
            json::parse(R"([{"people": 2, "names": ["Ann", "Bob"], "label": "Done/high", "big": "yes", "est": 0,
                             "month": 11, "day": "2025-11-03", "double": 6}])"));
}

TEST(Pipeline, AddFieldsUnsetSortByCountLookupFacet) {
  EXPECT_EQ(run(R"([{"$match": {"_id": 2}}, {"$addFields": {"week": {"$dateTrunc": {"date": "$created", "unit": "week"}}}}, {"$unset": ["assignee", "state", "created"]}])"),
            json::parse(R"([{"_id": 2, "priority": "LOW", "estimate": 5, "week": "2025-11-16T00:00:00.000Z"}])"));
  EXPECT_EQ(run(R"([{"$sortByCount": "$priority"}])"), json::parse(R"([{"_id": "HIGH", "count": 3}, {"_id": "LOW", "count": 1}])"));
  EXPECT_EQ(run(R"([{"$match": {"_id": 4}}, {"$lookup": {"from": "project", "localField": "project._id", "foreignField": "_id", "as": "p"}}, {"$project": {"_id": 0, "p.name": 1}}])"),
            json::parse(R"([{"p": [{"name": "Portal"}]}])"));
  EXPECT_EQ(run(R"([{"$facet": {"n": [{"$count": "c"}], "high": [{"$match": {"priority": "HIGH"}}, {"$count": "c"}]}}])"),
            json::parse(R"([{"n": [{"c": 4}], "high": [{"c": 3}]}])"));
}

TEST(Pipeline, LookupWithAPipelineRunsItOnEachDocumentsMatches) {
  // MongoDB 5.0's concise correlated form: equality match first, then the pipeline on the matches.
  EXPECT_EQ(run(R"([{"$match": {"_id": 4}}, {"$lookup": {"from": "project", "localField": "project._id", "foreignField": "_id",
                 "pipeline": [{"$match": {"name": "Other"}}], "as": "p"}}, {"$project": {"_id": 0, "p": 1}}])"),
            json::parse(R"([{"p": []}])"));
  EXPECT_EQ(run(R"([{"$match": {"_id": 4}}, {"$lookup": {"from": "project", "localField": "project._id", "foreignField": "_id",
                 "pipeline": [{"$match": {"name": "Portal"}}, {"$project": {"_id": 0, "n": {"$toUpper": "$name"}}}], "as": "p"}},
                 {"$project": {"_id": 0, "p": 1}}])"),
            json::parse(R"([{"p": [{"n": "PORTAL"}]}])"));
  EXPECT_THROW(Pipeline::compile(json::parse(R"([{"$lookup": {"from": "p", "localField": "a", "foreignField": "b", "as": "x", "pipeline": [{"$out": "y"}]}}])")),
               QueryError);
}

TEST(Pipeline, ALimitRightAfterTheMatchLetsAStoreStopReading) {
  EXPECT_EQ(Pipeline::compile(json::parse(R"([{"$match": {"a": 1}}, {"$limit": 2}, {"$count": "n"}])")).leading_limit(), 2u);
  EXPECT_EQ(Pipeline::compile(json::parse(R"([{"$limit": 3}])")).leading_limit(), 3u);
  EXPECT_FALSE(Pipeline::compile(json::parse(R"([{"$match": {"a": 1}}, {"$sort": {"a": 1}}, {"$limit": 2}])")).leading_limit());
  EXPECT_FALSE(Pipeline::compile(json::parse(R"([{"$skip": 1}, {"$limit": 2}])")).leading_limit());
}

TEST(Pipeline, RejectsWritesAndUnknownStagesByName) {
  for (const char* bad : {R"([{"$out": "x"}])", R"([{"$merge": {"into": "x"}}])", R"([{"$bucket": {}}])",
                          R"([{"$group": {"n": {"$sum": 1}}}])", R"([{"$group": {"_id": null, "x": {"$median": "$a"}}}])",
                          R"([{"$project": {"x": {"$function": {}}}}])", R"({"$match": {}})", R"([{"$limit": -1}])"}) {
    EXPECT_THROW(Pipeline::compile(json::parse(bad)), QueryError) << bad;
  }
  try {
    Pipeline::compile(json::parse(R"([{"$out": "x"}])"));
  } catch (const QueryError& e) {
    EXPECT_NE(std::string(e.what()).find("read-only"), std::string::npos);
  }
}

}  // namespace
