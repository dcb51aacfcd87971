#include "understanding/value_catalog.hpp"

#include "store/sqlite/sqlite_document_store.hpp"
#include "store/scoped_store.hpp"
#include "understanding/text_match.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace pms;
using namespace pms::understanding;

namespace {

class ValueCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("pms-catalog-" + std::to_string(::getpid()) + ".db");
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
    store_ = std::make_unique<store::sqlite::SqliteDocumentStore>(path_.string(), "ProjectManagement");
    std::vector<json::value> docs;
    const char* states[] = {"Done", "Todo", "Done"};
    for (int i = 0; i < 30; ++i) {
      json::array assignees;
      if (i % 2) assignees.push_back(json::object{{"_id", "p1"}, {"name", "Ann Lee"}, {"email", "ann@x.example"}});
      if (i % 3 == 0) assignees.push_back(json::object{{"_id", "p2"}, {"name", "Bo Kim"}, {"email", "bo@x.example"}});
      docs.push_back(json::object{{"_id", "w" + std::to_string(i)},
                                  {"title", "Task number " + std::to_string(i)},
                                  {"description", "<p>long text</p>"},
                                  {"state", json::object{{"_id", "s"}, {"name", states[i % 3]}}},
                                  {"assignee", assignees},
                                  {"business", json::object{{"_id", i < 20 ? "b1" : "b2"}}},
                                  {"createdTimeStamp", "2026-0" + std::to_string(1 + i % 9) + "-15T10:00:00.000Z"}});
    }
    store_->replace_collection("workItem", docs);
    store_->replace_collection("cycle", {json::object{{"_id", "c1"}, {"status", "ACTIVE"}}});
    store_->set_redacted_fields({"email"});
  }
  void TearDown() override {
    store_.reset();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  std::filesystem::path path_;
  std::unique_ptr<store::sqlite::SqliteDocumentStore> store_;
};

std::vector<std::pair<std::string, std::int64_t>> values(const CategoryField* f) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  if (f)
    for (auto& v : f->values) out.emplace_back(v.value, v.documents);
  return out;
}

}  // namespace

TEST_F(ValueCatalogTest, CategoriesWithCountsDatesWithRanges) {
  CatalogLimits limits;
  limits.max_values = 10;
  auto catalog = build_value_catalog(*store_, limits);
  auto* wi = catalog.collection("workItem");
  ASSERT_TRUE(wi);
  EXPECT_EQ(wi->documents, 30);
  using V = std::vector<std::pair<std::string, std::int64_t>>;
  EXPECT_EQ(values(wi->category("state.name")), (V{{"Done", 20}, {"Todo", 10}}));
  EXPECT_EQ(values(wi->category("assignee.name")), (V{{"Ann Lee", 15}, {"Bo Kim", 10}}));
  EXPECT_EQ(wi->category("assignee.name")->values[0].normalized, "ann lee");
  EXPECT_FALSE(wi->category("title")) << "30 distinct values: free text with at most 10";
  EXPECT_FALSE(wi->category("description"));
  EXPECT_FALSE(wi->category("assignee.email")) << "redacted fields stay out";
  EXPECT_FALSE(wi->category("state._id")) << "ids are not categories";
  auto* created = wi->date("createdTimeStamp");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->min, "2026-01-15T10:00:00.000Z");
  EXPECT_EQ(created->max, "2026-09-15T10:00:00.000Z");
  EXPECT_GT(catalog.memory_bytes(), 0u);
}

TEST_F(ValueCatalogTest, ATenantsCatalogHoldsOnlyItsValues) {
  store::ScopedStore scoped(*store_, store::tenant_scope("business._id", "b2"));
  auto catalog = build_value_catalog(scoped);
  auto* wi = catalog.collection("workItem");
  ASSERT_TRUE(wi);
  EXPECT_EQ(wi->documents, 10);
  std::int64_t total = 0;
  for (auto& v : wi->category("state.name")->values) total += v.documents;
  EXPECT_EQ(total, 10);
}

TEST_F(ValueCatalogTest, AFirstBuildShowsWhatItHasReadSoFar) {
  std::vector<ValueCatalog> partial;
  auto full = build_value_catalog(*store_, {}, nullptr, [&](const ValueCatalog& so_far) { partial.push_back(so_far); });
  ASSERT_EQ(partial.size(), 1u) << "one update before the last collection";
  ASSERT_EQ(partial[0].collections.size(), 1u);
  EXPECT_EQ(partial[0].collections[0].name, "workItem") << "work items are read first";
  EXPECT_EQ(partial[0].incomplete, "still being read from the database: 1 of 2 collections so far");
  EXPECT_EQ(full.collections.size(), 2u);
  EXPECT_TRUE(full.incomplete.empty());
}

namespace {

// Multi-word and accented names, short ids, a value that is a word of another.
ValueCatalog hand_catalog() {
  ValueCatalog c;
  CollectionCatalog wi{"workItem", 3, {CategoryField::of("state.name", {"In Progress", "Done", "Won't Do"}),
                                        CategoryField::of("label.name", {"Mobile", "Müller Follow-up Sprint 12 Review"})},
                       {}, {}, {}, {}};
  CollectionCatalog projects{"project", 2, {}, {}, {}, {}, {}};
  projects.entities.push_back({"p1", {"Fleet Tracker", normalize_text("Fleet Tracker"), 1}, {"FLEET", "fleet", 1}, {"p1"}});
  projects.entities.push_back({"p2", {"Portal del Paciente", normalize_text("Portal del Paciente"), 1}, {"", "", 1}, {"p2"}});
  c.collections = {wi, projects};
  return c;
}

// The linear definitions CatalogWords stands for.
bool in_some_value(const ValueCatalog& c, std::string_view w) {
  for (auto& col : c.collections) {
    for (auto& f : col.categories)
      for (auto& v : f.values)
        if (has_word(v.normalized, w)) return true;
    for (auto& e : col.entities)
      if (has_word(e.name.normalized, w) || has_word(e.short_id.normalized, w)) return true;
  }
  return false;
}

}  // namespace

TEST(CatalogWords, AgreeWithTheValuesWordByWord) {
  auto catalog = hand_catalog();
  auto& words = catalog.words();
  for (auto w : {"in", "progress", "won", "t", "do", "done", "mobile", "muller", "follow", "up", "sprint", "12", "review", "fleet",
                 "tracker", "portal", "del", "paciente", "progres", "mueller", "p1", "project", "x"})
    EXPECT_EQ(words.has(w), in_some_value(catalog, w)) << w;
  EXPECT_TRUE(words.has("muller"));
  EXPECT_FALSE(words.has("progres"));
  // Names of two or three words, of categories and things (not short ids), and their first words.
  EXPECT_EQ(words.short_names, (CatalogWords::Set{"in progress", "won t do", "fleet tracker", "portal del paciente"}));
  EXPECT_EQ(words.short_name_starts, (CatalogWords::Set{"in", "won", "fleet", "portal"}));
}

TEST(CatalogWords, AreBuiltOncePerCatalogAndNotCopied) {
  auto catalog = hand_catalog();
  EXPECT_EQ(&catalog.words(), &catalog.words());
  // A copy changed before it is read (a catalog being built) has words of its own.
  auto copy = catalog;
  copy.collections[0].categories[0] = CategoryField::of("state.name", {"Backlog"});
  EXPECT_NE(&copy.words(), &catalog.words());
  EXPECT_TRUE(copy.words().has("backlog"));
  EXPECT_FALSE(catalog.words().has("backlog"));
  ValueCatalog assigned;
  assigned = copy;
  EXPECT_TRUE(assigned.words().has("backlog"));
}
