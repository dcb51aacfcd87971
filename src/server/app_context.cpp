#include "server/app_context.hpp"

#include "agent/system_prompt.hpp"
#include "core/log.hpp"
#include "store/demo/demo_database.hpp"
#include "store/mongo/mongo_document_store.hpp"
#include "store/sqlite/sqlite_conversation_store.hpp"
#include "store/sqlite/sqlite_document_store.hpp"
#include "store/scoped_store.hpp"

#include <boost/asio/post.hpp>

#include <filesystem>
#include <optional>

namespace pms::server {

AppContext::AppContext(ServerConfig config)
    : config_(std::move(config)), db_pool_(std::make_unique<boost::asio::thread_pool>(static_cast<std::size_t>(config_.db_threads))), tools_(tools::ToolRegistry::standard()),
      access_(config_.allowed_origins, config_.auth_token),
      tenants_(config_.business_id, config_.tenant_secret),
      turn_gate_(std::make_shared<TurnGate>(config_.max_concurrent_turns)) {
  namespace fs = std::filesystem;
  fs::path db(config_.db_path);
  bool fresh = !fs::exists(db);
  bool embedded = config_.mongo_uri.empty();
  if (embedded && fresh && !config_.create_demo)
    throw std::runtime_error("database file '" + config_.db_path + "' does not exist (create it with `pms-data generate --db " +
                             config_.db_path + "`, or drop --no-demo)");
  if (db.has_parent_path()) fs::create_directories(db.parent_path());
  if (embedded) {
    auto sqlite_store = std::make_unique<store::sqlite::SqliteDocumentStore>(config_.db_path, config_.database_name);
    if (fresh) {
      auto n = store::demo::write_demo_database(*sqlite_store, store::demo::DemoOptions{});
      spdlog::info("created demo database {} ({} documents)", config_.db_path, n);
    }
    store_ = std::move(sqlite_store);
  } else {
    // Not connected yet: the server starts while MongoDB is down, and each query tries again.
    store_ = std::make_unique<store::mongo::MongoDocumentStore>(store::mongo::MongoOptions{
        config_.mongo_uri, config_.database_name, {store::parse_uuid_representation(config_.uuid_representation)}});
    spdlog::info("querying MongoDB at {} (conversations in {})", store_->location(), config_.db_path);
  }
  auto query_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(config_.query_timeout_s * 1000));
  store_->set_max_time(query_timeout);
  store_->set_max_query_bytes(static_cast<std::size_t>(config_.query_memory_mb) << 20);
  store_->set_redacted_fields(config_.redacted_fields);
  conversations_ = std::make_unique<store::sqlite::SqliteConversationStore>(config_.db_path, query_timeout);
  memory_ = std::make_unique<agent::ConversationMemory>(*conversations_);
  spdlog::debug("system prompt:\n{}", system_prompt({}));
  llm_ = llm::make_llm_client(config_.llm);
  if (!config_.web_root.empty()) {
    if (!fs::is_regular_file(fs::path(config_.web_root) / "index.html"))
      throw std::runtime_error("--web-root '" + config_.web_root + "' has no index.html (build the UI with `npm --prefix web run build`)");
    web_ = std::make_unique<StaticFiles>(config_.web_root);
    spdlog::info("serving the web UI from {}", config_.web_root);
  } else {
    spdlog::warn("no built web UI found: the API works, / shows a notice (build it with `npm --prefix web ci && npm --prefix web run build`)");
  }
  agent_ = std::make_unique<agent::Agent>(agent::AgentServices{
      *llm_, tools_, *store_, *memory_, db_pool_->get_executor(), config_.agent, config_.llm,
      [this](const std::string& tenant) { return system_prompt(tenant); }, config_.tenant_field,
      [this](const std::string& tenant) { return catalog(tenant); }});
  turns_ = std::make_unique<TurnService>(sessions, *turn_gate_, *agent_, running_turns);
  // Built ahead of the first question: the whole database's, or the one business's.
  boost::asio::post(*db_pool_, [this] { catalog(config_.business_id); });
}

AppContext::~AppContext() { shutdown(); }

void AppContext::shutdown() {
  if (!db_pool_) return;
  db_pool_->stop();
  db_pool_->join();
  db_pool_.reset();
}

std::string AppContext::system_prompt(const std::string& tenant) {
  // Sampled once per tenant (a tenant's prompt shows only its own stored values), outside the lock
  // so turns do not wait for each other's sampling. An unreachable database leaves the prompt
  // without examples and is asked again at most every 30 s, not on every turn.
  // Built once per tenant and day, not per turn: under a burst of turns it was a twentieth of
  // the server's work.
  const std::string today = now_iso8601().substr(0, 10);
  Schemas schemas;
  bool sample = false;
  {
    std::lock_guard lock(schemas_mutex_);
    auto& entry = schemas_[tenant];
    if (entry.schemas && entry.prompt_day == today) return entry.prompt;
    schemas = entry.schemas;
    if (!schemas && SteadyClock::now() >= entry.next_try) {
      entry.next_try = SteadyClock::now() + std::chrono::seconds(30);
      sample = true;
    }
  }
  if (sample) {
    try {
      auto view = store_for(tenant);
      schemas = std::make_shared<const std::vector<store::CollectionSchema>>(agent::sample_all_schemas(view.store()));
      std::lock_guard lock(schemas_mutex_);
      schemas_[tenant].schemas = schemas;
    } catch (const store::StoreError& e) {
      spdlog::warn("could not sample the data for the system prompt: {}", e.what());
    }
  }
  static const std::vector<store::CollectionSchema> none;
  auto prompt = agent::build_system_prompt(config_.database_name, schemas ? *schemas : none, today);
  if (schemas) {
    std::lock_guard lock(schemas_mutex_);
    auto& entry = schemas_[tenant];
    if (entry.schemas == schemas) {
      entry.prompt = prompt;
      entry.prompt_day = today;
    }
  }
  return prompt;
}

namespace {

std::shared_ptr<const understanding::ValueCatalog> placeholder_catalog(std::string why) {
  auto c = std::make_shared<understanding::ValueCatalog>();
  c->incomplete = std::move(why);
  return c;
}

const std::shared_ptr<const understanding::ValueCatalog>& unreadable_catalog() {
  static const auto c = placeholder_catalog("not available: the database could not be read (tried again every 30 s)");
  return c;
}

}  // namespace

std::shared_ptr<const understanding::ValueCatalog> AppContext::build_catalog(const std::string& tenant) {
  auto started = SteadyClock::now();
  auto view = store_for(tenant);
  // A first build shows what it has read so far; a rebuild leaves the complete old one in place.
  std::function<void(const understanding::ValueCatalog&)> publish = [&](const understanding::ValueCatalog& so_far) {
    std::lock_guard lock(catalogs_mutex_);
    auto& entry = catalogs_[tenant];
    if (entry.built == SteadyClock::time_point{}) entry.catalog = std::make_shared<const understanding::ValueCatalog>(so_far);
  };
  std::shared_ptr<const understanding::ValueCatalog> built;
  std::optional<std::string> stamp;
  try {
    stamp = store_->change_stamp();  // before reading: a write during the build is seen next time
    built = std::make_shared<const understanding::ValueCatalog>(
        understanding::build_value_catalog(view.store(), {}, nullptr, publish));
    std::size_t fields = 0;
    for (auto& c : built->collections) fields += c.categories.size() + c.dates.size();
    spdlog::info("value catalog{}: {} collections, {} fields, {} KiB, built in {:.0f} ms", tenant.empty() ? "" : " of business " + tenant,
                 built->collections.size(), fields, built->memory_bytes() / 1024, elapsed_ms(started));
  } catch (const std::exception& e) {
    spdlog::warn("could not build the value catalog (questions are answered without it until the next try): {}", e.what());
  }
  std::lock_guard lock(catalogs_mutex_);
  auto& entry = catalogs_[tenant];
  entry.rebuilding = false;
  if (built) {
    entry.catalog = built;
    entry.built = entry.checked = SteadyClock::now();
    entry.stamp = stamp;
    entry.failed.reset();
  } else {
    entry.failed = SteadyClock::now();
    if (entry.built == SteadyClock::time_point{}) entry.catalog.reset();  // a first build's partial result is dropped
  }
  catalog_built_.notify_all();
  return entry.catalog ? entry.catalog : unreadable_catalog();
}

void AppContext::rebuild_catalog_later(const std::string& tenant) {
  auto& entry = catalogs_[tenant];
  if (entry.rebuilding || !db_pool_) return;
  entry.rebuilding = true;
  boost::asio::post(*db_pool_, [this, tenant] { build_catalog(tenant); });
}

std::shared_ptr<const understanding::ValueCatalog> AppContext::catalog(const std::string& tenant) {
  static const auto reading = placeholder_catalog("still being read from the database");
  std::shared_ptr<const understanding::ValueCatalog> current;
  std::optional<std::string> built_at;
  {
    std::unique_lock lock(catalogs_mutex_);
    auto& entry = catalogs_[tenant];
    auto now = SteadyClock::now();
    // An unreachable database is asked again at most every 30 s, not on every question.
    bool may_try = !entry.failed || now - *entry.failed >= std::chrono::seconds(30);
    if (entry.built == SteadyClock::time_point{} && entry.rebuilding) {
      // The first build runs on another thread: wait for it a little, then use what it has read.
      catalog_built_.wait_for(lock, std::chrono::seconds(3), [&] { return !entry.rebuilding; });
      if (entry.catalog) return entry.catalog;
      return entry.rebuilding ? reading : unreadable_catalog();
    }
    if (!entry.catalog) {
      if (!may_try) return unreadable_catalog();
      entry.rebuilding = true;
    } else {
      // A stale catalog answers while it is rebuilt in the background.
      bool stale = now - entry.built > std::chrono::duration<double>(config_.catalog_refresh_s);
      if (stale && may_try) rebuild_catalog_later(tenant);
      if (entry.rebuilding || now - entry.checked < std::chrono::seconds(5)) return entry.catalog;
      entry.checked = now;
      current = entry.catalog;
      built_at = entry.stamp;
    }
  }
  if (!current) return build_catalog(tenant);
  // Changed since built (an import, another program's writes): rebuild now, answer with this one.
  std::optional<std::string> stamp;
  try {
    stamp = store_->change_stamp();
  } catch (const std::exception& e) {
    spdlog::debug("could not tell whether the data changed (the catalog is still rebuilt on its timer): {}", e.what());
  }
  if (stamp && stamp != built_at) {
    std::lock_guard lock(catalogs_mutex_);
    rebuild_catalog_later(tenant);
  }
  return current;
}

}  // namespace pms::server
