#pragma once
// The demo database in a temporary file, shared by a test suite, with its value catalog and the
// MCP toolbox over the whole store or one business's view of it.
#include "core/time_util.hpp"
#include "mcp/toolbox.hpp"
#include "store/demo/demo_database.hpp"
#include "store/scoped_store.hpp"
#include "understanding/value_catalog.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace pms::mcp::test {

inline constexpr std::string_view kAcme = "bdd73226-2feb-4e95-a8ef-e333b266f103";  // the demo's first business

class McpDemo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    path_ = std::filesystem::temp_directory_path() / ("pms-mcp-test-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path_);
    store_ = std::make_unique<store::sqlite::SqliteDocumentStore>(path_.string(), "ProjectManagement");
    store::demo::DemoOptions o;
    o.reference_date = "2025-11-20";
    store::demo::write_demo_database(*store_, o);
    catalog_ = std::make_shared<const understanding::ValueCatalog>(understanding::build_value_catalog(*store_));
  }
  static void TearDownTestSuite() {
    store_.reset();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  ToolboxServices services(store::DocumentStore& store, std::shared_ptr<const understanding::ValueCatalog> catalog) {
    return ToolboxServices{registry_, store, [catalog] { return catalog; },
                           [] { return *parse_iso8601_ms("2025-11-20T12:00:00Z"); }};
  }
  Toolbox whole() { return Toolbox(services(*store_, catalog_)); }

  static inline std::filesystem::path path_;
  static inline std::unique_ptr<store::sqlite::SqliteDocumentStore> store_;
  static inline std::shared_ptr<const understanding::ValueCatalog> catalog_;
  tools::ToolRegistry registry_ = tools::ToolRegistry::standard();
};

}  // namespace pms::mcp::test
