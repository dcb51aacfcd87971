#include "llm/openai_client.hpp"

#include "llm/llm_error.hpp"
#include "llm/openai_wire.hpp"
#include "llm/reply_builder.hpp"
#include "llm/sse_parser.hpp"

#include <boost/asio/use_awaitable.hpp>

namespace pms::llm {

OpenAiClient::OpenAiClient(LlmConfig cfg) : cfg_(std::move(cfg)), endpoint_(parse_endpoint(cfg_.openai_base_url)) {}

HttpRequest OpenAiClient::request(std::string method, std::string path) const {
  HttpRequest r = make_request(endpoint_, cfg_, std::move(method), std::move(path));
  if (!cfg_.api_key.empty()) r.headers.emplace_back("Authorization", "Bearer " + cfg_.api_key);
  return r;
}

boost::asio::awaitable<ChatResult> OpenAiClient::chat(const ChatRequest& req, StreamSink& sink, CancelToken* cancel) {
  HttpRequest http = request("POST", "/chat/completions");
  http.body = openai_chat_body(req, cfg_);
  ReplyBuilder reply(sink);
  OpenAiStreamDecoder decoder(reply);
  SseParser sse;
  bool done = false;
  HttpResult result;
  try {
    std::function<void(std::string_view)> on_chunk = [&](std::string_view chunk) {
      sse.feed(chunk, [&](const SseEvent& ev) {
        if (!done && decoder.apply(ev)) done = true;
      });
    };
    result = co_await http_stream(http, cancel, std::move(on_chunk));
  } catch (const LlmError& e) {
    if (e.code() != LlmErrc::unreachable) throw;
    throw LlmError(LlmErrc::unreachable, std::string(e.what()) + ". Is the OpenAI-compatible server running at " +
                                             cfg_.openai_base_url + "? Point --openai-base-url at it.");
  }
  if (result.status == 404) {
    throw LlmError(LlmErrc::model_not_found, "the server at " + cfg_.openai_base_url + " has no model '" + cfg_.model +
                                                 "' or no /chat/completions route: " + openai_error_message(result.error_body));
  }
  if (result.status == 401 || result.status == 403) {
    throw LlmError(LlmErrc::http_error, "the server at " + cfg_.openai_base_url + " refused the API key (HTTP " +
                                            std::to_string(result.status) + "); set --api-key / PMS_API_KEY");
  }
  if (result.status / 100 != 2) {
    throw LlmError(LlmErrc::http_error, "the server at " + cfg_.openai_base_url + " answered HTTP " +
                                            std::to_string(result.status) + ": " + openai_error_message(result.error_body));
  }
  if (!done) throw LlmError(LlmErrc::stream_error, "the stream ended without [DONE]: the reply may be incomplete");
  decoder.finish();
  co_return reply.finish();
}

boost::asio::awaitable<LlmStatus> OpenAiClient::probe() {
  LlmStatus status;
  HttpFetched fetched;
  try {
    fetched = co_await http_fetch(request("GET", "/models"));
  } catch (const std::exception& e) {
    status.detail = std::string(e.what()) + ". Is the server running at " + cfg_.openai_base_url + "?";
    co_return status;
  }
  status.reachable = true;
  if (fetched.status / 100 != 2) {
    status.detail = "the server answered HTTP " + std::to_string(fetched.status) + " to /models";
    co_return status;
  }
  std::string& body = fetched.body;
  if (auto v = try_parse(body); v && v->is_object()) {
    if (auto* data = v->get_object().if_contains("data"); data && data->is_array()) {
      for (auto& m : data->get_array()) {
        if (!m.is_object()) continue;
        if (auto id = string_member(m.get_object(), "id")) status.models.emplace_back(*id);
      }
    }
  }
  // Single-model servers (llama.cpp) answer whatever model name is asked for.
  status.model_available = status.models.size() == 1 ||
                           std::find(status.models.begin(), status.models.end(), cfg_.model) != status.models.end();
  if (!status.model_available) status.detail = "model '" + cfg_.model + "' is not served here";
  co_return status;
}

}  // namespace pms::llm
