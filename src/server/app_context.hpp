#pragma once
// Everything a request or a WebSocket session needs, built once at start-up.
#include "agent/agent.hpp"
#include "agent/conversation_memory.hpp"
#include "core/config.hpp"
#include "core/time_util.hpp"
#include "llm/llm_client.hpp"
#include "mcp/session_registry.hpp"
#include "server/access_policy.hpp"
#include "server/tenant_token.hpp"
#include "server/connection_registry.hpp"
#include "server/static_files.hpp"
#include "server/turn_gate.hpp"
#include "server/turn_service.hpp"
#include "store/conversation_store.hpp"
#include "store/document_store.hpp"
#include "store/schema_sampler.hpp"
#include "store/scoped_store.hpp"
#include "tools/tool_registry.hpp"
#include "understanding/value_catalog.hpp"

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace pms::server {

class AppContext {
 public:
  // Opens the embedded database (creating it with demo data when absent and allowed), samples
  // the schema for the system prompt, and creates the LLM client. Throws with a message a user
  // can act on (unwritable path, bad URL, ...).
  explicit AppContext(ServerConfig config);
  ~AppContext();

  const ServerConfig& config() const { return config_; }
  boost::asio::any_io_executor db_executor() { return db_pool_->get_executor(); }
  store::DocumentStore& store() { return *store_; }
  store::ConversationStore& conversations() { return *conversations_; }
  llm::LlmClient& llm() { return *llm_; }
  agent::Agent& agent() { return *agent_; }
  StaticFiles* web() { return web_.get(); }  // null when no built UI was found
  // The store as `tenant` sees it (empty: the whole store): `store_for(t).store()`, alive as long
  // as the returned view.
  store::TenantView store_for(const std::string& tenant) { return store::TenantView(*store_, config_.tenant_field, tenant); }
  // Runs the turns of both transports (WebSocket and POST /api/chat).
  TurnService& turns() { return *turns_; }
  // The system prompt with today's date, describing what `tenant` may see (empty: everything).
  // Blocking the first time a tenant asks (its data is sampled): call on the database pool.
  std::string system_prompt(const std::string& tenant);
  // The value catalog of what `tenant` may see (empty: everything), rebuilt in the background when
  // the data changed (checked at most every 5 s, where the store can tell) and every
  // --catalog-refresh seconds. Blocking the first time a tenant asks: call on the database pool.
  std::shared_ptr<const understanding::ValueCatalog> catalog(const std::string& tenant);

  // Stops the database threads and destroys the work they did not start, while the I/O context
  // its completions belong to still exists. Call after the I/O threads have stopped.
  void shutdown();

  double uptime_s() const { return elapsed_ms(started_) / 1000.0; }
  const AccessPolicy& access() const { return access_; }
  const TenantPolicy& tenants() const { return tenants_; }
  TurnGate& turn_gate() { return *turn_gate_; }
  const tools::ToolRegistry& tools() const { return tools_; }
  mcp::SessionRegistry mcp_sessions{1000, std::chrono::minutes(30)};  // /mcp's sessions (server/mcp_routes.hpp)
  ConnectionRegistry sessions;  // open chat sessions and running turns, for shutdown
  std::atomic<int> open_connections{0};
  std::atomic<int> open_websockets{0};
  std::atomic<int> running_turns{0};

 private:
  ServerConfig config_;
  std::unique_ptr<boost::asio::thread_pool> db_pool_;
  std::unique_ptr<store::DocumentStore> store_;
  std::unique_ptr<store::ConversationStore> conversations_;
  std::unique_ptr<agent::ConversationMemory> memory_;
  tools::ToolRegistry tools_;
  std::unique_ptr<llm::LlmClient> llm_;
  std::unique_ptr<agent::Agent> agent_;
  std::unique_ptr<StaticFiles> web_;
  AccessPolicy access_;
  TenantPolicy tenants_;
  std::shared_ptr<TurnGate> turn_gate_;
  std::unique_ptr<TurnService> turns_;
  using Schemas = std::shared_ptr<const std::vector<store::CollectionSchema>>;
  struct SampledSchemas {
    Schemas schemas;                    // null until sampled
    SteadyClock::time_point next_try{};  // after a failed sampling
    std::string prompt, prompt_day;     // the prompt built from them, and the day it names
  };
  std::mutex schemas_mutex_;
  std::map<std::string, SampledSchemas> schemas_;  // per tenant; "": the whole database
  struct BuiltCatalog {
    std::shared_ptr<const understanding::ValueCatalog> catalog;  // null until built
    SteadyClock::time_point built{};
    std::optional<std::string> stamp;   // the store's change stamp the catalog was built at
    SteadyClock::time_point checked{};  // when the stamp was last compared
    std::optional<SteadyClock::time_point> failed;  // the last build that failed, while none succeeded
    bool rebuilding = false;
  };
  void rebuild_catalog_later(const std::string& tenant);  // call with catalogs_mutex_ held
  std::shared_ptr<const understanding::ValueCatalog> build_catalog(const std::string& tenant);
  std::mutex catalogs_mutex_;
  std::condition_variable catalog_built_;  // a build ended
  std::map<std::string, BuiltCatalog> catalogs_;  // per tenant, like schemas_
  SteadyClock::time_point started_ = SteadyClock::now();
};

}  // namespace pms::server
