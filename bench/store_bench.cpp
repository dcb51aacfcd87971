// The embedded store on the generated PMS database at several sizes (Google Benchmark). The data
// is generated once per size into build/bench-data/ (untimed); each benchmark times one query.
//   build/bin/pms-store-bench                                  # 10k and 100k work items
//   PMS_BENCH_SIZES=10000,100000,1000000 build/bin/pms-store-bench
#include "store/demo/demo_database.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <benchmark/benchmark.h>

#include <chrono>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>

using namespace pms;

namespace {

store::sqlite::SqliteDocumentStore& database(std::int64_t work_items) {
  static std::map<std::int64_t, std::unique_ptr<store::sqlite::SqliteDocumentStore>> open;
  auto& db = open[work_items];
  if (!db) {
    std::filesystem::create_directories("bench-data");
    auto path = "bench-data/pms-" + std::to_string(work_items) + ".db";
    bool fresh = !std::filesystem::exists(path);
    db = std::make_unique<store::sqlite::SqliteDocumentStore>(path, "ProjectManagement");
    db->set_max_time(std::chrono::minutes(10));  // measure slow queries instead of stopping them
    db->set_max_query_bytes(0);                  // and big ones
    db->set_indexed_paths(store::sqlite::default_indexed_paths());  // a file made by an older version re-indexes once
    if (fresh) {
      store::demo::DemoOptions options;
      options.work_items = work_items;
      options.reference_date = "2025-11-20";
      store::demo::write_demo_database(*db, options);
    }
  }
  return *db;
}

json::value parse(const char* text) { return json::parse(text); }

// Counted by the value index alone: two indexed fields.
void CountIndexed(benchmark::State& state) {
  auto& db = database(state.range(0));
  auto filter = parse(R"({"state.name": "Done", "priority": "HIGH"})");
  for (auto _ : state) benchmark::DoNotOptimize(db.count("workItem", filter));
}

// Open work items of one priority: a negation, answered as the complement of the done ones.
void CountOpen(benchmark::State& state) {
  auto& db = database(state.range(0));
  auto filter = parse(R"({"state.name": {"$nin": ["Done", "Cancelled"]}, "priority": "HIGH"})");
  for (auto _ : state) benchmark::DoNotOptimize(db.count("workItem", filter));
}

// Work items updated since a date: a range over a large share of them.
void CountUpdatedSince(benchmark::State& state) {
  auto& db = database(state.range(0));
  auto filter = parse(R"({"updatedTimeStamp": {"$gte": "2025-11-13"}})");
  for (auto _ : state) benchmark::DoNotOptimize(db.count("workItem", filter));
}

// A case-insensitive name match, as models like to write them: each distinct value tested once.
void CountRegexIndexed(benchmark::State& state) {
  auto& db = database(state.range(0));
  auto filter = parse(R"({"project.name": {"$regex": "portal", "$options": "i"}, "state.name": {"$ne": "Done"}})");
  for (auto _ : state) benchmark::DoNotOptimize(db.count("workItem", filter));
}

// A filter the index narrows and the engine finishes (a regex on a non-indexed field).
void CountNarrowedThenChecked(benchmark::State& state) {
  auto& db = database(state.range(0));
  auto filter = parse(R"({"priority": "URGENT", "description": {"$regex": "login", "$options": "i"}})");
  for (auto _ : state) benchmark::DoNotOptimize(db.count("workItem", filter));
}

// A word in the title (indexed): each distinct title tested once.
void CountTitleRegex(benchmark::State& state) {
  auto& db = database(state.range(0));
  auto filter = parse(R"({"title": {"$regex": "login", "$options": "i"}})");
  for (auto _ : state) benchmark::DoNotOptimize(db.count("workItem", filter));
}

// No index helps: every document is read and matched.
void CountFullScan(benchmark::State& state) {
  auto& db = database(state.range(0));
  auto filter = parse(R"({"description": {"$regex": "login", "$options": "i"}})");
  for (auto _ : state) benchmark::DoNotOptimize(db.count("workItem", filter));
}

// The latest ten work items of one state in one priority.
void FindSortLimit(benchmark::State& state) {
  auto& db = database(state.range(0));
  store::FindRequest req{"workItem", parse(R"({"state.name": "In Progress", "priority": "URGENT"})"), parse(R"({"title": 1})"),
                         parse(R"({"createdTimeStamp": -1})"), 0, 10};
  for (auto _ : state) benchmark::DoNotOptimize(db.find(req));
}

// The latest ten created since a date: a range on the field sorted on.
void FindRangeSortLimit(benchmark::State& state) {
  auto& db = database(state.range(0));
  store::FindRequest req{"workItem", parse(R"({"createdTimeStamp": {"$gte": "2025-11-01"}})"), parse(R"({"title": 1})"),
                         parse(R"({"createdTimeStamp": -1})"), 0, 10};
  for (auto _ : state) benchmark::DoNotOptimize(db.find(req));
}

// Work items per state over the whole collection.
void GroupByState(benchmark::State& state) {
  auto& db = database(state.range(0));
  auto pipeline = parse(R"([{"$group": {"_id": "$state.name", "n": {"$sum": 1}}}, {"$sort": {"n": -1}}])");
  for (auto _ : state) benchmark::DoNotOptimize(db.aggregate("workItem", pipeline));
}

// Work items in progress per project.
void MatchThenGroup(benchmark::State& state) {
  auto& db = database(state.range(0));
  auto pipeline = parse(R"([{"$match": {"state.name": "In Progress"}}, {"$group": {"_id": "$project.name", "n": {"$sum": 1}}}])");
  for (auto _ : state) benchmark::DoNotOptimize(db.aggregate("workItem", pipeline));
}

// The states open work items are in: distinct values, from the index.
void DistinctStates(benchmark::State& state) {
  auto& db = database(state.range(0));
  auto filter = parse(R"({"state.name": {"$ne": "Done"}, "priority": "HIGH"})");
  for (auto _ : state) benchmark::DoNotOptimize(db.distinct("workItem", "state.name", filter));
}

// Urgent, done work items joined with their project.
void MatchThenLookup(benchmark::State& state) {
  auto& db = database(state.range(0));
  auto pipeline = parse(R"([{"$match": {"state.name": "Done", "priority": "URGENT"}}, {"$limit": 20},
      {"$lookup": {"from": "project", "localField": "project._id", "foreignField": "_id", "as": "p"}},
      {"$project": {"title": 1, "p.name": 1}}])");
  for (auto _ : state) benchmark::DoNotOptimize(db.aggregate("workItem", pipeline));
}

void sizes(benchmark::internal::Benchmark* b) {
  const char* env = std::getenv("PMS_BENCH_SIZES");
  std::stringstream in(env && *env ? env : "10000,100000");
  for (std::string n; std::getline(in, n, ',');) b->Arg(std::stoll(n));
  b->Unit(benchmark::kMillisecond);
}

BENCHMARK(CountIndexed)->Apply(sizes);
BENCHMARK(CountOpen)->Apply(sizes);
BENCHMARK(CountUpdatedSince)->Apply(sizes);
BENCHMARK(CountRegexIndexed)->Apply(sizes);
BENCHMARK(CountNarrowedThenChecked)->Apply(sizes);
BENCHMARK(CountTitleRegex)->Apply(sizes);
BENCHMARK(CountFullScan)->Apply(sizes);
BENCHMARK(FindSortLimit)->Apply(sizes);
BENCHMARK(FindRangeSortLimit)->Apply(sizes);
BENCHMARK(GroupByState)->Apply(sizes);
BENCHMARK(MatchThenGroup)->Apply(sizes);
BENCHMARK(DistinctStates)->Apply(sizes);
BENCHMARK(MatchThenLookup)->Apply(sizes);

}  // namespace

BENCHMARK_MAIN();
