// What the model's queries become before they reach MongoDB. Expected documents are written out
// by hand: the UUID bytes are those of ../shared/pms-schema.md's example (base64 below).
#include "store/mongo/mongo_query.hpp"
#include "store/query/query_error.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::store;
using namespace pms::store::mongo;

namespace {

json::value filter(std::string_view text) { return to_mongo_filter(json::parse(text), {}); }

// bee54d92-7343-43fa-8f7c-c6ab5e240601 as Java stored it (subtype 3) and as subtype 4.
constexpr std::string_view kForms =
    R"({"$binary": {"base64": "+kNDc5JN5b4BBiReq8Z8jw==", "subType": "03"}},
       {"$binary": {"base64": "vuVNknNDQ/qPfMarXiQGAQ==", "subType": "04"}},
       "bee54d92-7343-43fa-8f7c-c6ab5e240601")";

TEST(MongoQuery, UuidStringsAlsoMatchTheirBinaryForms) {
  EXPECT_EQ(filter(R"({"project._id": "bee54d92-7343-43fa-8f7c-c6ab5e240601"})"),
            json::parse(std::string(R"({"project._id": {"$in": [)") + std::string(kForms) + "]}}"));
  EXPECT_EQ(filter(R"({"_id": {"$ne": "bee54d92-7343-43fa-8f7c-c6ab5e240601"}})"),
            json::parse(std::string(R"({"_id": {"$nin": [)") + std::string(kForms) + "]}}"));
  EXPECT_EQ(filter(R"({"_id": {"$in": ["bee54d92-7343-43fa-8f7c-c6ab5e240601", "x"]}})"),
            json::parse(std::string(R"({"_id": {"$in": [)") + std::string(kForms) + R"(, "x"]}})"));
  // An Extended JSON literal means the same.
  EXPECT_EQ(filter(R"({"_id": {"$binary": {"base64": "+kNDc5JN5b4BBiReq8Z8jw==", "subType": "03"}}})"),
            filter(R"({"_id": "bee54d92-7343-43fa-8f7c-c6ab5e240601"})"));
}

TEST(MongoQuery, DateStringsAlsoCompareAsDates) {
  // 2025-11-01T00:00:00Z is 1761955200000 ms.
  EXPECT_EQ(filter(R"({"createdTimeStamp": {"$gte": "2025-11-01", "$lt": "2025-12-01"}, "priority": "HIGH"})"),
            json::parse(R"({"$and": [{"priority": "HIGH"}, {"$or": [
              {"createdTimeStamp": {"$gte": "2025-11-01", "$lt": "2025-12-01"}},
              {"createdTimeStamp": {"$gte": {"$date": {"$numberLong": "1761955200000"}}, "$lt": {"$date": {"$numberLong": "1764547200000"}}}}]}]})"));
  EXPECT_EQ(filter(R"({"startDate": {"$date": "2025-11-01"}})"),
            json::parse(R"({"startDate": {"$in": [{"$date": {"$numberLong": "1761955200000"}}, "2025-11-01T00:00:00.000Z"]}})"));
}

TEST(MongoQuery, NestedFiltersAndPipelines) {
  EXPECT_EQ(filter(R"({"$or": [{"state.name": "Done"}, {"assignee": {"$elemMatch": {"_id": "bee54d92-7343-43fa-8f7c-c6ab5e240601"}}}]})"),
            json::parse(std::string(R"({"$or": [{"state.name": "Done"}, {"assignee": {"$elemMatch": {"_id": {"$in": [)") +
                        std::string(kForms) + "]}}}}]}"));
  auto p = to_mongo_pipeline(json::parse(R"([{"$match": {"_id": "bee54d92-7343-43fa-8f7c-c6ab5e240601"}},
      {"$lookup": {"from": "x", "localField": "a", "foreignField": "b", "as": "c", "pipeline": [{"$match": {"d": {"$gt": "2025-11-01"}}}]}},
      {"$group": {"_id": "$state.name", "n": {"$sum": 1}}}])"), {});
  auto& stages = p.as_array();
  ASSERT_EQ(stages.size(), 3u);
  EXPECT_TRUE(stages[0].at("$match").at("_id").as_object().contains("$in"));
  EXPECT_TRUE(stages[1].at("$lookup").at("pipeline").at(0).at("$match").as_object().contains("$or"));
  EXPECT_EQ(stages[2], json::parse(R"({"$group": {"_id": "$state.name", "n": {"$sum": 1}}})"));
  // Ordinary values and other operators pass as written.
  EXPECT_EQ(filter(R"({"estimate": {"$gt": 2}, "title": {"$regex": "^a", "$options": "i"}, "label": {"$size": 2}})"),
            json::parse(R"({"estimate": {"$gt": 2}, "title": {"$regex": "^a", "$options": "i"}, "label": {"$size": 2}})"));
  EXPECT_THROW(filter("[1]"), QueryError);
  EXPECT_THROW(filter(R"({"_id": {"$in": 5}})"), QueryError);
}

}  // namespace
