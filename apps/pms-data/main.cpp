// pms-data: create, import and query the embedded database without the server or an LLM.
#include "core/json_util.hpp"
#include "core/paths.hpp"
#include "core/time_util.hpp"
#include "server/tenant_token.hpp"
#include "store/demo/demo_database.hpp"
#include "store/query/query_error.hpp"
#include "store/scoped_store.hpp"
#include "store/sqlite/export_import.hpp"
#include "tools/tool_registry.hpp"
#include "understanding/follow_up.hpp"
#include "understanding/follow_up_suggestions.hpp"
#include "understanding/plan_run.hpp"
#include "understanding/project_scope.hpp"
#include "understanding/question_planner.hpp"
#include "understanding/shell_query.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace {

using namespace pms;

json::value parse_arg(const std::string& text, const char* what) {
  if (text.empty()) return nullptr;
  std::string err;
  auto v = try_parse(text, &err);
  if (!v) throw std::runtime_error(std::string("--") + what + " is not valid JSON: " + err);
  return *v;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pms-data: create, import and query the embedded PMS database"};
  app.require_subcommand(1);
  std::string db = default_db_path();
  app.add_option("--db", db, "Database file")->envname("PMS_DB")->capture_default_str();

  store::demo::DemoOptions demo;
  auto* gen = app.add_subcommand("generate", "Replace the demo collections with generated data");
  gen->add_option("--work-items", demo.work_items, "Work items to generate")->capture_default_str();
  gen->add_option("--seed", demo.seed, "Random seed (same seed, same data)")->capture_default_str();
  gen->add_option("--businesses", demo.businesses, "Businesses (tenants)")->capture_default_str();
  gen->add_option("--projects-per-business", demo.projects_per_business, "Projects per business")->capture_default_str();
  gen->add_option("--reference-date", demo.reference_date, "Lay dates out around this day (YYYY-MM-DD) [default: today]");

  std::vector<std::string> files;
  std::string import_collection, uuid_representation = "java-legacy";
  auto* imp = app.add_subcommand("import", "Import mongoexport output (Extended JSON; an array or one document per line), replacing each collection imported; all files in one transaction");
  imp->add_option("files", files, "Files or folders of *.json; the collection is the file name's last part (ProjectManagement.workItem.json -> workItem)")->required();
  imp->add_option("--collection", import_collection, "Collection to import into (one file only)");
  imp->add_option("--uuid-representation", uuid_representation, "Byte order of binary subtype 3 UUIDs: java-legacy, standard, python-legacy, csharp-legacy")->capture_default_str()->check(CLI::IsMember({"java-legacy", "standard", "python-legacy", "csharp-legacy"}));

  auto* cols = app.add_subcommand("collections", "List collections and document counts");

  std::string token_business, token_secret;
  double token_hours = 24;
  auto* token = app.add_subcommand("tenant-token", "Print a token that binds a chat connection to one business (for pms-assistant --tenant-secret)");
  token->add_option("--business", token_business, "The business id (the value of --tenant-field)")->required();
  token->add_option("--secret", token_secret, "The secret pms-assistant was started with")->envname("PMS_TENANT_SECRET")->required();
  constexpr double kMaxTokenHours = server::kMaxTenantTokenLifetimeS / 3600;
  token->add_option("--hours", token_hours, "Hours the token stays valid (at most 8784: 366 days)")->capture_default_str()->check(CLI::PositiveNumber)->check(CLI::Range(0.0, kMaxTokenHours));

  std::string q_collection, q_filter, q_sort, q_projection, q_pipeline, q_distinct;
  std::int64_t q_limit = 20;
  bool q_count = false;
  auto* query = app.add_subcommand("query", "Query a collection with MongoDB filters or a pipeline");
  query->add_option("collection", q_collection, "Collection")->required();
  query->add_option("--filter", q_filter, "Filter, e.g. '{\"priority\": \"HIGH\"}'");
  query->add_option("--sort", q_sort, "Sort, e.g. '{\"createdTimeStamp\": -1}'");
  query->add_option("--projection", q_projection, "Projection, e.g. '{\"title\": 1}'");
  query->add_option("--limit", q_limit, "Most documents to print (0: all)")->capture_default_str();
  query->add_flag("--count", q_count, "Print the number of matching documents");
  query->add_option("--distinct", q_distinct, "Print the distinct values of this field");
  query->add_option("--pipeline", q_pipeline, "Run an aggregation pipeline instead");

  std::vector<std::string> questions;
  std::string ask_now;
  bool ask_explain = false;
  auto* ask = app.add_subcommand("ask", "Answer a question (or run a shell query such as db.workItem.find({...})) with the built-in question planner, as pms-assistant --llm none does");
  ask->add_option("question", questions, "The question, e.g. \"how many open bugs are in Mobile App?\"; several: one conversation, each a possible follow-up of the answers before (\"and only the urgent ones?\", \"show more\")")->required();
  ask->add_option("--now", ask_now, "Resolve relative dates against this time (ISO-8601) [default: now]");
  ask->add_flag("--explain", ask_explain, "Also print what was understood and the tool calls made");
  std::string ask_project;
  ask->add_option("--project", ask_project, "Limit the answers to one project (its projectDisplayId or _id), as the chat's scope does");

  CLI11_PARSE(app, argc, argv);
  if (token->parsed()) {
    std::cout << server::make_tenant_token(token_secret, token_business, unix_now() + static_cast<std::int64_t>(token_hours * 3600)) << "\n";
    return 0;
  }
  try {
    if (auto parent = std::filesystem::path(db).parent_path(); !parent.empty()) std::filesystem::create_directories(parent);
    if (!gen->parsed() && !imp->parsed() && !std::filesystem::exists(db)) throw std::runtime_error("no database at '" + db + "' (create one with `pms-data generate`)");
    store::sqlite::SqliteDocumentStore store(db, "ProjectManagement");
    if (gen->parsed()) {
      auto n = store::demo::write_demo_database(store, demo);
      std::cout << "wrote " << n << " documents to " << db << "\n";
    } else if (imp->parsed()) {
      if (imp->count("--collection") && import_collection.empty()) throw std::runtime_error("--collection needs a name, not an empty one");
      store::ExtendedJsonOptions options{store::parse_uuid_representation(uuid_representation)};
      for (auto& c : store::sqlite::import_exports(store, store::sqlite::export_files(files, import_collection), options))
        std::cout << "imported " << c.documents << " documents into " << c.collection << "\n";
    } else if (ask->parsed()) {
      std::int64_t now = unix_now() * 1000;
      if (!ask_now.empty()) {
        auto t = parse_iso8601_ms(ask_now);
        if (!t) throw std::runtime_error("--now must be an ISO-8601 time, got '" + ask_now + "'");
        now = *t;
      }
      auto tools = tools::ToolRegistry::standard();
      std::optional<understanding::ProjectScope> project;
      std::optional<store::ScopedStore> project_view;
      if (!ask_project.empty()) {
        project = understanding::find_project(store, ask_project);
        project_view.emplace(store, store::project_scope(project->id));
      }
      store::DocumentStore& scoped = project_view ? *project_view : static_cast<store::DocumentStore&>(store);
      if (questions.size() == 1 && understanding::looks_like_shell_query(questions[0])) {
        auto call = understanding::parse_shell_query(questions[0]);
        if (ask_explain) std::cout << "tool: " << call.name << " " << dump(call.arguments) << "\n";
        std::cout << understanding::describe_tool_result(call, tools.run(call.name, call.arguments, scoped, nullptr)) << "\n";
        return 0;
      }
      auto catalog = understanding::build_value_catalog(store);
      std::optional<understanding::PlanContext> context;
      int refused = 0;
      for (std::size_t i = 0; i < questions.size(); ++i) {
        if (i) std::cout << "\n";
        auto u = understanding::understand_message(questions[i], catalog, now, context ? &*context : nullptr, i > 0);
        if (project) understanding::scope_to_project(u, *project);
        if (u.context) context = u.context;  // a refusal leaves the last plan as it was, as in the chat
        if (!u.plan) {
          std::cout << understanding::explain_refusal(u) << "\n";
          ++refused;
          continue;
        }
        if (ask_explain) std::cout << "understood: " << u.plan->summary() << "\n";
        understanding::PlanRun run(*u.plan);
        while (auto call = run.next()) {
          if (ask_explain) std::cout << "tool: " << call->name << " " << dump(call->arguments) << "\n";
          run.feed(tools.run(call->name, call->arguments, scoped, nullptr));
        }
        if (!u.follow_up.empty()) std::cout << u.follow_up << "\n\n";
        std::cout << run.answer() << "\n";
        if (auto chart = run.chart(); chart && ask_explain) std::cout << "chart: " << dump(*chart) << "\n";
        if (ask_explain && u.context)
          for (auto& s : understanding::follow_up_suggestions(run, *u.context, catalog, now)) std::cout << "suggested: " << s << "\n";
      }
      if (refused) return 3;
    } else if (cols->parsed()) {
      for (auto& c : store.list_collections()) std::cout << c.name << "\t" << c.count << "\n";
    } else if (query->parsed()) {
      json::value filter = parse_arg(q_filter, "filter");
      if (q_count) {
        std::cout << store.count(q_collection, filter) << "\n";
      } else if (!q_distinct.empty()) {
        for (auto& v : store.distinct(q_collection, q_distinct, filter)) std::cout << dump(v) << "\n";
      } else if (!q_pipeline.empty()) {
        for (auto& d : store.aggregate(q_collection, parse_arg(q_pipeline, "pipeline"))) std::cout << dump(d) << "\n";
      } else {
        store::FindRequest req{q_collection, filter, parse_arg(q_projection, "projection"), parse_arg(q_sort, "sort"), 0, q_limit};
        for (auto& d : store.find(req)) std::cout << dump(d) << "\n";
      }
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "pms-data: " << e.what() << "\n";
    return 1;
  }
}
