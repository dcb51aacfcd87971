#include "store/demo/demo_database.hpp"

namespace pms::store::demo {

std::int64_t write_demo_database(sqlite::SqliteDocumentStore& store, const DemoOptions& options) {
  std::int64_t n = 0;
  sqlite::SqliteDocumentStore::BulkWriter writer(store, demo_collections());
  generate(options, [&](std::string_view collection, json::value&& doc) {
    writer.insert(collection, doc);
    ++n;
  });
  writer.commit();
  store.set_meta("demo.seed", std::to_string(options.seed));
  store.set_meta("demo.work_items", std::to_string(options.work_items));
  return n;
}

}  // namespace pms::store::demo
