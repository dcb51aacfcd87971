#include "llm/ollama_wire.hpp"

#include "llm/llm_error.hpp"

namespace pms::llm {

std::string ollama_chat_body(const ChatRequest& req, const LlmConfig& cfg) {
  json::array messages;
  for (auto& m : req.messages) {
    json::object o{{"role", m.role}, {"content", m.content}};
    if (!m.tool_calls.empty()) {
      json::array calls;
      for (auto& c : m.tool_calls)
        calls.push_back(json::object{{"function", json::object{{"name", c.name}, {"arguments", c.arguments}}}});
      o["tool_calls"] = std::move(calls);
    }
    if (!m.tool_name.empty()) o["tool_name"] = m.tool_name;
    messages.push_back(std::move(o));
  }
  json::object body{{"model", cfg.model},
                    {"messages", std::move(messages)},
                    {"stream", true},
                    {"think", cfg.think},
                    {"keep_alive", cfg.keep_alive},
                    {"options", json::object{{"num_ctx", cfg.num_ctx},
                                             {"num_predict", cfg.num_predict},
                                             {"num_thread", cfg.num_thread},
                                             {"temperature", cfg.temperature}}}};
  if (req.response_schema) body["format"] = req.response_schema->schema;
  return with_tools(body, req.tools.get());
}

bool apply_ollama_line(std::string_view line, ReplyBuilder& reply) {
  std::string err;
  // A line wraps a tool call's arguments in 5 levels: they may nest as deeply as arguments sent as
  // text, and ReplyBuilder refuses deeper ones to the model rather than failing the stream.
  auto v = try_parse(line, &err, kMaxJsonDepth + 8);
  if (!v || !v->is_object())
    throw LlmError(LlmErrc::stream_error, "the LLM server sent a line that is not JSON (" + err + "): " + excerpt(line, 200));
  auto& o = v->get_object();
  if (auto e = string_member(o, "error")) throw LlmError(LlmErrc::stream_error, "the LLM server reported: " + std::string(*e));
  if (auto m = o.find("message"); m != o.end() && m->value().is_object()) {
    auto& msg = m->value().get_object();
    if (auto t = string_member(msg, "thinking")) reply.thinking(*t);
    if (auto c = string_member(msg, "content")) reply.content(*c);
    if (auto tc = msg.find("tool_calls"); tc != msg.end() && tc->value().is_array()) {
      reply.account(line.size());  // the calls were read from this line
      for (auto& call : tc->value().get_array()) {
        auto* fn = call.is_object() ? call.get_object().if_contains("function") : nullptr;
        if (!fn || !fn->is_object()) continue;
        ToolCall c;
        c.name = std::string(string_member(fn->get_object(), "name").value_or(""));
        auto* args = fn->get_object().if_contains("arguments");
        if (args && args->is_string()) set_arguments_from_text(c, args->get_string());
        else c.arguments = args && args->is_object() ? *args : json::value(json::object());
        if (auto id = string_member(call.get_object(), "id")) c.id = std::string(*id);
        reply.tool_call(std::move(c));
      }
    }
  }
  bool done = o.contains("done") && o.at("done").is_bool() && o.at("done").get_bool();
  if (done) {
    if (auto* n = o.if_contains("eval_count"); n && n->is_int64()) reply.completion_tokens(n->get_int64());
    reply.finish_reason(std::string(string_member(o, "done_reason").value_or("stop")));
  }
  return done;
}

std::string ollama_error_message(std::string_view body) {
  if (auto v = try_parse(body); v && v->is_object()) {
    if (auto e = string_member(v->get_object(), "error")) return std::string(*e);
  }
  return excerpt(body, 500);
}

}  // namespace pms::llm
