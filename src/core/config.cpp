#include "core/config.hpp"

#include "core/paths.hpp"
#include "core/url_template.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <map>

namespace pms {

std::string normalize_ollama_host(std::string host) {
  if (host.empty()) return "http://localhost:11434";
  if (host.find("://") == std::string::npos) {
    // Like Ollama's envconfig: a bare host gets http and port 11434; an explicit scheme keeps its
    // own default port (80/443).
    bool bracketed_v6 = host.front() == '[';
    bool has_port = bracketed_v6 ? host.find("]:") != std::string::npos : host.find(':') != std::string::npos;
    host = "http://" + host + (has_port ? "" : ":11434");
  }
  while (!host.empty() && host.back() == '/') host.pop_back();
  return host;
}

int parse_server_args(int argc, const char* const* argv, ServerConfig& out) {
  CLI::App app{"pms-assistant: answers questions about project-management data over WebSocket"};
  app.set_version_flag("--version", std::string(PMS_VERSION));
  app.get_formatter()->column_width(40);
  app.footer("\nCommands:\n  pms-assistant mcp [OPTIONS]   the read-only PMS tools for other agents, as an MCP server on stdio\n"
             "                                (the same options select the store; logs go to stderr). The running\n"
             "                                server also answers MCP at /mcp.");

  auto& c = out;
  app.add_option("--host", c.host, "Address to listen on")->envname("PMS_HOST")->capture_default_str();
  app.add_option("--port", c.port, "Port to listen on (0: any free port)")->envname("PMS_PORT")->capture_default_str();
  app.add_option("--db", c.db_path, "Embedded database file (created with demo data when absent) [default: " + default_db_path() + "]")->envname("PMS_DB");
  app.add_option("--database", c.database_name, "Database name (the MongoDB database with --mongo-uri)")->envname("PMS_DATABASE")->capture_default_str();
  app.add_option("--mongo-uri", c.mongo_uri, "Query this MongoDB (mongodb://user:pass@host:27017) instead of the embedded database; conversations stay in --db")->envname("MONGODB_URI");
  app.add_option("--uuid-representation", c.uuid_representation, "Byte order of binary subtype 3 UUIDs in MongoDB: java-legacy, standard, python-legacy, csharp-legacy")->envname("PMS_UUID_REPRESENTATION")->capture_default_str()->check(CLI::IsMember({"java-legacy", "standard", "python-legacy", "csharp-legacy"}));
  app.add_flag("!--no-demo", c.create_demo, "Do not create demo data when the database file is absent")->envname("PMS_NO_DEMO");
  app.add_option("--threads", c.io_threads, "Network I/O threads (0: one per core)")->envname("PMS_THREADS")->capture_default_str();
  app.add_option("--db-threads", c.db_threads, "Threads running database queries")->envname("PMS_DB_THREADS")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--query-timeout", c.query_timeout_s, "Seconds one database query may run (waiting for a locked database included); slower ones fail with an error the model sees")->envname("PMS_QUERY_TIMEOUT")->capture_default_str()->check(CLI::Range(0.001, 3600.0));
  app.add_option("--query-memory-mb", c.query_memory_mb, "MiB of memory one database query may hold (documents kept, groups, joined copies); larger ones fail with an error the model sees")->envname("PMS_QUERY_MEMORY_MB")->capture_default_str()->check(CLI::Range(1, 1 << 20));
  app.add_option("--catalog-refresh", c.catalog_refresh_s, "Seconds between rebuilds of the value catalog (the stored names, states, priorities... questions are linked to)")->envname("PMS_CATALOG_REFRESH")->capture_default_str()->check(CLI::Range(1.0, 86400.0));
  app.add_option("--redact-fields", c.redacted_fields, "Field names no query can see, match or return, at any depth (e-mail addresses by default); '' to show everything")->envname("PMS_REDACT_FIELDS")->delimiter(',')->capture_default_str();
  app.add_option("--business-id", c.business_id, "Serve one business only: every query sees just the documents whose --tenant-field is this id")->envname("PMS_BUSINESS_ID");
  app.add_option("--tenant-secret", c.tenant_secret, "Serve several businesses: each connection brings a tenant token signed with this secret (pms-data tenant-token) and sees only its business")->envname("PMS_TENANT_SECRET");
  app.add_option("--tenant-field", c.tenant_field, "Field holding a document's business")->envname("PMS_TENANT_FIELD")->capture_default_str();
  app.add_option("--max-message-bytes", c.max_message_bytes, "Largest client WebSocket message accepted")->envname("PMS_MAX_MESSAGE_BYTES")->capture_default_str()->check(CLI::Range(std::size_t{256}, std::size_t{64} << 20));
  app.add_option("--shutdown-timeout", c.shutdown_timeout_s, "Seconds running answers may take to finish after SIGTERM/SIGINT")->envname("PMS_SHUTDOWN_TIMEOUT")->capture_default_str()->check(CLI::Range(0.0, 3600.0));
  app.add_option("--max-connections", c.max_connections, "Open connections; more are refused with HTTP 503")->envname("PMS_MAX_CONNECTIONS")->capture_default_str()->check(CLI::Range(1, 1 << 22));
  app.add_option("--max-concurrent-turns", c.max_concurrent_turns, "Answers talking to the LLM at once; others wait in arrival order and get `queued` events")->envname("PMS_MAX_CONCURRENT_TURNS")->capture_default_str()->check(CLI::Range(1, 10000));
  app.add_option("--max-send-queue-bytes", c.max_send_queue_bytes, "Bytes waiting for a slow client before it is disconnected (close 1008)")->envname("PMS_MAX_SEND_QUEUE_BYTES")->capture_default_str()->check(CLI::Range(std::size_t{4096}, std::size_t{1} << 30));
  app.add_option("--idle-timeout", c.idle_timeout_s, "Seconds a chat client may send nothing (not even ping) before it is closed")->envname("PMS_IDLE_TIMEOUT")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--rate-limit", c.rate_limit_per_s, "Client messages per second per connection, sustained")->envname("PMS_RATE_LIMIT")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--rate-burst", c.rate_burst, "Client messages allowed in a burst")->envname("PMS_RATE_BURST")->capture_default_str()->check(CLI::Range(1, 100000));
  app.add_option("--allowed-origins", c.allowed_origins, "Browser origins besides the server's own that may open the chat socket and call the API (CORS), e.g. http://localhost:5173; * for any")->envname("PMS_ALLOWED_ORIGINS")->delimiter(',');
  app.add_option("--allowed-hosts", c.allowed_hosts, "Host names the server is reached by besides localhost and IP addresses (others are refused, against DNS rebinding), e.g. pms.example.com or .example.com for its subdomains too; * for any")->envname("PMS_ALLOWED_HOSTS")->delimiter(',');
  app.add_option("--auth-token", c.auth_token, "Require this bearer token for /ws/chat and /api/* (Authorization header, or ?token= for WebSockets)")->envname("PMS_AUTH_TOKEN");
  app.add_option("--web-root", c.web_root, "Directory of the built web UI (index.html) [default: web/dist of the build]")->envname("PMS_WEB_ROOT");
  app.add_option("--log-level", c.log_level, "trace, debug, info, warn, error, off")->envname("PMS_LOG_LEVEL")->capture_default_str()->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));

  auto& l = c.llm;
  app.add_option("--llm", l.provider, "LLM server protocol: ollama, openai (OpenAI-compatible: llama.cpp, vLLM, ...), or none (answer with the built-in question planner only)")->envname("PMS_LLM")->capture_default_str()->check(CLI::IsMember({"ollama", "openai", "none"}));
  app.add_option("--ollama-host", l.ollama_host, "Ollama server URL")->envname("OLLAMA_HOST")->capture_default_str();
  app.add_option("--openai-base-url", l.openai_base_url, "OpenAI-compatible base URL (http or https, up to /v1)")->envname("PMS_OPENAI_BASE_URL")->capture_default_str();
  app.add_option("--api-key", l.api_key, "Bearer token for the OpenAI-compatible server")->envname("PMS_API_KEY");
  app.add_option("--llm-ca-file", l.ca_file, "PEM file of extra CA certificates trusted for an https LLM server")->envname("PMS_LLM_CA_FILE")->check(CLI::ExistingFile);
  app.add_option("--model", l.model, "Model name")->envname("PMS_MODEL")->capture_default_str();
  app.add_option("--num-ctx", l.num_ctx, "Context window in tokens (also bounds conversation memory)")->envname("PMS_NUM_CTX")->capture_default_str()->check(CLI::Range(256, 1 << 20));
  app.add_option("--num-predict", l.num_predict, "Most tokens generated per LLM call")->envname("PMS_NUM_PREDICT")->capture_default_str()->check(CLI::Range(1, 1 << 20));
  app.add_option("--num-thread", l.num_thread, "CPU threads Ollama uses")->envname("PMS_NUM_THREAD")->capture_default_str()->check(CLI::Range(1, 1024));
  app.add_option("--temperature", l.temperature, "Sampling temperature")->envname("PMS_TEMPERATURE")->capture_default_str()->check(CLI::Range(0.0, 2.0));
  app.add_flag("--think", l.think, "Let the model reason first; reasoning streams as `thinking` events")->envname("PMS_THINK");
  app.add_option("--keep-alive", l.keep_alive, "How long Ollama keeps the model loaded")->envname("PMS_KEEP_ALIVE")->capture_default_str();
  app.add_option("--llm-connect-timeout", l.connect_timeout_s, "Seconds to connect to the LLM server")->envname("PMS_LLM_CONNECT_TIMEOUT")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--llm-read-timeout", l.read_timeout_s, "Seconds of silence on the LLM stream before giving up")->envname("PMS_LLM_READ_TIMEOUT")->capture_default_str()->check(CLI::PositiveNumber);

  auto& a = c.agent;
  app.add_option("--answer-mode", a.answer_mode, "Which path answers: auto (the built-in planner when it understands the question with confidence, else the model), model (always the model), or planner (as --llm none)")->envname("PMS_ANSWER_MODE")->capture_default_str()->check(CLI::IsMember({"auto", "model", "planner"}));
  app.add_option("--model-plans", a.model_plans, "on: when the planner does not understand a question, ask the model for its plan under a JSON schema of the stored values before free tool calling; off: free tool calling only")->envname("PMS_MODEL_PLANS")->default_str("on")->transform(CLI::CheckedTransformer(std::map<std::string, bool>{{"on", true}, {"off", false}}, CLI::ignore_case));
  app.add_option("--max-steps", a.max_steps, "Most LLM calls (tool rounds) per answer")->envname("PMS_MAX_STEPS")->capture_default_str()->check(CLI::Range(1, 50));
  app.add_option("--item-url-template", a.item_url_template, "Link work items in answers to the PMS, e.g. https://pms.example.com/{projectDisplayId}/{displayBugNo} (placeholders: " + std::string(kItemUrlPlaceholders) + "); without it they open in the chat")->envname("PMS_ITEM_URL_TEMPLATE")->check(CLI::Validator([](std::string& t) { return item_url_template_error(t); }, "URL"));
  app.add_option("--tool-output-chars", a.tool_output_model_chars, "Characters of one tool result the model sees (0: 60% of --num-ctx, at least 600)")->envname("PMS_TOOL_OUTPUT_CHARS")->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  std::erase(c.redacted_fields, std::string());  // --redact-fields '' shows everything
  if (!c.business_id.empty() && !c.tenant_secret.empty()) {
    std::cerr << "--business-id and --tenant-secret exclude each other: one business, or tokens naming one\n";
    return 2;
  }
  if (c.db_path.empty()) c.db_path = default_db_path();
  if (c.web_root.empty()) c.web_root = default_web_root();
  if (l.provider == "ollama") l.ollama_host = normalize_ollama_host(l.ollama_host);
  while (!l.openai_base_url.empty() && l.openai_base_url.back() == '/') l.openai_base_url.pop_back();
  return -1;
}

}  // namespace pms
