// answer_entities on a small company of its own (not the demo's): names and numbers become
// entities by the schema's fields, shared names only where the answer says which one.
#include "agent/answer_entities.hpp"

#include "store/sqlite/sqlite_document_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

using namespace pms;

namespace {

json::value ref(const char* id, const char* name) { return json::object{{"_id", id}, {"name", name}}; }

class AnswerEntities : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("pms-answer-entities-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path_);
    store_ = std::make_unique<store::sqlite::SqliteDocumentStore>(path_.string(), "ProjectManagement");
    store_->replace_collection("project", {json::object{{"_id", "p1"}, {"projectDisplayId", "PRO"}, {"name", "Harbour Ops"}},
                                           json::object{{"_id", "p2"}, {"projectDisplayId", "RIV"}, {"name", "River Freight"}}});
    store_->replace_collection("cycle", {json::object{{"_id", "c1"}, {"title", "Sprint 1"}, {"project", ref("p1", "Harbour Ops")}},
                                         json::object{{"_id", "c2"}, {"title", "Sprint 1"}, {"project", ref("p2", "River Freight")}}});
    store_->replace_collection("members", {json::object{{"_id", "row1"}, {"memberId", "u1"}, {"name", "Ana Lima"}, {"project", ref("p1", "Harbour Ops")}},
                                           json::object{{"_id", "row2"}, {"memberId", "u1"}, {"name", "Ana Lima"}, {"project", ref("p2", "River Freight")}}});
    store_->replace_collection("workItem", {json::object{{"_id", "w1"}, {"displayBugNo", "PRO-1-5"}, {"title", "Fix cranes"}, {"project", ref("p1", "Harbour Ops")}},
                                            json::object{{"_id", "w2"}, {"displayBugNo", "RIV-7"}, {"title", "Barges"}, {"project", ref("p2", "River Freight")}}});
    catalog_ = understanding::build_value_catalog(*store_);
  }
  void TearDown() override {
    store_.reset();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  json::array entities(std::string_view answer, const std::string& url = "") {
    return agent::answer_entities(answer, *store_, catalog_, url);
  }
  // The entities for `text`, as "kind:id" or "kind:id@with".
  static std::vector<std::string> of(const json::array& es, std::string_view text) {
    std::vector<std::string> out;
    for (auto& e : es) {
      auto& o = e.as_object();
      if (o.at("text") != text.data()) continue;
      std::string s = std::string(o.at("kind").as_string()) + ":" + std::string(o.at("id").as_string());
      if (auto* w = o.if_contains("with")) s += "@" + std::string(w->as_string());
      out.push_back(s);
    }
    return out;
  }

  std::filesystem::path path_;
  std::unique_ptr<store::sqlite::SqliteDocumentStore> store_;
  understanding::ValueCatalog catalog_;
};

}  // namespace

TEST_F(AnswerEntities, NumbersNamesAndShortIdsTheAnswerHolds) {
  auto es = entities("**PRO-1-5** is in Harbour Ops (PRO), assigned to Ana Lima. RIV-99 and PRO-1 do not exist.");
  EXPECT_EQ(of(es, "PRO-1-5"), std::vector<std::string>{"workItem:w1"});
  EXPECT_EQ(of(es, "Harbour Ops"), std::vector<std::string>{"project:p1"});
  EXPECT_EQ(of(es, "PRO"), std::vector<std::string>{"project:p1"});
  EXPECT_EQ(of(es, "Ana Lima"), std::vector<std::string>{"members:u1"});  // the person, once, by memberId
  EXPECT_TRUE(of(es, "RIV-99").empty());
  EXPECT_TRUE(of(es, "PRO-1").empty());
  EXPECT_EQ(es.size(), 4u);
}

TEST_F(AnswerEntities, ASharedNameOnlyWhereTheAnswerSaysWhichOne) {
  // Two projects in the answer, no row naming one: "Sprint 1" stays unlinked.
  EXPECT_TRUE(of(entities("Sprint 1 of Harbour Ops and of River Freight"), "Sprint 1").empty());
  // One project in the answer (here through its item's number): that project's sprint.
  EXPECT_EQ(of(entities("| Number | PRO-1-5 |\n| Cycle | Sprint 1 |"), "Sprint 1"), std::vector<std::string>{"cycle:c1"});
  // Table rows that name the project: each row's own sprint, with the cell that says which.
  auto es = entities("| Title | Project |\n| --- | --- |\n| Sprint 1 | River Freight |\n| Sprint 1 | Harbour Ops |\n");
  EXPECT_EQ(of(es, "Sprint 1"), (std::vector<std::string>{"cycle:c2@River Freight", "cycle:c1@Harbour Ops"}));
}

TEST_F(AnswerEntities, WordsAreWhole) {
  // "PRO" inside "PRO-1-5" or "PROS", "Harbour Ops" inside "Harbour Opsx": not mentions.
  auto es = entities("PROS and Harbour Opsx; PRO-1-5.");
  EXPECT_TRUE(of(es, "PRO").empty());
  EXPECT_TRUE(of(es, "Harbour Ops").empty());
  EXPECT_EQ(of(es, "PRO-1-5"), std::vector<std::string>{"workItem:w1"});
}

TEST_F(AnswerEntities, ItemUrlsFromTheTemplate) {
  auto es = entities("PRO-1-5 and RIV-7", "https://pms.example.com/{projectDisplayId}/{displayBugNo}");
  ASSERT_EQ(es.size(), 2u);
  for (auto& e : es) {
    auto& o = e.as_object();
    std::string want = o.at("text") == "PRO-1-5" ? "https://pms.example.com/PRO/PRO-1-5" : "https://pms.example.com/RIV/RIV-7";
    EXPECT_EQ(o.at("url"), want.c_str());
  }
  EXPECT_FALSE(entities("PRO-1-5")[0].as_object().contains("url"));  // no template: no url, the client's panel opens it
}

TEST_F(AnswerEntities, FeatureTitlesAreNotReadIntoItemTitles) {
  // Features are titled as work items are: an item's title that is also a feature's is not a link.
  store_->replace_collection("features", {json::object{{"_id", "f1"}, {"title", "Fix cranes"}, {"project", ref("p1", "Harbour Ops")}}});
  catalog_ = understanding::build_value_catalog(*store_);
  EXPECT_TRUE(of(entities("| PRO-1-5 | Fix cranes |"), "Fix cranes").empty());
}
