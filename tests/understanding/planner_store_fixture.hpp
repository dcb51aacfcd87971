#pragma once
// A question planner over a small SQLite database a test fills: the store, one tenant's view of
// it, its value catalog, and questions asked and answered through the read-only tools as the
// server does.
#include "core/time_util.hpp"
#include "store/sqlite/sqlite_document_store.hpp"
#include "store/scoped_store.hpp"
#include "tools/tool_registry.hpp"
#include "understanding/plan_run.hpp"
#include "understanding/question_planner.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

namespace pms::understanding::test_support {

class PlannerOnStore : public ::testing::Test {
 protected:
  static constexpr const char* kTenant = "b1";
  static json::object ref(std::string id, std::string name) { return json::object{{"_id", std::move(id)}, {"name", std::move(name)}}; }
  static json::object tenant(const char* b = kTenant) { return json::object{{"_id", b}}; }

  // Fills the database (replace_collection on store_), then builds the tenant's catalog.
  virtual void fill() = 0;

  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("pms-planner-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" + std::to_string(::getpid()) + ".db");
    remove_files();
    store_ = std::make_unique<store::sqlite::SqliteDocumentStore>(path_.string(), "ProjectManagement");
    fill();
    scoped_ = std::make_unique<store::ScopedStore>(*store_, store::tenant_scope("business._id", kTenant));
    catalog_ = build_value_catalog(*scoped_);
  }
  void TearDown() override {
    scoped_.reset();
    store_.reset();
    remove_files();
  }

  Understanding ask(std::string_view q) { return understand_question(q, catalog_, now_); }
  json::value filter(std::string_view q) {
    auto u = ask(q);
    if (!u.plan) {
      ADD_FAILURE() << q << ": no plan: " << explain_refusal(u);
      return nullptr;
    }
    return u.plan->filter();
  }
  std::int64_t count(std::string_view q) {
    auto u = ask(q);
    if (!u.plan) {
      ADD_FAILURE() << q << ": no plan: " << explain_refusal(u);
      return -1;
    }
    return scoped_->count(u.plan->collection, u.plan->filter());
  }
  // The answer as the planner gives it: the plan run through the tools, or the refusal.
  std::string answer(std::string_view q) {
    auto u = ask(q);
    if (!u.plan) return explain_refusal(u);
    auto tools = tools::ToolRegistry::standard();
    PlanRun run(*u.plan);
    while (auto call = run.next()) run.feed(tools.run(call->name, call->arguments, *scoped_, nullptr));
    return run.answer();
  }

  std::int64_t now_ = *parse_iso8601_ms("2026-11-20T12:00:00Z");
  std::unique_ptr<store::sqlite::SqliteDocumentStore> store_;
  std::unique_ptr<store::ScopedStore> scoped_;
  ValueCatalog catalog_;

 private:
  void remove_files() {
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  std::filesystem::path path_;
};

}  // namespace pms::understanding::test_support
