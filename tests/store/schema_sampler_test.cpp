#include "store/demo/demo_generator.hpp"
#include "store/schema_sampler.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace pms;
using namespace pms::store;

TEST(SchemaSampler, FindsCategoriesAsStored) {
  auto path = std::filesystem::temp_directory_path() / ("pms-schema-test-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    sqlite::SqliteDocumentStore store(path.string(), "ProjectManagement");
    sqlite::SqliteDocumentStore::BulkWriter w(store, demo::demo_collections());
    demo::DemoOptions o;
    o.reference_date = "2025-11-20";
    demo::generate(o, [&](std::string_view c, json::value&& d) { w.insert(c, d); });
    w.commit();

    auto schema = sample_schema(store, "workItem");
    EXPECT_EQ(schema.total, 300);
    auto field = [&](std::string_view p) -> const FieldSummary* {
      for (auto& f : schema.fields) if (f.path == p) return &f;
      return nullptr;
    };
    ASSERT_TRUE(field("state.name"));
    EXPECT_TRUE(field("state.name")->categorical);
    bool has_in_progress = false;
    for (auto& [v, n] : field("state.name")->values) has_in_progress |= v == "In Progress";
    EXPECT_TRUE(has_in_progress);
    ASSERT_TRUE(field("priority"));
    EXPECT_TRUE(field("priority")->categorical);
    ASSERT_TRUE(field("assignee.name"));
    ASSERT_TRUE(field("title"));
    EXPECT_FALSE(field("title")->categorical);
    ASSERT_TRUE(field("createdTimeStamp"));
    EXPECT_EQ(field("createdTimeStamp")->types, std::vector<std::string>{"date"});
    EXPECT_TRUE(to_json(schema).as_object().contains("fields"));
  }
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}
