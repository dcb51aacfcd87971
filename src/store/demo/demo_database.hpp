#pragma once
#include "store/demo/demo_generator.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

namespace pms::store::demo {

// Replaces the demo collections of `store` with freshly generated ones in one transaction and
// records the options in its meta table. Returns the number of documents written.
std::int64_t write_demo_database(sqlite::SqliteDocumentStore& store, const DemoOptions& options);

}  // namespace pms::store::demo
