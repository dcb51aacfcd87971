// The query language: any JSON as a filter, projection, sort or pipeline is either refused with a
// QueryError or evaluated against a few documents of every type, never a crash or another
// exception. A compiled filter must agree with itself and with $match, a pipeline fed documents one
// at a time with one run on all of them, and the embedded store's value index with the engine:
// counts it answers from its sets, and sorts it reads along it.
#include "fuzz_support.hpp"
#include "store/query/filter.hpp"
#include "store/query/pipeline.hpp"
#include "store/query/projection.hpp"
#include "store/query/query_error.hpp"
#include "store/query/sort_spec.hpp"
#include "store/query/value_compare.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

namespace {
using pms::json::value;

const std::vector<value>& documents() {
  static const std::vector<value> docs = [] {
    std::vector<value> d;
    for (auto text : {
             R"({"_id":"a","title":"Login fails","state":{"name":"Open","group":"unstarted"},"priority":"HIGH",
                 "labels":["bug","ui"],"estimate":3,"assignees":[{"name":"Ann","id":1},{"name":"Bo","id":2}],
                 "createdTimeStamp":"2025-11-02T10:00:00.000Z","nested":[[1,2],[3]]})",
             R"({"_id":"b","title":"Docs","state":{"name":"Done"},"priority":null,"labels":[],"estimate":2.5,
                 "assignees":[],"createdTimeStamp":"2025-10-01T00:00:00.000Z","flag":true})",
             R"({"_id":"c","title":"","estimate":-1,"labels":"single","state":"weird","x":{"y":{"z":[null,{"w":1}]}}})",
             R"({"_id":4,"estimate":1e300,"priority":"LOW","labels":[null,"bug",["bug"]],"createdTimeStamp":{"$date":"x"}})"}) {
      d.push_back(pms::json::parse(text));
    }
    return d;
  }();
  return docs;
}

std::vector<value> reader(std::string_view) { return documents(); }

// The documents in the embedded store: without an index (every query reads them all), and with
// every field they use indexed, once with a set for each value, once with every value too rare for
// one (read from the index rows).
std::vector<pms::store::sqlite::SqliteDocumentStore*> sqlite_stores() {
  static std::vector<std::unique_ptr<pms::store::sqlite::SqliteDocumentStore>> stores;
  static std::vector<std::string> files;
  if (stores.empty()) {
    for (std::int64_t min_posting : {0, 1, 64}) {
      auto path = (std::filesystem::temp_directory_path() /
                   ("pms-fuzz-index-" + std::to_string(::getpid()) + "-" + std::to_string(min_posting) + ".db"))
                      .string();
      for (auto suffix : {"", "-wal", "-shm"}) files.push_back(path + suffix);
      std::filesystem::remove(path);
      auto store = std::make_unique<pms::store::sqlite::SqliteDocumentStore>(path, "ProjectManagement");
      if (min_posting == 0) {
        store->set_indexed_paths({});
      } else {
        store->set_indexed_paths({"_id", "title", "state.name", "state", "priority", "labels", "estimate", "assignees.name",
                                  "assignees.id", "createdTimeStamp", "x.y.z.w", "flag"});
        store->set_min_posting_documents(min_posting);
      }
      store->replace_collection("c", documents());
      stores.push_back(std::move(store));
    }
    std::atexit([] {
      stores.clear();
      for (auto& f : files) std::filesystem::remove(f);
    });
  }
  std::vector<pms::store::sqlite::SqliteDocumentStore*> out;
  for (auto& s : stores) out.push_back(s.get());
  return out;
}

// The indexed stores' counts, sorted and limited finds, and distinct values equal the engine's
// reading every document.
void check_index(const value& spec, const std::vector<value>& matched) {
  auto stores = sqlite_stores();
  for (auto* store : stores) {
    PMS_FUZZ_CHECK(store->count("c", spec) == static_cast<std::int64_t>(matched.size()));
    for (auto sort : {R"({"priority": 1})", R"({"estimate": -1})", R"({"createdTimeStamp": 1})", R"({"state.name": -1})",
                      R"({"title": 1})"}) {
      auto order = pms::store::SortSpec::compile(pms::json::parse(sort));
      auto expected = matched;
      order.sort(expected);
      if (expected.size() > 2) expected.resize(2);
      auto found = store->find({"c", spec, nullptr, pms::json::parse(sort), 0, 2});
      PMS_FUZZ_CHECK(found.size() == expected.size());
      for (std::size_t i = 0; i < found.size(); ++i) PMS_FUZZ_CHECK(pms::store::values_equal(found[i], expected[i]));
    }
    for (auto field : {"priority", "labels", "estimate", "title", "assignees.name", "state.name"}) {
      auto read = stores.front()->distinct("c", field, spec);
      auto indexed = store->distinct("c", field, spec);
      PMS_FUZZ_CHECK(read.size() == indexed.size());
      for (std::size_t i = 0; i < read.size(); ++i) PMS_FUZZ_CHECK(pms::store::values_equal(read[i], indexed[i]));
    }
  }
}

void run_filter(const value& spec) {
  auto filter = pms::store::Filter::compile(spec);
  auto again = pms::store::Filter::compile(spec);
  std::vector<value> matched;
  for (auto& d : documents()) {
    bool m = filter.matches(d);
    PMS_FUZZ_CHECK(m == again.matches(d));
    if (m) matched.push_back(d);
  }
  // A $match that is not the leading stage (so not applied while reading) keeps exactly the
  // documents the filter matches, in order.
  auto pipeline = pms::store::Pipeline::compile(
      pms::json::array{pms::json::object{{"$skip", 0}}, pms::json::object{{"$match", spec}}});
  PMS_FUZZ_CHECK(pipeline.leading_filter() == nullptr);
  auto kept = pipeline.run(documents(), reader);
  PMS_FUZZ_CHECK(kept.size() == matched.size());
  for (std::size_t i = 0; i < kept.size(); ++i) PMS_FUZZ_CHECK(pms::store::values_equal(kept[i], matched[i]));
  check_index(spec, matched);
}

void run_pipeline(const value& spec) {
  auto pipeline = pms::store::Pipeline::compile(spec);
  std::vector<value> docs;
  for (auto& d : documents()) {
    if (!pipeline.leading_filter() || pipeline.leading_filter()->matches(d)) docs.push_back(d);
  }
  auto all = pipeline.run(docs, reader);
  // Fed one document at a time as a store reads (into a $group as they come), it gives the same.
  pms::store::QueryBudget budget;
  auto fed = pipeline.run([&](const std::function<bool(value&&)>& take) {
    for (auto& d : docs) if (!take(value(d))) return;
  }, reader, budget);
  PMS_FUZZ_CHECK(fed.size() == all.size());
  for (std::size_t i = 0; i < fed.size(); ++i) PMS_FUZZ_CHECK(pms::store::values_equal(fed[i], all[i]));
}

void run_projection_and_sort(const value& spec) {
  auto* o = spec.if_object();
  auto projection = pms::store::Projection::compile(o && o->contains("p") ? o->at("p") : spec);
  auto sort = pms::store::SortSpec::compile(o && o->contains("s") ? o->at("s") : value());
  auto docs = documents();
  sort.sort(docs, 2);
  for (auto& d : docs) projection.apply(d);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto in = pms::fuzz::split_input(data, size);
  auto spec = pms::try_parse(in.payload);
  if (!spec) return 0;
  try {
    switch (in.selector % 4) {
      case 0: run_filter(*spec); break;
      case 1: run_pipeline(*spec); break;
      case 2: run_projection_and_sort(*spec); break;
      case 3: pms::store::normalize_literal(*spec); break;
    }
  } catch (const pms::store::QueryError&) {
    // A refusal with a message is the expected answer to a bad query.
  }
  return 0;
}
