#include "llm/reply_builder.hpp"

#include "llm/llm_error.hpp"

namespace pms::llm {

namespace {
// Hands `text` to `deliver` in pieces of at most kMaxForwardedDeltaBytes, never inside a UTF-8
// sequence, so no single client event can outgrow the send queue.
template <class Deliver>
void in_pieces(std::string_view text, Deliver&& deliver) {
  while (!text.empty()) {
    auto piece = truncate_utf8(text, kMaxForwardedDeltaBytes);
    if (piece.empty()) piece = text.substr(0, kMaxForwardedDeltaBytes);  // no lead byte to cut at: not UTF-8 anyway
    deliver(piece);
    text.remove_prefix(piece.size());
  }
}
}  // namespace

ReplyBuilder::ReplyBuilder(StreamSink& sink, std::size_t max_reply)
    : sink_(sink),
      parser_(TaggedTextParser::Handler{
          [this](std::string_view t) { forward_content(t); },
          [this](std::string_view t) { forward_thinking(t); },
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
                                     "): " + excerpt(body, 200);
            }
            tool_call(std::move(call));
          }}),
      max_reply_(max_reply) {}

void ReplyBuilder::account(std::size_t bytes) {
  used_ += bytes;
  if (used_ > max_reply_)
    throw LlmError(LlmErrc::stream_error, "the LLM's reply grew beyond " + describe_size(max_reply_) + ": the reply was stopped");
}

// Text tool calls and <think> text arrive as content: counted here, once.
void ReplyBuilder::content(std::string_view delta) {
  account(delta.size());
  parser_.feed(delta);
}

void ReplyBuilder::thinking(std::string_view delta) {
  account(delta.size());
  forward_thinking(delta);
}

void ReplyBuilder::forward_content(std::string_view text) {
  result_.content.append(text);
  in_pieces(text, [this](std::string_view p) { sink_.on_content(p); });
}

void ReplyBuilder::forward_thinking(std::string_view text) {
  if (text.empty()) return;
  result_.thinking.append(text);
  in_pieces(text, [this](std::string_view p) { sink_.on_thinking(p); });
}

void ReplyBuilder::tool_call(ToolCall call) {
  if (call.name.size() > kMaxToolNameBytes) call.name = excerpt(call.name, kMaxToolNameBytes);
  if (call.id.size() > kMaxToolNameBytes) call.id = excerpt(call.id, kMaxToolNameBytes);
  if (call.arguments_error.empty() && dump(call.arguments).size() > kMaxToolArgumentsBytes) {
    call.arguments = json::object();
    call.arguments_error = "the arguments are longer than " + describe_size(kMaxToolArgumentsBytes) + ", more than any tool takes";
  } else if (call.arguments_error.empty() && json_depth(call.arguments, kMaxJsonDepth) > kMaxJsonDepth) {
    // As deep as arguments sent as text may be (set_arguments_from_text), whatever the wire.
    call.arguments = json::object();
    call.arguments_error = "the arguments nest more than " + std::to_string(kMaxJsonDepth) + " levels deep";
  }
  if (call.id.empty()) call.id = "call_" + std::to_string(result_.tool_calls.size() + 1);
  result_.tool_calls.push_back(std::move(call));
}

ChatResult ReplyBuilder::finish() {
  parser_.finish();
  return std::move(result_);
}

}  // namespace pms::llm
