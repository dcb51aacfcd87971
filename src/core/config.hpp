#pragma once
// Every option of pms-assistant, with its default. Each is also read from an environment variable
// (named in --help); the command line wins over the environment.
#include <cstddef>
#include <string>
#include <vector>

namespace pms {

struct LlmConfig {
  std::string provider = "ollama";  // "ollama", "openai" (any OpenAI-compatible server) or "none" (the built-in planner only)
  std::string ollama_host = "http://localhost:11434";
  std::string openai_base_url = "http://localhost:8080/v1";
  std::string api_key;
  std::string ca_file;  // extra CA certificates (PEM) trusted for https LLM servers
  std::string model = "qwen3:0.6b";
  int num_ctx = 2048;
  int num_predict = 256;
  int num_thread = 8;
  double temperature = 0.3;
  bool think = false;
  std::string keep_alive = "5m";
  double connect_timeout_s = 5.0;
  // Longest silence tolerated on the LLM stream (also covers loading the model for the first token).
  double read_timeout_s = 120.0;
};

struct AgentConfig {
  // Which path answers: "auto" (the planner when it understands the question with confidence,
  // else the model), "model" (always the model, with the planner's hints) or "planner" (as --llm none).
  std::string answer_mode = "auto";
  bool model_plans = true;  // before free tool calling, ask the model for the planner's plan under a JSON schema
  int max_steps = 5;
  std::size_t tool_output_model_chars = 0;       // what the model sees of one tool result; 0: 60% of num_ctx, at least 600
  std::size_t tool_output_display_chars = 4000;  // what `tool_end.output` carries to the client
  // A work item's page in the PMS (core/url_template.hpp); empty: items open in the chat's own panel.
  std::string item_url_template;
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  unsigned short port = 8000;
  std::string db_path;  // empty: default_db_path()
  std::string database_name = "ProjectManagement";
  std::string mongo_uri;                            // set: query this MongoDB instead of the embedded file
  std::string uuid_representation = "java-legacy";  // byte order of binary subtype 3 UUIDs in MongoDB
  bool create_demo = true;
  int io_threads = 0;  // 0: one per core
  int db_threads = 2;
  double query_timeout_s = 10.0;     // longest one database query may run (also waits for a locked database)
  int query_memory_mb = 256;         // most memory one query may hold (documents kept, groups, joins)
  double catalog_refresh_s = 60.0;   // the value catalog questions are linked against is rebuilt this often
  std::vector<std::string> redacted_fields{"email", "leadMail"};  // never shown to the model or the user
  std::string tenant_field = "business._id";  // the field naming a document's tenant
  std::string business_id;                    // bind every connection to this business
  std::string tenant_secret;                  // or: connections bring a token signed with this
  std::size_t max_message_bytes = 64 * 1024;
  double shutdown_timeout_s = 10.0;  // running answers may finish this long after SIGTERM
  int max_connections = 10000;       // more are refused with HTTP 503
  int max_concurrent_turns = 4;      // answers talking to the LLM at once; the rest wait in order
  std::size_t max_send_queue_bytes = 4 << 20;  // a client that reads slower is disconnected
  double idle_timeout_s = 600.0;     // a chat client that sends nothing (not even ping) this long is closed
  double rate_limit_per_s = 5.0;     // sustained client messages per second per connection
  int rate_burst = 30;               // messages allowed at once above the sustained rate
  std::string log_level = "info";
  std::vector<std::string> allowed_origins;  // browser origins besides the server's own; "*": any
  std::vector<std::string> allowed_hosts;    // Host names besides loopback names and IP addresses; "*": any
  std::string auth_token;                    // if set, /ws/chat and /api/* need it
  std::string web_root;  // the built web UI; empty: default_web_root()
  LlmConfig llm;
  AgentConfig agent;
};

// Reads OLLAMA_HOST-style input as Ollama's own clients do: "0.0.0.0" -> "http://0.0.0.0:11434";
// a URL with a scheme is kept (without a trailing slash).
std::string normalize_ollama_host(std::string host);

// Parses argv and the environment into `out`. Returns -1 to go on, otherwise the exit code
// (after --help, --version, or a usage error that has been printed).
int parse_server_args(int argc, const char* const* argv, ServerConfig& out);

}  // namespace pms
