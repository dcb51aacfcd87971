#include "llm/llm_error.hpp"
#include "llm/ollama_wire.hpp"
#include "llm/openai_wire.hpp"
#include "llm/reply_builder.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::llm;

namespace {

struct Recorder : StreamSink {
  std::vector<std::string> content, thinking;
  void on_content(std::string_view t) override { content.emplace_back(t); }
  void on_thinking(std::string_view t) override { thinking.emplace_back(t); }
};

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (auto& p : parts) out += p;
  return out;
}

// A long delta reaches the sink in pieces no client event can outgrow the send queue with, cut
// between UTF-8 sequences; the reply itself holds the whole text.
TEST(ReplyBuilder, SplitsLongDeltasAtCharacterBoundaries) {
  std::string text;
  while (text.size() < 5000) text += "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // 1, 2, 3 and 4 byte sequences
  Recorder sink;
  ReplyBuilder reply(sink);
  reply.content(text);
  reply.thinking(text);
  auto r = reply.finish();
  EXPECT_EQ(r.content, text);
  EXPECT_EQ(joined(sink.content), text);
  EXPECT_EQ(joined(sink.thinking), text);
  EXPECT_GT(sink.content.size(), 1u);
  for (auto* parts : {&sink.content, &sink.thinking}) {
    for (auto& p : *parts) {
      EXPECT_LE(p.size(), kMaxForwardedDeltaBytes);
      EXPECT_EQ(sanitize_utf8(p), p) << "a piece was cut inside a character";
    }
  }
}

TEST(ReplyBuilder, ShortDeltasPassAsTheyCame) {
  Recorder sink;
  ReplyBuilder reply(sink);
  reply.content("Hello");
  reply.content(" world");
  EXPECT_EQ(sink.content, (std::vector<std::string>{"Hello", " world"}));
}

TEST(ReplyBuilder, BoundsContentAndReasoningTogether) {
  Recorder sink;
  ReplyBuilder reply(sink, 1000);
  reply.content(std::string(600, 'a'));
  try {
    reply.thinking(std::string(600, 'b'));
    FAIL() << "1200 bytes passed a 1000-byte reply bound";
  } catch (const LlmError& e) {
    EXPECT_EQ(e.code(), LlmErrc::stream_error);
    EXPECT_NE(std::string(e.what()).find("grew beyond 1000 bytes"), std::string::npos) << e.what();
  }
}

// Tool calls in text (<tool_call> markup) count as the content they arrive in.
TEST(ReplyBuilder, BoundsTextToolCalls) {
  Recorder sink;
  ReplyBuilder reply(sink, 1000);
  reply.content("<tool_call>{\"name\":\"count_documents\",\"arguments\":{\"filter\":\"");
  EXPECT_THROW(reply.content(std::string(1000, 'x')), LlmError);
  EXPECT_TRUE(sink.content.empty());
}

// An OpenAI-style stream that sends tool-call arguments forever stops at the bound.
TEST(ReplyBuilder, BoundsOpenAiToolCallFragments) {
  Recorder sink;
  ReplyBuilder reply(sink, 64 * 1024);
  OpenAiStreamDecoder decoder(reply);
  std::string fragment(1000, 'x');
  auto event = [&](int index) {
    return SseEvent{"message", R"({"choices":[{"delta":{"tool_calls":[{"index":)" + std::to_string(index) +
                                   R"(,"function":{"name":"f","arguments":")" + fragment + R"("}}]}}]})", ""};
  };
  int sent = 0;
  EXPECT_THROW(
      for (; sent < 1000; ++sent) decoder.apply(event(sent % 3)), LlmError);
  EXPECT_LT(sent, 70);
}

TEST(ReplyBuilder, BoundsOllamaNativeToolCalls) {
  Recorder sink;
  ReplyBuilder reply(sink, 64 * 1024);
  std::string line = R"({"message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":{"q":")" +
                     std::string(1000, 'x') + R"("}}}]},"done":false})";
  int sent = 0;
  EXPECT_THROW(
      for (; sent < 1000; ++sent) apply_ollama_line(line, reply), LlmError);
  EXPECT_LT(sent, 70);
}

// A garbled line is quoted in the error, which reaches a client: as valid UTF-8 only.
TEST(ReplyBuilder, GarbageIsQuotedAsValidUtf8) {
  const std::string garbage = "\xFF\xFE{\x80\xC3(\xED\xA0\x80 not json";
  Recorder sink;
  ReplyBuilder reply(sink);
  OpenAiStreamDecoder decoder(reply);
  for (int wire = 0; wire < 2; ++wire) {
    try {
      if (wire == 0) apply_ollama_line(garbage, reply);
      else decoder.apply(SseEvent{"message", garbage, ""});
      FAIL() << "garbage was accepted";
    } catch (const LlmError& e) {
      std::string what = e.what();
      EXPECT_EQ(sanitize_utf8(what), what) << wire;
      EXPECT_NE(what.find("not json"), std::string::npos) << what;
    }
  }
  EXPECT_EQ(sanitize_utf8(ollama_error_message(garbage)), ollama_error_message(garbage));
  EXPECT_EQ(sanitize_utf8(openai_error_message(garbage)), openai_error_message(garbage));
}

// A call is shown to the client in one event: its arguments, name and id are bounded.
TEST(ReplyBuilder, OversizedToolCallsAreRefusedToTheModel) {
  Recorder sink;
  ReplyBuilder reply(sink);
  reply.tool_call(ToolCall{"", "find_documents", json::object{{"filter", std::string(kMaxToolArgumentsBytes, 'x')}}, ""});
  reply.tool_call(ToolCall{std::string(1000, 'i'), std::string(1000, 'n'), json::object{{"collection", "workItem"}}, ""});
  auto r = reply.finish();
  ASSERT_EQ(r.tool_calls.size(), 2u);
  EXPECT_EQ(r.tool_calls[0].arguments, json::object());
  EXPECT_NE(r.tool_calls[0].arguments_error.find("longer than 64 KiB"), std::string::npos) << r.tool_calls[0].arguments_error;
  EXPECT_EQ(r.tool_calls[1].name.size(), kMaxToolNameBytes);
  EXPECT_EQ(r.tool_calls[1].id.size(), kMaxToolNameBytes);
  EXPECT_TRUE(r.tool_calls[1].arguments_error.empty());
}

// Native (Ollama) arguments may nest as deeply as arguments sent as text, and no deeper: a call
// beyond that is refused to the model, not a broken stream.
TEST(ReplyBuilder, ToolArgumentsNestAsDeeplyOnEveryWire) {
  auto nested = [](std::size_t depth) {
    std::string s = "1";
    for (std::size_t i = 1; i < depth; ++i) s = "{\"a\":" + s + "}";
    return "{\"filter\":" + s + "}";  // `depth` levels in all
  };
  for (std::size_t depth : {kMaxJsonDepth, kMaxJsonDepth + 1}) {
    Recorder sink;
    ReplyBuilder reply(sink);
    apply_ollama_line(R"({"message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":)" + nested(depth) +
                          "}}]},\"done\":false}",
                      reply);
    ToolCall text_call;
    set_arguments_from_text(text_call, nested(depth));
    auto r = reply.finish();
    ASSERT_EQ(r.tool_calls.size(), 1u);
    bool fits = depth <= kMaxJsonDepth;
    EXPECT_EQ(r.tool_calls[0].arguments_error.empty(), fits) << depth << ": " << r.tool_calls[0].arguments_error;
    EXPECT_EQ(text_call.arguments_error.empty(), fits) << depth;
  }
}

}  // namespace
