#include "store/query/query_error.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>

using namespace pms;
using namespace pms::store;
using pms::store::sqlite::SqliteDocumentStore;

namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("pms-store-test-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    store_ = std::make_unique<SqliteDocumentStore>(path_.string(), "ProjectManagement");
    auto docs = json::parse(R"([
      {"_id": "a", "title": "one", "priority": "HIGH", "n": 3, "tags": ["x"]},
      {"_id": "b", "title": "two", "priority": "LOW", "n": 1, "tags": ["x", "y"]},
      {"_id": "c", "title": "three", "priority": "HIGH", "n": 2}
    ])").as_array();
    store_->replace_collection("workItem", {docs.begin(), docs.end()});
    store_->replace_collection("project", {json::parse(R"({"_id": "p", "name": "P"})")});
  }
  void TearDown() override {
    store_.reset();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  std::filesystem::path path_;
  std::unique_ptr<SqliteDocumentStore> store_;
};

TEST_F(SqliteStoreTest, ListsCollectionsWithCounts) {
  auto cols = store_->list_collections();
  ASSERT_EQ(cols.size(), 2u);
  EXPECT_EQ(cols[0].name, "project");
  EXPECT_EQ(cols[1].name, "workItem");
  EXPECT_EQ(cols[1].count, 3);
}

TEST_F(SqliteStoreTest, HasCollection) {
  EXPECT_TRUE(store_->has_collection("workItem"));
  EXPECT_FALSE(store_->has_collection("work"));
}

TEST_F(SqliteStoreTest, FindFiltersSortsProjectsAndLimits) {
  FindRequest req;
  req.collection = "workItem";
  req.filter = json::parse(R"({"priority": "HIGH"})");
  req.sort = json::parse(R"({"n": 1})");
  req.projection = json::parse(R"({"title": 1, "_id": 0})");
  auto docs = store_->find(req);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0], json::parse(R"({"title": "three"})"));
  EXPECT_EQ(docs[1], json::parse(R"({"title": "one"})"));
  req.limit = 1;
  req.skip = 1;
  EXPECT_EQ(store_->find(req).at(0), json::parse(R"({"title": "one"})"));
}

TEST_F(SqliteStoreTest, CountDistinctAggregate) {
  EXPECT_EQ(store_->count("workItem", json::parse(R"({"n": {"$gte": 2}})")), 2);
  EXPECT_EQ(store_->count("nothing", json::value()), 0);
  auto tags = store_->distinct("workItem", "tags", json::value());
  EXPECT_EQ(json::array(tags.begin(), tags.end()), json::parse(R"(["x", "y"])"));
  auto groups = store_->aggregate("workItem", json::parse(R"([{"$match": {"tags": "x"}}, {"$group": {"_id": "$priority", "total": {"$sum": "$n"}}}, {"$sort": {"_id": 1}}])"));
  EXPECT_EQ(json::array(groups.begin(), groups.end()), json::parse(R"([{"_id": "HIGH", "total": 3}, {"_id": "LOW", "total": 1}])"));
}

TEST_F(SqliteStoreTest, ReplacingACollectionNeverDuplicates) {
  store_->replace_collection("workItem", {json::parse(R"({"_id": "a", "title": "new"})")});
  EXPECT_EQ(store_->count("workItem", json::value()), 1);
  EXPECT_EQ(store_->count("project", json::value()), 1);
}

// The same _id twice in one write: the later document is stored, and the index holds its values
// only (a value repeated in one array is one row).
TEST_F(SqliteStoreTest, ALaterDocumentWithTheSameIdTakesTheIndexRowsOfTheEarlierOne) {
  {
    SqliteDocumentStore::BulkWriter w(*store_, {"workItem"});
    w.insert("workItem", json::parse(R"({"_id": "a", "priority": "HIGH", "label": [{"name": "x"}, {"name": "x"}]})"));
    w.insert("workItem", json::parse(R"({"_id": "b", "priority": "HIGH"})"));
    w.insert("workItem", json::parse(R"({"_id": "a", "priority": "LOW", "label": [{"name": "y"}, {"name": "y"}]})"));
    w.commit();
  }
  EXPECT_EQ(store_->count("workItem", json::value()), 2);
  EXPECT_EQ(store_->count("workItem", json::parse(R"({"priority": "HIGH"})")), 1);
  EXPECT_EQ(store_->count("workItem", json::parse(R"({"priority": "LOW"})")), 1);
  EXPECT_EQ(store_->count("workItem", json::parse(R"({"label.name": "x"})")), 0);
  EXPECT_EQ(store_->count("workItem", json::parse(R"({"label.name": {"$in": ["y"]}})")), 1);
  auto values = store_->value_counts("workItem", "label.name", 10);
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(values[0].value, "y");
  EXPECT_EQ(values[0].documents, 1);
}

TEST_F(SqliteStoreTest, FailedBulkWriteLeavesNothingBehind) {
  {
    SqliteDocumentStore::BulkWriter w(*store_, {"workItem"});
    w.insert("workItem", json::parse(R"({"_id": "z"})"));
    EXPECT_THROW(w.insert("workItem", json::parse(R"({"no_id": 1})")), StoreError);
  }
  EXPECT_EQ(store_->count("workItem", json::value()), 3);
}

TEST_F(SqliteStoreTest, CancelledScanStops) {
  std::vector<json::value> many;
  for (int i = 0; i < 2000; ++i) many.push_back(json::object{{"_id", i}});
  store_->replace_collection("big", many);
  CancelToken cancel;
  cancel.cancel();
  // A filter no index answers: every document is read.
  EXPECT_THROW(store_->count("big", json::parse(R"({"_id": {"$exists": true}})"), &cancel), QueryCancelled);
}

TEST_F(SqliteStoreTest, SampleSpreadsOverTheCollection) {
  auto s = store_->sample("workItem", 2);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].at("_id"), "a");
  EXPECT_EQ(s[1].at("_id"), "b");
}

TEST_F(SqliteStoreTest, MetaValues) {
  EXPECT_FALSE(store_->meta("k"));
  store_->set_meta("k", "v");
  EXPECT_EQ(store_->meta("k").value_or(""), "v");
}

TEST_F(SqliteStoreTest, AQueryLongerThanMaxTimeIsStoppedWithAMessage) {
  std::vector<json::value> many;
  for (int i = 0; i < 20000; ++i) many.push_back(json::object{{"_id", std::to_string(i)}, {"n", i}, {"description", "item"}});
  store_->replace_collection("big", many);
  EXPECT_EQ(store_->count("big", json::object{{"n", json::object{{"$gte", 0}}}}), 20000);

  // Reading 20,000 documents takes far longer than a millisecond on any machine.
  store_->set_max_time(std::chrono::milliseconds(1));
  try {
    store_->count("big", json::object{{"description", json::object{{"$regex", "^it"}}}});
    FAIL() << "the count should have run out of time";
  } catch (const QueryTimeout& e) {
    EXPECT_NE(std::string(e.what()).find("--query-timeout"), std::string::npos) << e.what();
  }
  EXPECT_THROW(store_->find({"big", json::object{}, nullptr, json::object{{"n", -1}}, 0, 5}), QueryTimeout);
  EXPECT_THROW(store_->distinct("big", "n", json::object{}), QueryTimeout);
  EXPECT_THROW(store_->aggregate("project", json::parse(R"([{"$lookup":{"from":"big","localField":"_id","foreignField":"n","as":"x"}}])")),
               QueryTimeout);
  // A timeout is a QueryError: the tools hand it to the model like any refused query.
  EXPECT_THROW(store_->count("big", json::object{{"description", json::object{{"$regex", "^it"}}}}), QueryError);
}

TEST_F(SqliteStoreTest, AWriteBlockedByAnotherProgramFailsWithinMaxTimeAndRecovers) {
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.string().c_str(), &other), SQLITE_OK);
  // Another program is in the middle of a long write (an import, say).
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES('lock', 'x');", nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(other);
  store_->set_max_time(std::chrono::milliseconds(300));
  auto start = std::chrono::steady_clock::now();
  try {
    store_->replace_collection("project", {json::parse(R"({"_id": "q"})")});
    FAIL() << "the write should have failed on the locked file";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("locked by another program"), std::string::npos) << e.what();
  }
  // It waited for the lock (busy timeout = max time), but not for ever.
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(250));
  EXPECT_LT(waited, std::chrono::seconds(5));
  // Reads go on meanwhile (WAL), and see the data as it was.
  EXPECT_EQ(store_->count("project", json::object{{"_id", "p"}}), 1);

  sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  store_->replace_collection("project", {json::parse(R"({"_id": "q"})")});
  EXPECT_EQ(store_->count("project", json::object{{"_id", "q"}}), 1);
}

TEST_F(SqliteStoreTest, RedactedFieldsCannotBeSeenMatchedOrReturned) {
  store_->replace_collection("members", {json::parse(R"({"_id": "m1", "name": "Ann", "email": "ann@example.com",
      "manager": {"name": "Bo", "email": "bo@example.com"}, "past": [{"email": "old@example.com", "role": "MEMBER"}]})")});
  store_->set_redacted_fields({"email"});
  auto docs = store_->find({"members", json::object{}, nullptr, nullptr, 0, 0});
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0], json::parse(R"({"_id": "m1", "name": "Ann", "manager": {"name": "Bo"}, "past": [{"role": "MEMBER"}]})"));
  // Not matchable either, so a filter cannot probe for the address.
  EXPECT_EQ(store_->count("members", json::parse(R"({"email": {"$regex": "^ann"}})")), 0);
  EXPECT_EQ(store_->count("members", json::parse(R"({"email": {"$exists": true}})")), 0);
  EXPECT_TRUE(store_->distinct("members", "manager.email", json::object{}).empty());
  auto as_text = [](const std::vector<json::value>& docs) { return dump(json::array(docs.begin(), docs.end())); };
  auto projected = as_text(store_->aggregate("members", json::parse(R"([{"$project": {"mail": "$email", "all": "$$ROOT"}}])")));
  EXPECT_EQ(projected.find("example.com"), std::string::npos) << projected;
  EXPECT_EQ(as_text(store_->sample("members", 5)).find("example.com"), std::string::npos);
  // Other fields are untouched.
  EXPECT_EQ(store_->count("members", json::parse(R"({"manager.name": "Bo"})")), 1);
}

}  // namespace

// A counting $group on an indexed scalar field is answered from the index: exactly, reading no
// document; a field some document holds as an array is read (and with no time at all, times out);
// replacing the collection forgets that.
TEST(SqliteStoreGroups, CountingGroupsComeFromTheIndex) {
  auto path = std::filesystem::temp_directory_path() / ("pms-store-groups-" + std::to_string(::getpid()) + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  {
    SqliteDocumentStore store(path.string(), "ProjectManagement");
    std::vector<json::value> docs;
    for (int i = 0; i < 1000; ++i)
      docs.push_back(json::object{{"_id", i}, {"priority", i % 3 == 0 ? "HIGH" : "LOW"}, {"label", json::array{json::object{{"name", "bug"}}}}});
    store.replace_collection("workItem", docs);
    auto read = store.documents_read();
    auto groups = store.aggregate("workItem", json::parse(R"([{"$group": {"_id": "$priority", "n": {"$sum": 1}}}, {"$sort": {"_id": 1}}])"));
    EXPECT_EQ(json::value(json::array(groups.begin(), groups.end())), json::parse(R"([{"_id": "HIGH", "n": 334}, {"_id": "LOW", "n": 666}])"));
    EXPECT_EQ(store.documents_read(), read);
    store.set_max_time(std::chrono::milliseconds(0));
    EXPECT_THROW(store.aggregate("workItem", json::parse(R"([{"$group": {"_id": "$label.name", "n": {"$sum": 1}}}])")), QueryTimeout);

    store.set_max_time(std::chrono::seconds(10));
    docs.resize(300);
    for (auto& d : docs) d.as_object()["label"] = json::object{{"name", "bug"}};
    store.replace_collection("workItem", docs);
    read = store.documents_read();
    auto labels = store.aggregate("workItem", json::parse(R"([{"$group": {"_id": "$label.name", "n": {"$sum": 1}}}])"));
    EXPECT_EQ(json::value(json::array(labels.begin(), labels.end())), json::parse(R"([{"_id": "bug", "n": 300}])"));
    EXPECT_EQ(store.documents_read(), read);
  }
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

// A find or a pipeline that sorts on one indexed field with a limit reads along the index: it reads
// about as many documents as it returns, in the order the engine gives when it reads and sorts
// everything (missing values first ascending, last descending; ties in storage order). A field some
// document holds as an array is read and sorted (and with no time at all, times out).
TEST(SqliteStoreSorts, ASortWithALimitReadsAlongTheIndex) {
  auto path = std::filesystem::temp_directory_path() / ("pms-store-sorts-" + std::to_string(::getpid()) + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  {
    SqliteDocumentStore store(path.string(), "ProjectManagement");
    const char* priorities[] = {"HIGH", "LOW", "MEDIUM"};
    std::vector<json::value> docs;
    for (int i = 0; i < 1000; ++i) {
      json::object d{{"_id", i}, {"label", json::array{json::object{{"name", i % 2 ? "bug" : "ui"}}}}};
      if (i % 4) d["priority"] = priorities[i % 3];
      if (i % 10) d["createdTimeStamp"] = "2025-11-" + std::to_string(10 + i % 17) + "T00:00:00.000Z";  // many ties
      docs.push_back(std::move(d));
    }
    store.replace_collection("workItem", docs);
    auto first = [](std::vector<json::value> all, std::size_t n) {
      all.resize(std::min(n, all.size()));
      return json::value(json::array(all.begin(), all.end()));
    };
    struct Query {
      const char* filter;
      const char* sort;
      std::int64_t limit;
    };
    std::vector<Query> queries = {{"{}", R"({"priority": 1})", 255},
                                  {"{}", R"({"priority": -1})", 20},
                                  {R"({"priority": {"$ne": "LOW"}})", R"({"createdTimeStamp": -1})", 30},
                                  {R"({"label.name": "bug"})", R"({"createdTimeStamp": 1})", 120},
                                  // a range on the sorted field bounds the walk (and leaves out the missing values)
                                  {R"({"createdTimeStamp": {"$gte": "2025-11-20", "$lt": "2025-11-24"}})", R"({"createdTimeStamp": 1})", 200},
                                  {R"({"createdTimeStamp": {"$gt": "2025-11-25"}, "priority": "LOW"})", R"({"createdTimeStamp": -1})", 50}};
    std::vector<json::value> expected;
    for (auto& q : queries)  // no limit: every match read, sorted in memory
      expected.push_back(first(store.find({"workItem", json::parse(q.filter), nullptr, json::parse(q.sort), 0, 0}), q.limit));

    for (std::size_t i = 0; i < queries.size(); ++i) {
      auto& q = queries[i];
      auto read = store.documents_read();
      auto found = store.find({"workItem", json::parse(q.filter), nullptr, json::parse(q.sort), 0, q.limit});
      EXPECT_EQ(json::value(json::array(found.begin(), found.end())), expected[i]) << q.filter << " " << q.sort;
      EXPECT_LE(store.documents_read() - read, static_cast<std::uint64_t>(q.limit)) << q.filter << " " << q.sort;
      read = store.documents_read();
      auto pipeline = json::array{json::object{{"$match", json::parse(q.filter)}}, json::object{{"$sort", json::parse(q.sort)}},
                                  json::object{{"$limit", q.limit}}};
      auto aggregated = store.aggregate("workItem", pipeline);
      EXPECT_EQ(json::value(json::array(aggregated.begin(), aggregated.end())), expected[i]) << q.filter << " " << q.sort;
      EXPECT_LE(store.documents_read() - read, static_cast<std::uint64_t>(q.limit)) << q.filter << " " << q.sort;
    }
    store.set_max_time(std::chrono::milliseconds(0));
    EXPECT_THROW(store.find({"workItem", json::object{}, nullptr, json::parse(R"({"label.name": 1})"), 0, 5}), QueryTimeout);
    // Distinct values come from the index too, but not where a document holds one it does not have.
    auto values = [&](const char* field, const char* filter) {
      auto v = store.distinct("workItem", field, json::parse(filter));
      return json::value(json::array(v.begin(), v.end()));
    };
    store.set_max_time(std::chrono::seconds(10));
    auto read = store.documents_read();
    EXPECT_EQ(values("priority", "{}"), json::parse(R"(["HIGH", "LOW", "MEDIUM"])"));
    EXPECT_EQ(values("label.name", R"({"priority": "LOW"})"), json::parse(R"(["bug", "ui"])"));
    EXPECT_EQ(store.documents_read(), read);
    store.set_max_time(std::chrono::seconds(10));
    docs[7].as_object()["priority"] = nullptr;
    store.replace_collection("workItem", docs);
    store.set_max_time(std::chrono::milliseconds(0));
    EXPECT_THROW(store.distinct("workItem", "priority", json::object{}), QueryTimeout);
    store.set_max_time(std::chrono::seconds(10));
    read = store.documents_read();
    EXPECT_EQ(values("label.name", "{}"), json::parse(R"(["bug", "ui"])"));
    EXPECT_EQ(store.documents_read(), read);
  }
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

namespace {

// A statement that never ends by itself: counting an endless recursive sequence.
constexpr const char* kEndless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

std::string temp_db(const char* name) {
  auto p = std::filesystem::temp_directory_path() / ("pms-budget-" + std::to_string(::getpid()) + "-" + name + ".db");
  std::filesystem::remove(p);
  return p.string();
}

}  // namespace

TEST(StatementBudget, WorkInsideSqliteStopsAtTheDeadline) {
  auto path = temp_db("deadline");
  sqlite::Connection conn(path, std::chrono::milliseconds(1000));
  QueryBudget budget(nullptr, std::chrono::milliseconds(200), 0);
  auto st = conn.prepare(kEndless);
  auto start = std::chrono::steady_clock::now();
  {
    sqlite::StatementBudget bounded(conn, budget);
    EXPECT_THROW(bounded.run([&] { return st.step(); }), QueryTimeout);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  // Without the guard the connection is unbounded again: a short statement runs to its end.
  auto ok = conn.prepare("SELECT 1");
  EXPECT_TRUE(ok.step());
  std::filesystem::remove(path);
}

TEST(Connection, ReusesPreparedStatementsReset) {
  auto path = temp_db("statement-cache");
  sqlite::Connection conn(path, std::chrono::milliseconds(1000));
  auto statements = [&] {
    int n = 0;
    for (auto* st = sqlite3_next_stmt(conn.handle(), nullptr); st; st = sqlite3_next_stmt(conn.handle(), st)) ++n;
    return n;
  };
  {
    auto st = conn.prepare("SELECT ?1");
    st.bind(1, std::int64_t{7});
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.int64(0), 7);
  }
  {
    // The same text again: the kept statement, without the last one's binding; a second use of
    // the same text while the first is still alive gets a statement of its own.
    auto st = conn.prepare("SELECT ?1");
    auto other = conn.prepare("SELECT ?1");
    ASSERT_TRUE(st.step());
    EXPECT_TRUE(st.value(0).is_null());
    other.bind(1, std::string_view("x"));
    ASSERT_TRUE(other.step());
    EXPECT_EQ(other.text(0), "x");
  }
  {
    // Destroyed in the middle of its rows: given back reset, it holds no read open.
    auto rows = conn.prepare("SELECT 1 UNION ALL SELECT 2");
    ASSERT_TRUE(rows.step());
  }
  for (auto* st = sqlite3_next_stmt(conn.handle(), nullptr); st; st = sqlite3_next_stmt(conn.handle(), st))
    EXPECT_FALSE(sqlite3_stmt_busy(st));
  // Many different texts (queries built per question): the connection keeps a bounded number.
  for (int i = 0; i < 200; ++i) conn.prepare("SELECT " + std::to_string(i)).step();
  EXPECT_LE(statements(), 40);
  std::filesystem::remove(path);
}

TEST(StatementBudget, WorkInsideSqliteStopsWhenCancelled) {
  auto path = temp_db("cancel");
  sqlite::Connection conn(path, std::chrono::milliseconds(1000));
  CancelToken cancel;
  QueryBudget budget(&cancel, std::chrono::milliseconds(60000), 0);
  cancel.cancel();  // after the query started
  auto st = conn.prepare(kEndless);
  sqlite::StatementBudget bounded(conn, budget);
  EXPECT_THROW(bounded.run([&] { return st.step(); }), QueryCancelled);
  std::filesystem::remove(path);
}
