#include "server/chat_endpoint.hpp"

#include "core/ids.hpp"
#include "server/protocol.hpp"

#include <boost/beast/http/status.hpp>

namespace pms::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;

namespace {

// Collects nothing: /api/chat returns the answer from the outcome.
class SilentObserver : public agent::TurnObserver {
 public:
  void on_llm_start(int) override {}
  void on_token(std::string_view) override {}
  void on_thinking(std::string_view) override {}
  void on_llm_end(double) override {}
  void on_tool_start(std::string_view, const json::value&) override {}
  void on_tool_end(std::string_view, std::string_view, double, bool) override {}
};

}  // namespace

asio::awaitable<HttpResponse> post_chat(AppContext& app, const HttpRequest& req, RequestScope scope) {
  std::string err;
  auto body = try_parse(req.body(), &err);
  if (!body || !body->is_object())
    co_return error_response(req, http::status::bad_request, "invalid_json", "the body must be a JSON object: {\"message\": \"...\"}");
  auto& o = body->get_object();
  auto message = string_member(o, "message");
  if (!message || message->find_first_not_of(" \t\r\n") == std::string_view::npos)
    co_return error_response(req, http::status::bad_request, "invalid_message", "\"message\" must be a non-empty string");
  std::string conversation_id;
  if (auto* cid = o.if_contains("conversation_id"); cid && !cid->is_null()) {
    if (!cid->is_string() || !valid_conversation_id(cid->get_string()))
      co_return error_response(req, http::status::bad_request, "invalid_message", "conversation_id must be 1-128 characters of [A-Za-z0-9._:-]");
    conversation_id = std::string(cid->get_string());
  } else {
    conversation_id = random_uuid();
  }
  SilentObserver observer;
  ++app.running_turns;
  struct Done {
    AppContext& app;
    ~Done() { --app.running_turns; }
  } done{app};
  std::exception_ptr failure;
  try {
    auto cancel = scope.disconnected;
    std::function<void(int)> ignore_position = [](int) {};  // named: see websocket_session.cpp
    auto slot = co_await app.turn_gate().enter(*cancel, std::move(ignore_position));
    auto outcome = co_await app.agent().run_turn(conversation_id, sanitize_utf8(*message), observer, cancel, scope.tenant);
    co_return json_response(req, http::status::ok,
                            json::object{{"response", outcome.answer}, {"conversation_id", outcome.conversation_id},
                                         {"answered_by", outcome.answered_by}, {"timestamp", now_iso8601()}});
  } catch (...) {
    failure = std::current_exception();
  }
  co_return error_response(req, client_error_from(failure, "POST /api/chat"));
}

}  // namespace pms::server
