#include "server/chat_endpoint.hpp"

#include "core/ids.hpp"
#include "server/protocol.hpp"

#include <boost/beast/http/field.hpp>
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
  void on_tool_start(std::string_view, const json::value&, const json::object&) override {}
  void on_tool_end(std::string_view, std::string_view, double, bool) override {}
};

// The turn's error, with the conversation it belongs to (what the turn did before is saved there).
HttpResponse turn_error(const HttpRequest& req, const ClientError& error, const std::string& conversation_id) {
  auto res = error_response(req, error, json::object{{"conversation_id", conversation_id}});
  if (error.http_status == 503) res.set(http::field::retry_after, "5");
  return res;
}

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
  TurnRequest turn;
  if (auto* cid = o.if_contains("conversation_id"); cid && !cid->is_null()) {
    if (!cid->is_string() || !valid_conversation_id(cid->get_string()))
      co_return error_response(req, http::status::bad_request, "invalid_message", "conversation_id must be 1-128 characters of [A-Za-z0-9._:-]");
    turn.input.conversation_id = std::string(cid->get_string());
  } else {
    turn.input.conversation_id = random_uuid();
  }
  if (auto* mode = o.if_contains("mode"); mode && !mode->is_null()) {
    if (!mode->is_string() || !valid_answer_mode(mode->get_string()))
      co_return error_response(req, http::status::bad_request, "invalid_message", "\"mode\" must be \"auto\", \"model\" or \"planner\"");
    turn.input.mode = std::string(mode->get_string());
  }
  if (auto wrong = read_project_ref(o, turn.input.project); !wrong.empty())
    co_return error_response(req, http::status::bad_request, "invalid_message", wrong);
  turn.input.message = sanitize_utf8(*message);
  turn.input.tenant = std::move(scope.tenant);
  turn.cancel = scope.disconnected;  // a client that hangs up stops its answer and frees its LLM place
  SilentObserver observer;
  auto result = co_await app.turns().run(std::move(turn), observer);

  // A forced shutdown stops the answer: 503, its beginning saved in the conversation. A client that
  // went away reads nothing; 499 is for the log.
  HttpResponse res;
  auto& cid = result.outcome.conversation_id;
  if (result.error) res = turn_error(req, *result.error, cid);
  else if (result.stopped_by_shutdown) res = turn_error(req, shutting_down_error(), cid);
  else if (result.outcome.cancelled) res = turn_error(req, cancelled_error(), cid);
  else
    res = json_response(req, http::status::ok,
                        answer_body(result.outcome));
  if (app.sessions.shutting_down()) res.keep_alive(false);  // the connection closes after this answer
  co_return res;
}

}  // namespace pms::server
