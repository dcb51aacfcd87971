// One table of documents, queries and expected results, run against every backend: the embedded
// SQLite store always, MongoDB when PMS_TEST_MONGODB_URI names a server (reported as skipped
// otherwise). Expected results are written from MongoDB's documented semantics (query operators,
// arrays, missing vs null, type bracketing, sort order), not from what the code returns. The
// documents are Extended JSON as mongoexport writes it: each backend stores them its own way
// (MongoDB as BSON, SQLite as imported), and the answers must be the same.
#include "store/extended_json.hpp"
#include "store/mongo/mongo_document_store.hpp"
#include "store/query/query_error.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <gtest/gtest.h>
#include <mongoc/mongoc.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

using namespace pms;
using namespace pms::store;

namespace {

constexpr const char* kDocuments = R"([
  {"_id": 1, "title": "Fix login", "priority": "HIGH", "state": {"name": "In Progress"},
   "assignee": [{"name": "Ann"}, {"name": "Bob"}], "tags": ["ui", "auth"], "estimate": 3,
   "scores": [80, 95], "uid": {"$binary": {"base64": "+kNDc5JN5b4BBiReq8Z8jw==", "subType": "03"}},
   "created": {"$date": {"$numberLong": "1762587196175"}}},
  {"_id": 2, "title": "Add export", "priority": "LOW", "state": {"name": "Done"},
   "assignee": [{"name": "Bob"}], "tags": ["export"], "estimate": {"$numberDouble": "5.5"}, "scores": [70],
   "uid": {"$uuid": "00112233-4455-6677-8899-aabbccddeeff"}, "created": {"$date": "2025-10-20T00:00:00Z"}},
  {"_id": 3, "title": "Slow dashboard", "priority": "URGENT", "state": {"name": "Backlog"},
   "assignee": [], "tags": [], "estimate": null},
  {"_id": 4, "title": "login timeout", "priority": "MEDIUM", "state": {"name": "Todo"},
   "estimate": "2", "scores": [84, 86]},
  {"_id": 5, "title": "Docs", "state": {"name": "Done"}, "assignee": [{"name": "Cy", "role": "LEAD"}],
   "tags": ["docs", null], "estimate": {"$numberLong": "8"}, "nested": [[1, 2], [3]]}
])";

// A backend holding kDocuments in collection "c", or nullptr when it is not available here.
using Opener = std::unique_ptr<DocumentStore> (*)();

// The embedded store three times: answering every query by reading all documents; with every
// field the table uses in its value index (which answers counts, groups and sorts on its own where
// it can; these few documents hold each value too rarely for a set of its own, so values are read
// from the index rows); and the same with a set of documents for every value ("posted").
std::unique_ptr<DocumentStore> open_sqlite(const std::string& name) {
  bool indexed = name != "sqlite";
  auto path = std::filesystem::temp_directory_path() / ("pms-conformance-" + std::to_string(::getpid()) + "-" + name + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  auto store = std::make_unique<sqlite::SqliteDocumentStore>(path.string(), "ProjectManagement");
  store->set_indexed_paths(indexed ? std::vector<std::string>{"_id", "title", "priority", "state.name", "assignee.name",
                                                              "assignee.0.name", "assignee.role", "tags", "estimate",
                                                              "scores", "uid", "created", "nested"}
                                   : std::vector<std::string>{});
  if (name == "sqlite_posted") store->set_min_posting_documents(1);
  std::vector<json::value> docs;
  auto exported = json::parse(kDocuments);
  for (auto& d : exported.as_array()) docs.push_back(from_extended_json(d));
  store->replace_collection("c", docs);
  return store;
}

std::unique_ptr<DocumentStore> open_mongodb() {
  const char* uri = std::getenv("PMS_TEST_MONGODB_URI");
  if (!uri || !*uri) return nullptr;
  std::string database = "pms_conformance_" + std::to_string(::getpid());
  mongoc_init();
  mongoc_client_t* client = mongoc_client_new(uri);
  if (!client) throw std::runtime_error(std::string("bad PMS_TEST_MONGODB_URI: ") + uri);
  mongoc_collection_t* coll = mongoc_client_get_collection(client, database.c_str(), "c");
  bson_error_t error;
  mongoc_collection_drop(coll, &error);  // absent the first time
  auto exported = json::parse(kDocuments);
  for (auto& d : exported.as_array()) {
    auto text = dump(d);
    bson_t* b = bson_new_from_json(reinterpret_cast<const uint8_t*>(text.data()), static_cast<ssize_t>(text.size()), &error);
    if (!b || !mongoc_collection_insert_one(coll, b, nullptr, nullptr, &error))
      throw std::runtime_error(std::string("cannot load the test documents into MongoDB: ") + error.message);
    bson_destroy(b);
  }
  mongoc_collection_destroy(coll);
  mongoc_client_destroy(client);
  return std::make_unique<mongo::MongoDocumentStore>(mongo::MongoOptions{uri, database, {}});
}

DocumentStore* backend(const std::string& name) {
  static std::map<std::string, std::unique_ptr<DocumentStore>> opened;
  if (!opened.contains(name))
    opened[name] = name == "mongodb" ? open_mongodb() : open_sqlite(name);
  return opened[name].get();
}

const std::vector<std::string> kBackendNames = {"sqlite", "sqlite_indexed", "sqlite_posted", "mongodb"};
const auto kBackends = ::testing::ValuesIn(kBackendNames);

using Ids = std::vector<std::int64_t>;

Ids ids_of(const std::vector<json::value>& docs) {
  Ids ids;
  for (auto& d : docs) ids.push_back(d.at("_id").to_number<std::int64_t>());
  return ids;
}

struct Case {
  const char* filter;
  Ids expected;
};

class FilterConformance : public ::testing::TestWithParam<std::tuple<std::string, Case>> {};

TEST_P(FilterConformance, MatchesMongoDb) {
  auto& [name, c] = GetParam();
  auto* store = backend(name);
  if (!store) GTEST_SKIP() << "set PMS_TEST_MONGODB_URI to run against MongoDB";
  auto docs = store->find({"c", json::parse(c.filter), nullptr, json::object{{"_id", 1}}, 0, 0});
  EXPECT_EQ(ids_of(docs), c.expected) << c.filter;
  EXPECT_EQ(store->count("c", json::parse(c.filter)), static_cast<std::int64_t>(c.expected.size())) << c.filter;
}

INSTANTIATE_TEST_SUITE_P(
    Query, FilterConformance,
    ::testing::Combine(
        kBackends,
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
        Case{R"({"state.name": {"$eq": "Todo"}, "$comment": "ignored"})", {4}},
        // one document reaching several matching values still counts once
        Case{R"({"scores": {"$gt": 50}})", {1, 2, 4}},
        Case{R"({"tags": {"$in": ["ui", "auth"]}})", {1}},
        Case{R"({"assignee.name": {"$gte": "A"}})", {1, 2, 5}},
        // the values the model sees match what each backend stores: UUIDs (binary subtype 3 in
        // Java's byte order, subtype 4) as strings, dates as ISO strings that compare as dates
        Case{R"({"uid": "bee54d92-7343-43fa-8f7c-c6ab5e240601"})", {1}},
        Case{R"({"uid": {"$in": ["00112233-4455-6677-8899-aabbccddeeff", "x"]}})", {2}},
        Case{R"({"uid": {"$ne": "bee54d92-7343-43fa-8f7c-c6ab5e240601"}})", {2, 3, 4, 5}},
        Case{R"({"created": {"$gte": "2025-11-01"}})", {1}},
        Case{R"({"created": {"$gte": "2025-10-01", "$lt": "2025-11-01"}})", {2}},
        Case{R"({"created": {"$lt": {"$date": "2025-11-01T00:00:00Z"}}})", {2}},
        Case{R"({"created": "2025-10-20T00:00:00.000Z"})", {2}})),
    [](const auto& info) { return std::get<0>(info.param) + "_" + std::to_string(info.index); });

struct SortCase {
  const char* filter;
  const char* sort;
  std::int64_t limit;  // 0: all; with a limit, a sort on one indexed field reads along the index
  Ids expected;
};

class SortConformance : public ::testing::TestWithParam<std::tuple<std::string, SortCase>> {};

TEST_P(SortConformance, OrdersAsMongoDb) {
  auto& [name, c] = GetParam();
  auto* store = backend(name);
  if (!store) GTEST_SKIP() << "set PMS_TEST_MONGODB_URI to run against MongoDB";
  EXPECT_EQ(ids_of(store->find({"c", json::parse(c.filter), nullptr, json::parse(c.sort), 0, c.limit})), c.expected) << c.sort;
  if (c.limit == 0) return;
  // The same as a pipeline: $match, $sort, $limit.
  auto pipeline = json::array{json::object{{"$match", json::parse(c.filter)}}, json::object{{"$sort", json::parse(c.sort)}},
                              json::object{{"$limit", c.limit}}};
  EXPECT_EQ(ids_of(store->aggregate("c", pipeline)), c.expected) << c.sort;
}

INSTANTIATE_TEST_SUITE_P(
    Query, SortConformance,
    ::testing::Combine(
        kBackends,
        ::testing::Values(
            // missing and null sort first; numbers before strings (type order)
            SortCase{"{}", R"({"estimate": 1, "_id": 1})", 0, {3, 1, 2, 5, 4}},
            SortCase{"{}", R"({"estimate": -1, "_id": 1})", 0, {4, 5, 2, 1, 3}},
            SortCase{"{}", R"({"estimate": 1})", 3, {3, 1, 2}},
            SortCase{"{}", R"({"estimate": -1})", 2, {4, 5}},
            // an array sorts by its smallest element ascending, its largest descending; missing first
            SortCase{"{}", R"({"scores": 1, "_id": 1})", 0, {3, 5, 2, 1, 4}},
            SortCase{"{}", R"({"scores": -1, "_id": 1})", 0, {1, 4, 2, 3, 5}},
            SortCase{"{}", R"({"scores": -1})", 2, {1, 4}},
            SortCase{"{}", R"({"priority": 1, "_id": 1})", 0, {5, 1, 2, 4, 3}},
            SortCase{"{}", R"({"priority": 1})", 2, {5, 1}},
            SortCase{"{}", R"({"priority": -1})", 5, {3, 4, 2, 1, 5}},
            SortCase{R"({"state.name": {"$ne": "Done"}})", R"({"priority": -1})", 2, {3, 4}},
            // ties keep storage order, whichever the direction
            SortCase{R"({"state.name": "Done"})", R"({"state.name": -1})", 2, {2, 5}},
            SortCase{"{}", R"({"state.name": -1})", 3, {4, 1, 2}},
            SortCase{"{}", R"({"created": -1, "_id": 1})", 0, {1, 2, 3, 4, 5}},
            SortCase{"{}", R"({"created": -1})", 1, {1}},
            SortCase{"{}", R"({"created": 1})", 3, {3, 4, 5}})),
    [](const auto& info) { return std::get<0>(info.param) + "_" + std::to_string(info.index); });

TEST(Conformance, RefusalsAreTheSameEverywhere) {
  for (auto& name : kBackendNames) {
    auto* store = backend(name);
    if (!store) continue;
    EXPECT_THROW(store->count("c", json::parse(R"({"$where": "1"})")), QueryError) << name;
    EXPECT_THROW(store->aggregate("c", json::parse(R"([{"$out": "x"}])")), QueryError) << name;
    EXPECT_THROW(store->find({"c", json::parse(R"({"a": {"$foo": 1}})"), nullptr, nullptr, 0, 0}), QueryError) << name;
  }
}

// Distinct string values with the number of documents holding each: arrays contribute their
// elements, a value repeated in one document counts once, non-strings (numbers, null) are left
// out; most frequent first, ties in value order. The indexed store answers from its index.
TEST(Conformance, ValueCountsAreTheSameEverywhere) {
  using Counts = std::vector<std::pair<std::string, std::int64_t>>;
  auto counts = [](DocumentStore& store, std::string_view field, std::size_t limit) {
    Counts out;
    for (auto& vc : store.value_counts("c", field, limit)) out.emplace_back(std::string(vc.value.as_string()), vc.documents);
    return out;
  };
  for (auto& name : kBackendNames) {
    auto* store = backend(name);
    if (!store) continue;
    EXPECT_EQ(counts(*store, "state.name", 10), (Counts{{"Done", 2}, {"Backlog", 1}, {"In Progress", 1}, {"Todo", 1}})) << name;
    EXPECT_EQ(counts(*store, "assignee.name", 10), (Counts{{"Bob", 2}, {"Ann", 1}, {"Cy", 1}})) << name;
    EXPECT_EQ(counts(*store, "tags", 2), (Counts{{"auth", 1}, {"docs", 1}})) << name;
    EXPECT_EQ(counts(*store, "estimate", 10), (Counts{{"2", 1}})) << name;
    EXPECT_TRUE(counts(*store, "missing", 10).empty()) << name;
  }
}

// Distinct values: array elements each, missing fields none, explicit nulls one, in MongoDB's sort
// order. The indexed stores answer from the index where every value there is one it holds.
TEST(Conformance, DistinctValuesAreTheSameEverywhere) {
  struct Case {
    const char* field;
    const char* filter;
    const char* expected;
  };
  for (auto& name : kBackendNames) {
    auto* store = backend(name);
    if (!store) continue;
    for (auto& c : {Case{"priority", "{}", R"(["HIGH", "LOW", "MEDIUM", "URGENT"])"},
                    Case{"state.name", R"({"priority": {"$ne": "HIGH"}})", R"(["Backlog", "Done", "Todo"])"},
                    Case{"assignee.name", "{}", R"(["Ann", "Bob", "Cy"])"},
                    Case{"tags", "{}", R"([null, "auth", "docs", "export", "ui"])"},
                    Case{"estimate", R"({"state.name": "Done"})", "[5.5, 8]"},
                    Case{"estimate", "{}", R"([null, 3, 5.5, 8, "2"])"},
                    Case{"scores", R"({"estimate": {"$gt": 4}})", "[70]"},
                    Case{"title", R"({"title": {"$regex": "^l"}})", R"(["login timeout"])"}}) {
      auto values = store->distinct("c", c.field, json::parse(c.filter));
      EXPECT_EQ(json::value(json::array(values.begin(), values.end())), json::parse(c.expected)) << name << ": " << c.field << " " << c.filter;
    }
  }
}

TEST(Conformance, DateAndStringRangesAreTheSameEverywhere) {
  using Range = std::optional<std::pair<std::string, std::string>>;
  for (auto& name : kBackendNames) {
    auto* store = backend(name);
    if (!store) continue;
    EXPECT_EQ(store->string_range("c", "created"), (Range{{"2025-10-20T00:00:00.000Z", "2025-11-08T07:33:16.175Z"}})) << name;
    EXPECT_EQ(store->string_range("c", "title"), (Range{{"Add export", "login timeout"}})) << name << ": binary order";
    EXPECT_EQ(store->string_range("c", "missing"), Range{}) << name;
  }
}

// Counting $group stages, which the indexed store answers from its index where no document holds
// an array (or another non-scalar) on the path: the groups must be MongoDB's either way.
struct GroupCase {
  const char* pipeline;
  const char* expected;  // the groups, in any order
};

class GroupConformance : public ::testing::TestWithParam<std::tuple<std::string, GroupCase>> {};

TEST_P(GroupConformance, CountsAsMongoDb) {
  auto& [name, c] = GetParam();
  auto* store = backend(name);
  if (!store) GTEST_SKIP() << "set PMS_TEST_MONGODB_URI to run against MongoDB";
  auto as_set = [](const std::vector<json::value>& docs) {
    std::multiset<std::string> out;
    for (auto& d : docs) out.insert(dump(d));
    return out;
  };
  auto expected = json::parse(c.expected);
  std::vector<json::value> want(expected.as_array().begin(), expected.as_array().end());
  EXPECT_EQ(as_set(store->aggregate("c", json::parse(c.pipeline))), as_set(want)) << c.pipeline;
}

INSTANTIATE_TEST_SUITE_P(
    Query, GroupConformance,
    ::testing::Combine(
        kBackends,
        ::testing::Values(
            // a missing field is the null group
            GroupCase{R"([{"$group": {"_id": "$priority", "n": {"$sum": 1}}}])",
                      R"([{"_id": null, "n": 1}, {"_id": "HIGH", "n": 1}, {"_id": "LOW", "n": 1}, {"_id": "MEDIUM", "n": 1}, {"_id": "URGENT", "n": 1}])"},
            GroupCase{R"([{"$match": {"state.name": "Done"}}, {"$group": {"_id": "$priority", "n": {"$count": {}}, "m": {"$sum": 1}}}])",
                      R"([{"_id": null, "n": 1, "m": 1}, {"_id": "LOW", "n": 1, "m": 1}])"},
            GroupCase{R"([{"$match": {"priority": {"$in": ["HIGH", "LOW"]}}}, {"$unwind": {"path": "$state", "preserveNullAndEmptyArrays": true}},
                          {"$group": {"_id": "$state.name", "c": {"$sum": 1}}}, {"$match": {"c": {"$gte": 1}}}, {"$sort": {"_id": 1}}])",
                      R"([{"_id": "Done", "c": 1}, {"_id": "In Progress", "c": 1}])"},
            // numbers keep their type; null and a string are groups of their own
            GroupCase{R"([{"$group": {"_id": "$estimate", "n": {"$sum": 1}}}])",
                      R"([{"_id": 3, "n": 1}, {"_id": 5.5, "n": 1}, {"_id": null, "n": 1}, {"_id": "2", "n": 1}, {"_id": 8, "n": 1}])"},
            // through an array the key is the array itself: never counted from the index
            GroupCase{R"([{"$group": {"_id": "$assignee.name", "n": {"$sum": 1}}}])",
                      R"([{"_id": ["Ann", "Bob"], "n": 1}, {"_id": ["Bob"], "n": 1}, {"_id": [], "n": 1}, {"_id": null, "n": 1}, {"_id": ["Cy"], "n": 1}])"},
            GroupCase{R"([{"$group": {"_id": "$tags", "n": {"$sum": 1}}}])",
                      R"([{"_id": ["ui", "auth"], "n": 1}, {"_id": ["export"], "n": 1}, {"_id": [], "n": 1}, {"_id": null, "n": 1}, {"_id": ["docs", null], "n": 1}])"})),
    [](const auto& info) { return std::get<0>(info.param) + "_" + std::to_string(info.index); });

}  // namespace
