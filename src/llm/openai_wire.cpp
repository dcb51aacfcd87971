#include "llm/openai_wire.hpp"

#include "llm/llm_error.hpp"

namespace pms::llm {

std::string openai_chat_body(const ChatRequest& req, const LlmConfig& cfg) {
  json::array messages;
  for (auto& m : req.messages) {
    json::object o{{"role", m.role}, {"content", m.content}};
    if (!m.tool_calls.empty()) {
      json::array calls;
      for (auto& c : m.tool_calls)
        calls.push_back(json::object{{"id", c.id}, {"type", "function"},
                                     {"function", json::object{{"name", c.name}, {"arguments", dump(c.arguments)}}}});
      o["tool_calls"] = std::move(calls);
    }
    if (m.role == "tool") o["tool_call_id"] = m.tool_call_id;
    messages.push_back(std::move(o));
  }
  json::object body{{"model", cfg.model},
                    {"messages", std::move(messages)},
                    {"stream", true},
                    {"stream_options", json::object{{"include_usage", true}}},
                    {"temperature", cfg.temperature},
                    {"max_tokens", cfg.num_predict}};
  if (req.response_schema)
    body["response_format"] = json::object{
        {"type", "json_schema"}, {"json_schema", json::object{{"name", req.response_schema->name}, {"strict", true}, {"schema", req.response_schema->schema}}}};
  return with_tools(body, req.tools.get());
}

std::string openai_error_message(std::string_view body) {
  if (auto v = try_parse(body); v && v->is_object()) {
    auto* e = v->get_object().if_contains("error");
    if (e && e->is_object()) {
      if (auto m = string_member(e->get_object(), "message")) return std::string(*m);
    }
    if (e && e->is_string()) return std::string(e->get_string());
  }
  return excerpt(body, 500);
}

bool OpenAiStreamDecoder::apply(const SseEvent& event) {
  std::string_view data = event.data;
  if (data == "[DONE]") return true;
  std::string err;
  auto v = try_parse(data, &err);
  if (!v || !v->is_object())
    throw LlmError(LlmErrc::stream_error, "the LLM server sent an event that is not JSON (" + err + "): " + excerpt(data, 200));
  auto& o = v->get_object();
  if (o.contains("error") || event.event == "error") throw LlmError(LlmErrc::stream_error, "the LLM server reported: " + openai_error_message(data));
  if (auto* usage = o.if_contains("usage"); usage && usage->is_object()) {
    if (auto* n = usage->get_object().if_contains("completion_tokens"); n && n->is_int64()) reply_.completion_tokens(n->get_int64());
  }
  auto* choices = o.if_contains("choices");
  if (!choices || !choices->is_array()) return false;
  for (auto& ch : choices->get_array()) {
    if (!ch.is_object()) continue;
    auto& choice = ch.get_object();
    if (auto fr = string_member(choice, "finish_reason")) reply_.finish_reason(std::string(*fr));
    auto* delta = choice.if_contains("delta");
    if (!delta || !delta->is_object()) continue;
    auto& d = delta->get_object();
    // llama.cpp and vLLM stream reasoning as reasoning_content; some servers call it reasoning.
    if (auto r = string_member(d, "reasoning_content")) reply_.thinking(*r);
    else if (auto r2 = string_member(d, "reasoning")) reply_.thinking(*r2);
    if (auto c = string_member(d, "content")) reply_.content(*c);
    if (auto* tcs = d.if_contains("tool_calls"); tcs && tcs->is_array()) {
      for (auto& tc : tcs->get_array()) {
        if (!tc.is_object()) continue;
        auto& t = tc.get_object();
        std::int64_t index = static_cast<std::int64_t>(calls_.size());
        if (auto* i = t.if_contains("index"); i && i->is_int64()) index = i->get_int64();
        auto [it, added] = calls_.try_emplace(index);
        auto& call = it->second;
        if (added) reply_.account(sizeof(PartialCall));  // a stream of new indexes must not grow the map freely
        if (auto id = string_member(t, "id")) {
          reply_.account(id->size());
          call.id = std::string(*id);
        }
        if (auto* fn = t.if_contains("function"); fn && fn->is_object()) {
          if (auto name = string_member(fn->get_object(), "name")) {
            reply_.account(name->size());
            call.name += *name;
          }
          if (auto args = string_member(fn->get_object(), "arguments")) {
            reply_.account(args->size());
            call.arguments += *args;
          }
        }
      }
    }
  }
  return false;
}

void OpenAiStreamDecoder::finish() {
  for (auto& [index, partial] : calls_) {
    ToolCall call;
    call.id = partial.id;
    call.name = partial.name;
    set_arguments_from_text(call, partial.arguments);
    reply_.tool_call(std::move(call));
  }
  calls_.clear();
}

}  // namespace pms::llm
