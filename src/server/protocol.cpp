#include "server/protocol.hpp"

#include "core/time_util.hpp"

#include <cmath>

namespace pms::server {

std::optional<json::object> page(const agent::TurnOutcome& o) {
  if (!o.page) return std::nullopt;
  json::object p{{"offset", o.page->offset}, {"shown", o.page->shown}, {"total", o.page->total}};
  if (o.page->remaining() > 0) p["next"] = "show more";
  return p;
}

json::object answer_body(const agent::TurnOutcome& o) {
  json::object body{{"response", o.answer}, {"conversation_id", o.conversation_id}, {"answered_by", o.answered_by},
                    {"timestamp", now_iso8601()}};
  if (auto p = page(o)) body["page"] = std::move(*p);
  if (o.chart) body["chart"] = *o.chart;
  if (!o.suggestions.empty()) body["suggestions"] = json::array(o.suggestions.begin(), o.suggestions.end());
  if (!o.entities.empty()) body["entities"] = o.entities;
  if (o.project) body["project"] = *o.project;
  return body;
}

namespace event {
namespace {
std::string make(std::string_view type, json::object fields = {}) {
  json::object o;
  o["type"] = type;
  for (auto& kv : fields) o[kv.key()] = std::move(kv.value());
  o["timestamp"] = now_iso8601();
  return dump(o);
}

double round3(double x) { return std::round(x * 1000.0) / 1000.0; }
}  // namespace

std::string connected(std::string_view client_id) {
  return make("connected", {{"client_id", client_id}, {"version", PMS_VERSION}});
}
std::string user_message(std::string_view content, std::string_view conversation_id) {
  return make("user_message", {{"content", content}, {"conversation_id", conversation_id}});
}
std::string queued(int position) { return make("queued", {{"position", position}}); }
std::string llm_start(int step) { return make("llm_start", {{"step", step}}); }
// The most frequent event by far, written without building an object: the bytes make() writes.
std::string token(std::string_view content) {
  std::string out = R"({"type":"token","content":)";
  out += json::serialize(json::string_view(content.data(), content.size()));
  out += R"(,"timestamp":")";
  out += now_iso8601();
  out += "\"}";
  return out;
}
std::string thinking(std::string_view content) { return make("thinking", {{"content", content}}); }
std::string llm_end(double elapsed_s) { return make("llm_end", {{"elapsed_time", round3(elapsed_s)}}); }
std::string tool_start(std::string_view tool, const json::value& arguments, const json::object& names) {
  json::object f{{"tool_name", tool}, {"input", dump(arguments)}, {"arguments", arguments}};
  if (!names.empty()) f["names"] = names;
  return make("tool_start", std::move(f));
}
std::string tool_end(std::string_view tool, std::string_view output, double elapsed_ms, bool ok) {
  return make("tool_end", {{"tool_name", tool}, {"output", output}, {"elapsed_ms", round3(elapsed_ms)}, {"ok", ok}});
}
std::string complete(const agent::TurnOutcome& o) {
  json::object f{{"conversation_id", o.conversation_id},
                 {"first_token_ms", o.first_token_ms ? json::value(round3(*o.first_token_ms)) : json::value(nullptr)},
                 {"tokens", o.tokens},
                 {"tokens_per_second", round3(o.tokens_per_second)},
                 {"elapsed_ms", round3(o.elapsed_ms)},
                 {"llm_calls", o.llm_calls},
                 {"cancelled", o.cancelled},
                 {"answered_by", o.answered_by},
                 {"response", o.answer}};
  if (auto p = page(o)) f["page"] = std::move(*p);
  if (o.chart) f["chart"] = *o.chart;
  if (!o.suggestions.empty()) f["suggestions"] = json::array(o.suggestions.begin(), o.suggestions.end());
  if (!o.entities.empty()) f["entities"] = o.entities;
  if (o.project) f["project"] = *o.project;
  return make("complete", std::move(f));
}
std::string error(std::string_view code, std::string_view message, std::string_view conversation_id) {
  json::object f{{"code", code}, {"message", message}};
  if (!conversation_id.empty()) f["conversation_id"] = conversation_id;
  return make("error", std::move(f));
}
std::string pong() { return make("pong"); }
}  // namespace event

}  // namespace pms::server
