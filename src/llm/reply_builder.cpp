#include "llm/reply_builder.hpp"

namespace pms::llm {

ReplyBuilder::ReplyBuilder(StreamSink& sink)
    : sink_(sink),
      parser_(TaggedTextParser::Handler{
          [this](std::string_view t) {
            result_.content.append(t);
            sink_.on_content(t);
          },
          [this](std::string_view t) { thinking(t); },
          [this](std::string_view body) {
            // Text tool calls look like {"name": "...", "arguments": {...}}.
            ToolCall call;
            std::string err;
            auto v = try_parse(body, &err);
            if (v && v->is_object()) {
              call.name = std::string(string_member(v->get_object(), "name").value_or(""));
              auto args = v->get_object().find("arguments");
              if (args == v->get_object().end()) args = v->get_object().find("parameters");
              if (args != v->get_object().end() && args->value().is_string()) {
                set_arguments_from_text(call, args->value().get_string());
              } else {
                call.arguments = args == v->get_object().end() ? json::value(json::object()) : args->value();
              }
            } else {
              call.arguments = json::object();
              call.arguments_error = "the tool call is not valid JSON (" + (v ? std::string("not an object") : err) +
                                     "): " + std::string(truncate_utf8(body, 200));
            }
            tool_call(std::move(call));
          }}) {}

void ReplyBuilder::content(std::string_view delta) { parser_.feed(delta); }

void ReplyBuilder::thinking(std::string_view delta) {
  if (delta.empty()) return;
  result_.thinking.append(delta);
  sink_.on_thinking(delta);
}

void ReplyBuilder::tool_call(ToolCall call) {
  if (call.id.empty()) call.id = "call_" + std::to_string(result_.tool_calls.size() + 1);
  result_.tool_calls.push_back(std::move(call));
}

ChatResult ReplyBuilder::finish() {
  parser_.finish();
  return std::move(result_);
}

}  // namespace pms::llm
