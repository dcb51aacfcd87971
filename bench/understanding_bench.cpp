// The question planner (Google Benchmark): reading a question into a plan against the demo
// database's value catalog, reading questions it does not understand (every chat turn the model
// answers pays for that reading first), and building that catalog at several sizes. Data is
// generated once per size into build/bench-data/ (untimed).
//   build/bin/pms-understanding-bench                                   # demo (300) and 10k work items
//   PMS_BENCH_KESTREL_DB=k.db build/bin/pms-understanding-bench         # also the refused questions on
//       the Kestrel catalog (k.db: pms-data --db k.db import ../shared/eval/kestrel/export)
//   PMS_BENCH_SIZES=300,10000,100000 build/bin/pms-understanding-bench
//   SPDLOG_LEVEL=debug build/bin/pms-understanding-bench --benchmark_filter=BuildCatalog
#include "core/time_util.hpp"
#include "store/demo/demo_database.hpp"
#include "store/sqlite/sqlite_document_store.hpp"
#include "understanding/question_planner.hpp"

#include <benchmark/benchmark.h>
#include <spdlog/cfg/env.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
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
    auto path = "bench-data/pms-understanding-" + std::to_string(work_items) + ".db";
    bool fresh = !std::filesystem::exists(path);
    db = std::make_unique<store::sqlite::SqliteDocumentStore>(path, "ProjectManagement");
    db->set_max_time(std::chrono::minutes(10));
    if (fresh) {
      store::demo::DemoOptions options;
      options.work_items = work_items;
      options.reference_date = "2026-11-20";
      store::demo::write_demo_database(*db, options);
    }
  }
  return *db;
}

std::vector<std::string> questions() {
  std::vector<std::string> out;
  std::ifstream in(PMS_EVAL_QUESTIONS);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.emplace_back(json::parse(line).at("q").as_string());
  return out;
}

// Parse + plan of one question, averaged over the whole question set (answerable and refused).
void UnderstandQuestion(benchmark::State& state) {
  static const auto catalog = understanding::build_value_catalog(database(300));
  static const auto all = questions();
  const auto now = *parse_iso8601_ms("2026-11-20T12:00:00Z");
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(understanding::understand_question(all[i], catalog, now));
    i = (i + 1) % all.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["questions"] = static_cast<double>(all.size());
}

// Questions the planner does not understand, so the model answers them: the reading runs in full,
// the fallback to other entities included.
const std::vector<std::string> kNotUnderstood = {
    "q 12 0", "q 731 2", "hello there 42",
    "please give a short summary of what happened lately around here and which risks worry everybody the most",
};

void ReadNotUnderstood(benchmark::State& state, const understanding::ValueCatalog* catalog, const std::string* question) {
  const auto now = *parse_iso8601_ms("2026-11-20T12:00:00Z");
  for (auto _ : state) benchmark::DoNotOptimize(understanding::understand_question(*question, *catalog, now));
}

void BuildCatalog(benchmark::State& state) {
  auto& db = database(state.range(0));
  std::size_t bytes = 0;
  for (auto _ : state) bytes = understanding::build_value_catalog(db).memory_bytes();
  state.counters["catalog_KiB"] = static_cast<double>(bytes) / 1024;
}

std::vector<std::int64_t> sizes() {
  std::vector<std::int64_t> out;
  const char* env = std::getenv("PMS_BENCH_SIZES");
  std::stringstream in(env && *env ? env : "300,10000");
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::stoll(item));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::cfg::load_env_levels();  // SPDLOG_LEVEL=debug shows the catalog's time per field
  benchmark::RegisterBenchmark("UnderstandQuestion", UnderstandQuestion)->Unit(benchmark::kMicrosecond);
  static std::map<std::string, understanding::ValueCatalog> catalogs;
  catalogs["demo"] = understanding::build_value_catalog(database(300));
  if (const char* kestrel = std::getenv("PMS_BENCH_KESTREL_DB"); kestrel && *kestrel) {
    store::sqlite::SqliteDocumentStore db(kestrel, "ProjectManagement");
    catalogs["kestrel"] = understanding::build_value_catalog(db);
  }
  for (auto& [name, catalog] : catalogs)
    for (auto& q : kNotUnderstood)
      benchmark::RegisterBenchmark(("ReadNotUnderstood/" + name + "/\"" + q.substr(0, 20) + "\"").c_str(), ReadNotUnderstood, &catalog, &q)
          ->Unit(benchmark::kMicrosecond);
  for (auto n : sizes()) benchmark::RegisterBenchmark("BuildCatalog", BuildCatalog)->Arg(n)->Unit(benchmark::kMillisecond)->Iterations(3);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
