// Which documents the value index's sets give for a filter, and whether exactly: whatever they
// claim is compared with the query engine reading every document. (That whole queries answer the
// same through them is conformance_test.cpp's "sqlite_indexed" and "sqlite_posted" backends.)
#include "store/query/filter.hpp"
#include "store/sqlite/index_filter.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

using namespace pms;
using namespace pms::store;
using namespace pms::store::sqlite;

namespace {

class IndexFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() / ("pms-index-filter-" + std::to_string(::getpid()) + ".db")).string();
    remove_files();
    store_ = std::make_unique<SqliteDocumentStore>(path_, "ProjectManagement");
    store_->set_indexed_paths({"priority", "state.name", "estimate", "tags", "members.email"});
    store_->set_min_posting_documents(10);  // frequent values get a set, rare ones are read from the rows
    const char* priorities[] = {"HIGH", "LOW", "LOW", "MEDIUM", "URGENT", "LOW", "NONE"};
    for (int i = 0; i < 300; ++i) {
      json::object d{{"_id", i}, {"state", json::object{{"name", i % 5 == 0 ? "Done" : i % 5 == 1 ? "Todo" : "In Progress"}}}};
      if (i % 11 != 0) d["priority"] = i % 97 == 0 ? "RARE" : priorities[i % 7];
      // numbers of both kinds (3 and 3.0 are one value), a string among them, null
      if (i % 4 == 0) d["estimate"] = i % 8;
      if (i % 4 == 1) d["estimate"] = static_cast<double>(i % 8);
      if (i % 4 == 2) d["estimate"] = "3";
      if (i % 4 == 3) d["estimate"] = nullptr;
      if (i % 3 == 0) d["tags"] = json::array{"ui", i % 2 ? "auth" : "docs"};
      d["members"] = json::array{json::object{{"email", i % 2 ? "a@example.com" : "b@example.com"}}};
      docs_.push_back(std::move(d));
    }
    store_->replace_collection("c", docs_);
  }
  void TearDown() override {
    store_.reset();
    remove_files();
  }
  void remove_files() {
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  QueryBudget budget_;  // unbounded

  std::optional<IndexMatch> match(std::string_view filter) {
    Connection conn(path_, std::chrono::seconds(5));
    PostingLists sets(conn, "c", budget_);
    ValueIndex index(store_->indexed_paths());
    return match_from_index(sets, index, json::parse(filter), {"email"});
  }
  // The _ids the engine matches, reading every document.
  std::vector<std::int64_t> engine(std::string_view filter) {
    auto f = Filter::compile(json::parse(filter));
    std::vector<std::int64_t> out;
    for (auto& d : docs_)
      if (f.matches(d)) out.push_back(d.at("_id").to_number<std::int64_t>());
    return out;
  }
  // Row numbers follow the insertion order here: _id i is seq i + 1.
  static std::vector<std::int64_t> ids(const DocumentSet& set) {
    std::vector<std::int64_t> out;
    for (auto seq : set) out.push_back(static_cast<std::int64_t>(seq) - 1);
    return out;
  }

  std::string path_;
  std::unique_ptr<SqliteDocumentStore> store_;
  std::vector<json::value> docs_;
};

TEST_F(IndexFilterTest, ExactWhereItSaysSo) {
  for (auto filter : {R"({})", R"({"priority": "LOW"})", R"({"priority": "RARE"})", R"({"priority": "nothing"})",
                      R"({"priority": {"$in": ["HIGH", "RARE"]}, "state.name": "Done"})", R"({"priority": {"$in": []}})",
                      R"({"priority": {"$ne": "LOW"}})", R"({"priority": {"$nin": ["LOW", "RARE"]}})", R"({"priority": {"$nin": []}})",
                      R"({"estimate": 3})", R"({"estimate": 3.0})", R"({"estimate": {"$gte": 2, "$lt": 5}})", R"({"estimate": {"$gt": "2"}})",
                      R"({"tags": "auth"})", R"({"tags": {"$ne": "ui"}})", R"({"tags": {"$in": ["auth", "docs"]}})",
                      R"({"$or": [{"priority": "HIGH"}, {"tags": "docs"}]})", R"({"$nor": [{"priority": "HIGH"}, {"state.name": "Done"}]})",
                      R"({"$and": [{"priority": {"$ne": "HIGH"}}, {"state.name": {"$in": ["Done", "Todo"]}}]})",
                      // regular expressions test each distinct value once (priority has a rare value: from
                      // the rows; state.name only frequent ones: from the postings)
                      R"({"priority": {"$regex": "^L"}})", R"({"priority": {"$regex": "w$", "$options": "i"}})",
                      R"({"state.name": {"$regex": "^in", "$options": "i"}})", R"({"tags": {"$regex": "^a"}})",
                      R"({"priority": {"$in": [{"$regex": "^H"}, "LOW"]}})", R"({"priority": {"$not": {"$regex": "^L"}}})",
                      R"({"estimate": {"$not": {"$gt": 4}}})", R"({"estimate": {"$regex": "3"}})"}) {
    auto m = match(filter);
    ASSERT_TRUE(m) << filter;
    EXPECT_TRUE(m->exact) << filter;
    EXPECT_EQ(ids(m->documents), engine(filter)) << filter;
    EXPECT_EQ(m->of, docs_.size());
  }
}

TEST_F(IndexFilterTest, ASupersetForTheEngineToCheckOtherwise) {
  for (auto filter : {R"({"priority": "LOW", "title": {"$regex": "^a"}})", R"({"priority": {"$in": ["HIGH", null]}})",
                      R"({"priority": {"$exists": false}})", R"({"estimate": null})", R"({"tags": ["ui", "auth"]})",
                      R"({"$or": [{"priority": "HIGH"}, {"title": "x"}]})", R"({"$nor": [{"title": "x"}]})",
                      R"({"members.email": "a@example.com"})", R"({"priority": {"$not": {"$exists": true}}})",
                      R"({"members.email": {"$regex": "^a"}})"}) {
    auto m = match(filter);
    ASSERT_TRUE(m) << filter;
    EXPECT_FALSE(m->exact) << filter;
    auto candidates = ids(m->documents);
    for (auto id : engine(filter)) EXPECT_TRUE(std::binary_search(candidates.begin(), candidates.end(), id)) << filter << ": " << id;
  }
  // A redacted path is never narrowed on: every document stays a candidate (and the engine,
  // which never sees the field, matches none).
  EXPECT_EQ(match(R"({"members.email": "a@example.com"})")->documents.cardinality(), docs_.size());
  EXPECT_EQ(match(R"({"priority": "LOW", "title": "x"})")->documents.cardinality(), engine(R"({"priority": "LOW"})").size());
}

TEST_F(IndexFilterTest, SetsForFrequentValuesOnlyRebuiltOnEveryWrite) {
  auto postings = [&] {
    Connection conn(path_, std::chrono::seconds(5));
    PostingLists sets(conn, "c", budget_);
    std::vector<std::string> out;
    for (auto& [value, n] : sets.posting_sizes("priority")) out.push_back(dump(value) + ":" + std::to_string(n));
    return out;
  };
  // Expected from the documents: a set for each value 10 or more of them hold.
  auto expected = [&] {
    std::map<std::string, std::size_t> counts;
    for (auto& d : docs_)
      if (auto* p = d.as_object().if_contains("priority")) ++counts[dump(*p)];
    std::vector<std::string> out;
    std::int64_t rare = 0;
    for (auto& [value, n] : counts) {
      if (n >= 10) out.push_back(value + ":" + std::to_string(n));
      else ++rare;
    }
    return std::pair{out, rare};
  };
  auto [posted, rare] = expected();
  EXPECT_EQ(postings(), posted);
  EXPECT_EQ(rare, 1);  // "RARE"
  Connection conn(path_, std::chrono::seconds(5));
  PostingLists sets(conn, "c", budget_);
  EXPECT_EQ(sets.path("priority")->unposted, rare);
  EXPECT_EQ(ids(sets.path("priority")->documents), engine(R"({"priority": {"$exists": true}})"));
  EXPECT_FALSE(sets.path("title"));

  docs_.resize(50);
  store_->replace_collection("c", docs_);
  EXPECT_EQ(ids(match(R"({"priority": "LOW"})")->documents), engine(R"({"priority": "LOW"})"));
  EXPECT_EQ(postings(), expected().first);
  store_->replace_collection("c", {});
  EXPECT_FALSE(match(R"({"priority": "LOW"})"));
}

// A file of an older index format is indexed anew when opened: counts are then answered without
// reading a document (a read of 256 documents would time out here).
TEST_F(IndexFilterTest, OlderFilesAreIndexedAnewWhenOpened) {
  store_.reset();
  {
    Connection conn(path_, std::chrono::seconds(5));
    conn.exec("DELETE FROM doc_sets; DELETE FROM doc_postings; DELETE FROM doc_ranges; UPDATE meta SET value = '2' WHERE key = 'index_format'");
  }
  store_ = std::make_unique<SqliteDocumentStore>(path_, "ProjectManagement");
  store_->set_max_time(std::chrono::milliseconds(0));
  EXPECT_EQ(store_->count("c", json::parse(R"({"priority": {"$ne": "LOW"}})")),
            static_cast<std::int64_t>(engine(R"({"priority": {"$ne": "LOW"}})").size()));
  EXPECT_EQ(store_->meta("index_format"), ValueIndex::kFormat);
}

// Ranges over many documents come from runs of values (doc_ranges) and the index rows at their
// two ends: the same documents as the engine finds, for bounds inside runs, on their starts, and
// outside every value; a path holding strings and numbers has no runs and reads its rows.
TEST(IndexRanges, RunsOfValuesAndTheRowsAtTheEnds) {
  auto path = (std::filesystem::temp_directory_path() / ("pms-index-ranges-" + std::to_string(::getpid()) + ".db")).string();
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  std::vector<json::value> docs;
  {
    SqliteDocumentStore store(path, "ProjectManagement");
    store.set_indexed_paths({"n", "day", "both", "scores"});
    for (int i = 0; i < 12000; ++i) {
      json::object d{{"_id", i}, {"both", i % 2 ? json::value(i) : json::value(std::to_string(i))}};
      if (i % 7) d["n"] = i % 3 ? json::value(i % 5000) : json::value((i % 5000) + 0.5);
      if (i % 11) d["day"] = "2025-" + std::string(i % 12 < 9 ? "0" : "") + std::to_string(i % 12 + 1) + "-1" + std::to_string(i % 10) + "T0" +
                             std::to_string(i % 10) + ":00:00.000Z";
      d["scores"] = json::array{i % 100, 100 + i % 50};
      docs.push_back(std::move(d));
    }
    store.replace_collection("c", docs);
  }
  Connection conn(path, std::chrono::seconds(5));
  auto runs = [&](std::string_view p) {
    auto st = conn.prepare("SELECT count(*) FROM doc_ranges WHERE collection = 'c' AND path = ?1");
    st.bind(1, p);
    st.step();
    return st.int64(0);
  };
  EXPECT_GT(runs("n"), 1);
  EXPECT_GT(runs("day"), 1);
  EXPECT_EQ(runs("both"), 0);
  QueryBudget budget;
  PostingLists sets(conn, "c", budget);
  ValueIndex index({"n", "day", "both", "scores"});
  for (auto filter : {R"({"n": {"$gte": 100, "$lt": 4000}})", R"({"n": {"$gt": 100.5}})", R"({"n": {"$lte": 2500}})", R"({"n": {"$lt": -1}})",
                      R"({"n": {"$gt": 4999.5}})", R"({"n": {"$gte": 0}})", R"({"n": {"$gt": "a"}})",
                      R"({"day": {"$gte": "2025-03-15", "$lt": "2025-10-01"}})", R"({"day": {"$gt": "2025-06"}})", R"({"day": {"$lte": "2025-02-13T03"}})",
                      R"({"both": {"$gte": 5000}})", R"({"both": {"$lt": "3"}})", R"({"scores": {"$gt": 140, "$lt": 20}})"}) {
    auto f = Filter::compile(json::parse(filter));
    std::vector<std::int64_t> expected;
    for (auto& d : docs)
      if (f.matches(d)) expected.push_back(d.at("_id").to_number<std::int64_t>());
    auto m = match_from_index(sets, index, json::parse(filter), {});
    ASSERT_TRUE(m) << filter;
    EXPECT_TRUE(m->exact) << filter;
    std::vector<std::int64_t> found;
    for (auto seq : m->documents) found.push_back(static_cast<std::int64_t>(seq) - 1);
    EXPECT_EQ(found, expected) << filter;
  }
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

}  // namespace
