// Every query is bounded (issue 14): by the deadline and by cancellation in every stage and on
// every regular-expression path, and by the memory cap where results accumulate. The data is big
// enough that the unbounded queries would run for far longer than the generous bounds asserted.
#include "store/query/filter.hpp"
#include "store/query/pipeline.hpp"
#include "store/query/query_error.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

using namespace pms;
using namespace pms::store;
using pms::store::sqlite::SqliteDocumentStore;
using namespace std::chrono_literals;

namespace {

// No match in text of the letters a-t, and RE2's DFA gives up on it: each byte is simulated
// through ~500 instructions (~1 us): 20 MB of titles take tens of seconds.
constexpr const char* kSlow = "[a-q][^u-z]{60}x";

std::string letters(std::size_t n, unsigned seed) {
  std::string s(n, 'a');
  for (auto& c : s) {
    seed = seed * 1103515245 + 12345;
    c = static_cast<char>('a' + (seed >> 16) % 20);
  }
  return s;
}

class QueryLimits : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    path_ = new std::string((std::filesystem::temp_directory_path() / ("pms-query-limits-" + std::to_string(::getpid()) + ".db")).string());
    remove_files();
    store_ = new SqliteDocumentStore(*path_, "ProjectManagement");
    store_->set_indexed_paths({"title", "g"});
    std::vector<json::value> items;
    for (int i = 0; i < 20000; ++i) {
      auto text = letters(1000, static_cast<unsigned>(i));
      items.push_back(json::object{{"_id", std::to_string(i)}, {"title", text}, {"description", text}, {"g", i % 2}});
    }
    store_->replace_collection("item", items);
    std::vector<json::value> arrays;
    json::array numbers;
    for (int i = 0; i < 1000; ++i) numbers.push_back(i);
    // Each element unwinds to a copy of the rest of its document: 2,000,000 copies of 1 KB.
    for (int i = 0; i < 2000; ++i) arrays.push_back(json::object{{"_id", i}, {"arr", numbers}, {"pad", letters(1000, 1)}});
    store_->replace_collection("arrays", arrays);
  }
  static void TearDownTestSuite() {
    delete store_;
    remove_files();
    delete path_;
  }
  static void remove_files() {
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(*path_ + suffix);
  }
  void SetUp() override {
    store_->set_max_time(200ms);
    store_->set_max_query_bytes(DocumentStore::kDefaultMaxQueryBytes);
  }

  static json::value regex(const char* pattern) { return json::object{{"$regex", pattern}}; }

  // Runs `query`, which must stop with QueryTimeout (naming the option) well within 5 s.
  template <class F>
  static void expect_timeout(F&& query, const std::string& what) {
    auto start = std::chrono::steady_clock::now();
    try {
      query();
      ADD_FAILURE() << what << ": no timeout";
    } catch (const QueryTimeout& e) {
      EXPECT_NE(std::string(e.what()).find("--query-timeout"), std::string::npos) << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s) << what;
  }

  // Runs `query`, which must fail with the memory cap's QueryError well within 5 s.
  template <class F>
  static void expect_memory_error(F&& query, const std::string& what) {
    auto start = std::chrono::steady_clock::now();
    try {
      query();
      ADD_FAILURE() << what << ": no memory error";
    } catch (const QueryTimeout& e) {
      ADD_FAILURE() << what << ": timed out instead: " << e.what();
    } catch (const QueryError& e) {
      std::string msg = e.what();
      EXPECT_NE(msg.find("--query-memory-mb"), std::string::npos) << msg;
      EXPECT_NE(msg.find("$match"), std::string::npos) << msg;
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s) << what;
  }

  std::vector<json::value> aggregate(const char* collection, const char* pipeline) {
    return store_->aggregate(collection, json::parse(pipeline));
  }

  static std::string* path_;
  static SqliteDocumentStore* store_;
};

std::string* QueryLimits::path_ = nullptr;
SqliteDocumentStore* QueryLimits::store_ = nullptr;

TEST_F(QueryLimits, ARegexOnAScannedFieldStopsAtTheDeadline) {
  expect_timeout([&] { store_->count("item", json::object{{"description", regex(kSlow)}}); }, "count");
  expect_timeout([&] { store_->find({"item", json::object{{"description", regex(kSlow)}}, nullptr, nullptr, 0, 5}); }, "find");
  expect_timeout([&] { store_->distinct("item", "g", json::object{{"description", regex(kSlow)}}); }, "distinct");
  expect_timeout([&] { store_->count("item", json::object{{"description", json::object{{"$not", regex(kSlow)}}}}); }, "$not");
  expect_timeout([&] { store_->count("item", json::object{{"description", json::object{{"$in", json::array{regex(kSlow), "x"}}}}}); },
                 "$in");
}

TEST_F(QueryLimits, ARegexOnAnIndexedFieldTestingDistinctValuesStopsAtTheDeadline) {
  ASSERT_TRUE(store_->indexed("item", "title"));
  auto read = store_->documents_read();
  expect_timeout([&] { store_->count("item", json::object{{"title", regex(kSlow)}}); }, "count");
  expect_timeout([&] { store_->distinct("item", "g", json::object{{"title", regex(kSlow)}}); }, "distinct");
  expect_timeout([&] { store_->count("item", json::object{{"title", json::object{{"$in", json::array{regex(kSlow), "x"}}}}}); }, "$in");
  expect_timeout([&] { store_->count("item", json::object{{"title", json::object{{"$not", regex(kSlow)}}}}); }, "$not");
  expect_timeout([&] { aggregate("item", R"([{"$match": {"title": {"$regex": "[a-q][^u-z]{60}x"}}}, {"$group": {"_id": "$g", "n": {"$sum": 1}}}])"); },
                 "counting $group");
  EXPECT_EQ(store_->documents_read(), read);  // the index alone was walked
}

TEST_F(QueryLimits, ARegexMatchExpressionStopsAtTheDeadline) {
  expect_timeout([&] {
    aggregate("item", R"([{"$project": {"m": {"$regexMatch": {"input": "$description", "regex": "[a-q][^u-z]{60}x"}}}},
                          {"$match": {"m": true}}, {"$count": "n"}])");
  }, "$regexMatch");
}

TEST_F(QueryLimits, EveryStageKindStopsAtTheDeadline) {
  store_->set_max_query_bytes(0);  // time alone bounds them here
  expect_timeout([&] { aggregate("item", R"([{"$lookup": {"from": "item", "localField": "g", "foreignField": "g", "as": "same"}}])"); },
                 "$lookup self-join");
  expect_timeout([&] { aggregate("arrays", R"([{"$unwind": "$arr"}, {"$count": "n"}])"); }, "$unwind");
  expect_timeout([&] { aggregate("arrays", R"([{"$unwind": "$arr"}, {"$group": {"_id": "$arr", "all": {"$push": "$$ROOT"}}}])"); },
                 "$group after $unwind");
  expect_timeout([&] {
    aggregate("item", R"([{"$facet": {"joined": [{"$lookup": {"from": "item", "localField": "g", "foreignField": "g", "as": "x"}}]}}])");
  }, "$facet");
  expect_timeout([&] { aggregate("arrays", R"([{"$project": {"n": {"$size": "$arr"}, "all": "$arr"}}, {"$unwind": "$all"}, {"$sort": {"all": 1}}])"); },
                 "$project, $unwind, $sort");
}

TEST_F(QueryLimits, ACancelledQueryStopsPromptlyInAStageAndOnTheIndex) {
  store_->set_max_time(60s);
  store_->set_max_query_bytes(0);
  for (auto* pipeline : {R"([{"$lookup": {"from": "item", "localField": "g", "foreignField": "g", "as": "same"}}])",
                         R"([{"$match": {"title": {"$regex": "[a-q][^u-z]{60}x"}}}, {"$count": "n"}])"}) {
    CancelToken cancel;
    std::thread canceller([&] {
      std::this_thread::sleep_for(200ms);
      cancel.cancel();
    });
    auto start = std::chrono::steady_clock::now();
    EXPECT_THROW(store_->aggregate("item", json::parse(pipeline), &cancel), QueryCancelled) << pipeline;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s) << pipeline;
    canceller.join();
  }
}

TEST_F(QueryLimits, MemoryPerQueryIsCappedWithAReadableError) {
  store_->set_max_time(30s);
  expect_memory_error([&] { aggregate("item", R"([{"$lookup": {"from": "item", "localField": "g", "foreignField": "g", "as": "same"}}])"); },
                      "$lookup self-join");
  expect_memory_error([&] { aggregate("arrays", R"([{"$unwind": "$arr"}])"); }, "$unwind");
  store_->set_max_query_bytes(std::size_t{4} << 20);
  expect_memory_error([&] { aggregate("item", R"([{"$group": {"_id": null, "ids": {"$addToSet": "$_id"}, "all": {"$push": "$title"}}}])"); },
                      "$addToSet and $push");
  expect_memory_error([&] { store_->find({"item", nullptr, nullptr, nullptr, 0, 0}); }, "find of everything");
  expect_memory_error([&] { store_->distinct("item", "description", json::object{}); }, "distinct");
  // What stays small passes: the groups of everything (also of 2,000,000 unwound copies, made one
  // document at a time), a sorted top ten of everything.
  auto unwound = aggregate("arrays", R"([{"$unwind": "$arr"}, {"$group": {"_id": null, "n": {"$sum": 1}}}])");
  EXPECT_EQ(json::value(json::array(unwound.begin(), unwound.end())), json::parse(R"([{"_id": null, "n": 2000000}])"));
  auto groups = aggregate("item", R"([{"$group": {"_id": "$g", "n": {"$sum": 1}}}, {"$sort": {"_id": 1}}])");
  EXPECT_EQ(json::value(json::array(groups.begin(), groups.end())), json::parse(R"([{"_id": 0, "n": 10000}, {"_id": 1, "n": 10000}])"));
  EXPECT_EQ(store_->find({"item", nullptr, json::parse(R"({"_id": 1})"), json::parse(R"({"description": -1})"), 0, 10}).size(), 10u);
  EXPECT_EQ(aggregate("item", R"([{"$sort": {"description": 1}}, {"$limit": 3}, {"$project": {"_id": 1}}])").size(), 3u);
}

TEST_F(QueryLimits, AddToSetOverEveryIdIsQuick) {
  store_->set_max_time(30s);
  auto start = std::chrono::steady_clock::now();
  auto out = aggregate("item", R"([{"$group": {"_id": null, "ids": {"$addToSet": "$_id"}}}])");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].at("ids").as_array().size(), 20000u);
}

TEST_F(QueryLimits, CatastrophicBacktrackingPatternsAnswerQuickly) {
  store_->set_max_time(30s);
  std::vector<json::value> docs;
  for (int i = 0; i < 2000; ++i) docs.push_back(json::object{{"_id", i}, {"s", std::string(static_cast<std::size_t>(1000 + i), 'a') + (i % 2 ? "b" : "")}});
  store_->replace_collection("backtrack", docs);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(store_->count("backtrack", json::parse(R"({"s": {"$regex": "^(a+)+$"}})")), 1000);
  EXPECT_EQ(store_->count("backtrack", json::parse(R"({"s": {"$regex": "(a|aa)*c"}})")), 0);
  EXPECT_EQ(store_->count("backtrack", json::parse(R"({"s": {"$regex": "(.*a){20}b"}})")), 1000);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST_F(QueryLimits, PatternsALinearEngineCannotRunAreRefusedBeforeAnyRead) {
  auto refused = [&](const json::value& filter) {
    auto read = store_->documents_read();
    try {
      store_->count("item", filter);
      ADD_FAILURE() << dump(filter) << " was accepted";
      return std::string();
    } catch (const QueryError& e) {
      EXPECT_EQ(store_->documents_read(), read) << dump(filter);
      return std::string(e.what());
    }
  };
  EXPECT_NE(refused(json::parse(R"j({"description": {"$regex": "(a)\\1"}})j")).find("backreferences"), std::string::npos);
  EXPECT_NE(refused(json::parse(R"j({"description": {"$regex": "a(?=b)"}})j")).find("lookahead"), std::string::npos);
  EXPECT_NE(refused(json::parse(R"j({"title": {"$in": [{"$regex": "(?<!x)y"}]}})j")).find("lookahead and lookbehind"), std::string::npos);
  EXPECT_NE(refused(json::object{{"description", regex(std::string(2000, 'a').c_str())}}).find("at most 1024"), std::string::npos);
  EXPECT_NE(refused(json::parse(R"j({"description": {"$regex": "(\\w+\\s*){1000}"}})j")).find("too complex"), std::string::npos);
  EXPECT_NE(refused(json::parse(R"j({"description": {"$regex": "((a{100}){100}){100}"}})j")).find("repetition"), std::string::npos);
  EXPECT_NE(refused(json::parse(R"j({"description": {"$regex": "(unclosed"}})j")).find("invalid $regex"), std::string::npos);
  EXPECT_NE(refused(json::parse(R"j({"description": {"$regex": "a", "$options": "q"}})j")).find("option 'q'"), std::string::npos);
  EXPECT_THROW(aggregate("item", R"j([{"$project": {"m": {"$regexMatch": {"input": "$title", "regex": "(x)\\1"}}}}])j"), QueryError);
}

TEST_F(QueryLimits, AValueTooLongForThePatternIsAnErrorNotAStall) {
  store_->set_max_time(30s);
  store_->replace_collection("huge", {json::object{{"_id", 1}, {"s", std::string(std::size_t{60} << 20, 'a')}}});
  auto start = std::chrono::steady_clock::now();
  try {
    store_->count("huge", json::parse(R"({"s": {"$regex": "[a-q][^u-z]{20}x"}})"));
    ADD_FAILURE() << "a 60 MB value was searched";
  } catch (const QueryError& e) {
    EXPECT_NE(std::string(e.what()).find("too long"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  store_->replace_collection("huge", {});
}

TEST(RegexOptions, MongoDbOptionsMeanWhatTheySay) {
  auto matches = [](const char* pattern, const char* options, const char* text) {
    return Filter::compile(json::object{{"s", json::object{{"$regex", pattern}, {"$options", options}}}}).matches(json::object{{"s", text}});
  };
  EXPECT_TRUE(matches("^LOGIN", "i", "login timeout"));
  EXPECT_FALSE(matches("^LOGIN", "", "login timeout"));
  EXPECT_TRUE(matches("^b", "m", "a\nb"));
  EXPECT_FALSE(matches("^b", "", "a\nb"));
  EXPECT_TRUE(matches("a.b", "s", "a\nb"));
  EXPECT_FALSE(matches("a.b", "", "a\nb"));
  EXPECT_TRUE(matches("a b # the rest\n c", "x", "abc"));
  EXPECT_TRUE(matches("[ ]x", "x", " x"));  // white space in a class stays
  EXPECT_TRUE(matches("\\bfix\\b", "", "a fix here"));
  EXPECT_TRUE(matches("^\\d{2}-\\w+$", "", "12-ab_c"));
  EXPECT_TRUE(matches("é", "i", "CAFÉ"));
}

TEST(QueryNumbers, LimitsAndSkipsOutOfRangeAreReadableQueryErrors) {
  auto message = [](const char* pipeline) {
    try {
      Pipeline::compile(json::parse(pipeline));
      ADD_FAILURE() << pipeline << " was accepted";
    } catch (const QueryError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  for (auto* p : {R"([{"$limit": 99999999999999999999}])", R"([{"$limit": -1}])", R"([{"$limit": 1.5}])", R"([{"$skip": -3}])",
                  R"([{"$skip": 2.5}])", R"([{"$skip": 1e300}])", R"([{"$limit": "ten"}])"}) {
    auto msg = message(p);
    EXPECT_NE(msg.find("whole number"), std::string::npos) << p << ": " << msg;
    EXPECT_EQ(msg.find("boost"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("::"), std::string::npos) << msg;
  }
}

}  // namespace
