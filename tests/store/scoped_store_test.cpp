// A tenant's view of the store against queries written to escape it: filters on the tenant field,
// $or tricks, joins into another tenant's documents, distinct across tenants.
#include "store/query/query_error.hpp"
#include "store/sqlite/sqlite_document_store.hpp"
#include "store/scoped_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace pms;
using namespace pms::store;

namespace {

class ScopedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("pms-tenant-test-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    inner_ = std::make_unique<sqlite::SqliteDocumentStore>(path_.string(), "ProjectManagement");
    auto docs = [](const char* text) {
      auto a = json::parse(text).as_array();
      return std::vector<json::value>(a.begin(), a.end());
    };
    inner_->replace_collection("project", docs(R"([
      {"_id": "pa", "name": "Alpha Portal", "business": {"_id": "A", "name": "Acme"}},
      {"_id": "pb", "name": "Beta Secret", "business": {"_id": "B", "name": "Bolt"}}])"));
    // a2 points at B's project (a dangling or forged reference): the join must not follow it.
    inner_->replace_collection("workItem", docs(R"([
      {"_id": "a1", "title": "A one", "project": {"_id": "pa"}, "business": {"_id": "A"}},
      {"_id": "a2", "title": "A two", "project": {"_id": "pb"}, "business": {"_id": "A"}},
      {"_id": "b1", "title": "B secret task", "project": {"_id": "pb"}, "business": {"_id": "B"}},
      {"_id": "n1", "title": "no tenant", "project": {"_id": "pa"}}])"));
    scoped_ = std::make_unique<ScopedStore>(*inner_, tenant_scope("business._id", "A"));
  }
  void TearDown() override {
    scoped_.reset();
    inner_.reset();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  static std::string text(const std::vector<json::value>& docs) { return dump(json::array(docs.begin(), docs.end())); }
  std::vector<json::value> agg(const char* pipeline) { return scoped_->aggregate("workItem", json::parse(pipeline)); }

  std::filesystem::path path_;
  std::unique_ptr<sqlite::SqliteDocumentStore> inner_;
  std::unique_ptr<ScopedStore> scoped_;
};

TEST_F(ScopedStoreTest, FiltersNamingAnotherTenantFindNothing) {
  EXPECT_EQ(scoped_->count("workItem", json::object{}), 2);
  EXPECT_EQ(scoped_->count("workItem", json::parse(R"({"business._id": "B"})")), 0);
  EXPECT_EQ(scoped_->count("workItem", json::parse(R"({"business._id": {"$ne": "A"}})")), 0);
  EXPECT_EQ(scoped_->count("workItem", json::parse(R"({"$or": [{"business._id": "B"}, {"_id": {"$exists": true}}]})")), 2);
  EXPECT_EQ(scoped_->count("workItem", json::parse(R"({"$nor": [{"business._id": "A"}]})")), 0);
  auto all = text(scoped_->find({"workItem", json::parse(R"({"$or": [{"title": {"$regex": "secret"}}, {}]})"), nullptr, nullptr, 0, 0}));
  EXPECT_EQ(all.find("secret"), std::string::npos) << all;
  EXPECT_EQ(all.find("no tenant"), std::string::npos) << all;  // documents without a tenant belong to nobody
}

TEST_F(ScopedStoreTest, DistinctAndGroupSeeOneTenant) {
  EXPECT_EQ(text(scoped_->distinct("workItem", "business._id", nullptr)), R"(["A"])");
  EXPECT_EQ(text(scoped_->distinct("project", "name", json::parse(R"({"business._id": "B"})"))), "[]");
  EXPECT_EQ(text(agg(R"([{"$group": {"_id": "$business._id", "n": {"$sum": 1}}}])")), R"([{"_id":"A","n":2}])");
}

TEST_F(ScopedStoreTest, JoinsCannotReachAnotherTenant) {
  auto joined = text(agg(R"([{"$lookup": {"from": "project", "localField": "project._id", "foreignField": "_id", "as": "p"}}])"));
  EXPECT_NE(joined.find("Alpha Portal"), std::string::npos) << joined;
  EXPECT_EQ(joined.find("Beta"), std::string::npos) << joined;
  // The model's own sub-pipeline cannot undo the scope, nor can a facet or a nested join.
  for (const char* p : {
           R"([{"$lookup": {"from": "project", "localField": "project._id", "foreignField": "_id", "as": "p",
                            "pipeline": [{"$match": {"$or": [{"business._id": "B"}, {}]}}]}}])",
           R"([{"$facet": {"x": [{"$lookup": {"from": "project", "localField": "project._id", "foreignField": "_id", "as": "p"}}]}}])",
           R"([{"$lookup": {"from": "project", "localField": "project._id", "foreignField": "_id", "as": "p",
                            "pipeline": [{"$lookup": {"from": "workItem", "localField": "_id", "foreignField": "project._id", "as": "items"}}]}}])",
           R"([{"$lookup": {"from": "workItem", "localField": "project._id", "foreignField": "project._id", "as": "same"}}])"}) {
    auto out = text(agg(p));
    EXPECT_EQ(out.find("Beta"), std::string::npos) << p << "\n" << out;
    EXPECT_EQ(out.find("B secret"), std::string::npos) << p << "\n" << out;
  }
  EXPECT_THROW(agg(R"([{"$unionWith": "project"}])"), QueryError);
}

TEST_F(ScopedStoreTest, CountsAndSamplesAreTheTenantsOwn) {
  for (auto& c : scoped_->list_collections()) EXPECT_EQ(c.count, c.name == "project" ? 1 : 2) << c.name;
  auto sample = text(scoped_->sample("project", 10));
  EXPECT_NE(sample.find("Alpha"), std::string::npos);
  EXPECT_EQ(sample.find("Beta"), std::string::npos);
}

// One project of one tenant: the project by its _id, everything else by the project it references,
// joins included; a collection that references no project shows nothing.
TEST_F(ScopedStoreTest, AProjectViewOverATenantViewSeesOneProject) {
  inner_->replace_collection("stateMaster", {json::parse(R"({"_id": "s1", "name": "Open", "business": {"_id": "A"}})")});
  ScopedStore project(*scoped_, project_scope("pa"));
  EXPECT_EQ(project.count("workItem", json::object{}), 1);
  EXPECT_EQ(project.count("project", json::object{}), 1);
  EXPECT_EQ(project.count("project", json::parse(R"({"_id": "pb"})")), 0);
  EXPECT_EQ(project.count("stateMaster", json::object{}), 0);
  EXPECT_EQ(text(project.distinct("workItem", "_id", nullptr)), R"(["a1"])");
  auto joined = text(project.aggregate("project", json::parse(
      R"([{"$lookup": {"from": "workItem", "localField": "_id", "foreignField": "project._id", "as": "items",
                       "pipeline": [{"$match": {"$or": [{"project._id": "pb"}, {}]}}]}}])")));
  EXPECT_NE(joined.find("A one"), std::string::npos) << joined;
  EXPECT_EQ(joined.find("A two"), std::string::npos) << joined;
  EXPECT_EQ(joined.find("no tenant"), std::string::npos) << joined;
  for (auto& c : project.list_collections()) EXPECT_EQ(c.count, c.name == "stateMaster" ? 0 : 1) << c.name;
  EXPECT_THROW(project.aggregate("workItem", json::parse(R"([{"$lookup": {"as": "x", "pipeline": []}}])")), QueryError);
}

TEST_F(ScopedStoreTest, MalformedQueriesAreStillRefused) {
  EXPECT_THROW(scoped_->count("workItem", json::parse("[1]")), QueryError);
  EXPECT_THROW(agg(R"({"$match": {}})"), QueryError);
  EXPECT_THROW(agg(R"([{"$facet": {"x": 5}}])"), QueryError);
}

}  // namespace
