#include "llm/ollama_client.hpp"

#include "llm/llm_error.hpp"
#include "llm/ndjson_splitter.hpp"
#include "llm/ollama_wire.hpp"
#include "llm/reply_builder.hpp"

#include <boost/asio/use_awaitable.hpp>

namespace pms::llm {

OllamaClient::OllamaClient(LlmConfig cfg) : cfg_(std::move(cfg)), endpoint_(parse_endpoint(cfg_.ollama_host)) {}

HttpRequest OllamaClient::request(std::string method, std::string path) const {
  return make_request(endpoint_, cfg_, std::move(method), std::move(path));
}

boost::asio::awaitable<ChatResult> OllamaClient::chat(const ChatRequest& req, StreamSink& sink, CancelToken* cancel) {
  HttpRequest http = request("POST", "/api/chat");
  http.body = ollama_chat_body(req, cfg_);
  ReplyBuilder reply(sink);
  NdjsonSplitter lines;
  bool done = false;
  auto on_line = [&](std::string_view line) {
    if (!done && apply_ollama_line(line, reply)) done = true;
  };
  HttpResult result;
  try {
    std::function<void(std::string_view)> on_chunk = [&](std::string_view chunk) { lines.feed(chunk, on_line); };
    result = co_await http_stream(http, cancel, std::move(on_chunk));
  } catch (const LlmError& e) {
    if (e.code() != LlmErrc::unreachable) throw;
    throw LlmError(LlmErrc::unreachable, std::string(e.what()) + ". Is Ollama running at " + cfg_.ollama_host +
                                             "? Start it with `ollama serve`, or point --ollama-host / OLLAMA_HOST at it.");
  }
  if (result.status == 404) {
    throw LlmError(LlmErrc::model_not_found, "Ollama at " + cfg_.ollama_host + " does not have the model '" + cfg_.model +
                                                 "' (" + ollama_error_message(result.error_body) + "). Run `ollama pull " + cfg_.model + "`.");
  }
  if (result.status / 100 != 2) {
    throw LlmError(LlmErrc::http_error, "Ollama at " + cfg_.ollama_host + " answered HTTP " + std::to_string(result.status) +
                                            ": " + ollama_error_message(result.error_body));
  }
  lines.finish(on_line);
  if (!done) throw LlmError(LlmErrc::stream_error, "the Ollama stream ended before the reply was complete");
  co_return reply.finish();
}

boost::asio::awaitable<LlmStatus> OllamaClient::probe() {
  LlmStatus status;
  HttpFetched fetched;
  try {
    fetched = co_await http_fetch(request("GET", "/api/tags"));
  } catch (const std::exception& e) {
    status.detail = std::string(e.what()) + ". Is Ollama running at " + cfg_.ollama_host + "?";
    co_return status;
  }
  status.reachable = true;
  if (fetched.status / 100 != 2) {
    status.detail = "Ollama answered HTTP " + std::to_string(fetched.status) + " to /api/tags";
    co_return status;
  }
  std::string& body = fetched.body;
  if (auto v = try_parse(body); v && v->is_object()) {
    if (auto* models = v->get_object().if_contains("models"); models && models->is_array()) {
      for (auto& m : models->get_array()) {
        if (!m.is_object()) continue;
        if (auto name = string_member(m.get_object(), "name")) status.models.emplace_back(*name);
      }
    }
  }
  // "qwen3" means "qwen3:latest" to Ollama.
  std::string wanted = cfg_.model.find(':') == std::string::npos ? cfg_.model + ":latest" : cfg_.model;
  status.model_available = std::find(status.models.begin(), status.models.end(), wanted) != status.models.end();
  if (!status.model_available) status.detail = "model '" + cfg_.model + "' is not pulled: run `ollama pull " + cfg_.model + "`";
  co_return status;
}

}  // namespace pms::llm
