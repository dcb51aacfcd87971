#pragma once
// The demo database in a temporary SQLite file, generated once for a test suite and removed
// after it: `inline static std::unique_ptr<DemoStore> demo_;` set in SetUpTestSuite.
#include "store/demo/demo_database.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

namespace pms::testing {

class DemoStore {
 public:
  // `name` tells the file apart ("pms-tools-test"); dates are laid out around `reference_date`.
  DemoStore(const std::string& name, const std::string& reference_date)
      : path_(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".db")) {
    remove_files();
    store_ = std::make_unique<store::sqlite::SqliteDocumentStore>(path_.string(), "ProjectManagement");
    store::demo::DemoOptions o;
    o.reference_date = reference_date;
    store::demo::write_demo_database(*store_, o);
  }
  ~DemoStore() {
    store_.reset();
    remove_files();
  }
  DemoStore(const DemoStore&) = delete;
  DemoStore& operator=(const DemoStore&) = delete;

  store::sqlite::SqliteDocumentStore& store() { return *store_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  void remove_files() {
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  std::filesystem::path path_;
  std::unique_ptr<store::sqlite::SqliteDocumentStore> store_;
};

}  // namespace pms::testing
