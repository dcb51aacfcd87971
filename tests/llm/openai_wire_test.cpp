#include "llm/llm_error.hpp"
#include "llm/openai_wire.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::llm;

namespace {

struct Recorder : StreamSink {
  std::string content, thinking;
  void on_content(std::string_view t) override { content += t; }
  void on_thinking(std::string_view t) override { thinking += t; }
};

// A llama.cpp-style stream: reasoning_content, a tool call whose arguments arrive in fragments,
// usage, then [DONE].
const std::string kStream =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"Need a count.\"}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_abc\",\"type\":\"function\",\"function\":{\"name\":\"count_documents\",\"arguments\":\"\"}}]}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"collection\\\": \\\"work\"}}]}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"Item\\\"}\"}}]}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":9,\"total_tokens\":59}}\n\n"
    "data: [DONE]\n\n";

TEST(OpenAiWire, AssemblesToolCallFragmentsWhereverTheStreamIsCut) {
  for (std::size_t cut = 0; cut <= kStream.size(); ++cut) {
    Recorder sink;
    ReplyBuilder reply(sink);
    OpenAiStreamDecoder decoder(reply);
    SseParser sse;
    bool done = false;
    auto on = [&](const SseEvent& e) { done = decoder.apply(e) || done; };
    sse.feed(std::string_view(kStream).substr(0, cut), on);
    sse.feed(std::string_view(kStream).substr(cut), on);
    decoder.finish();
    auto r = reply.finish();
    ASSERT_TRUE(done);
    EXPECT_EQ(r.thinking, "Need a count.");
    ASSERT_EQ(r.tool_calls.size(), 1u);
    EXPECT_EQ(r.tool_calls[0].id, "call_abc");
    EXPECT_EQ(r.tool_calls[0].name, "count_documents");
    EXPECT_EQ(r.tool_calls[0].arguments, json::parse(R"({"collection": "workItem"})"));
    EXPECT_EQ(r.completion_tokens, 9);
    EXPECT_EQ(r.finish_reason, "tool_calls");
  }
}

TEST(OpenAiWire, ContentAndBrokenArguments) {
  Recorder sink;
  ReplyBuilder reply(sink);
  OpenAiStreamDecoder decoder(reply);
  decoder.apply({"message", R"({"choices":[{"delta":{"content":"Hello"}}]})", ""});
  decoder.apply({"message", R"({"choices":[{"delta":{"tool_calls":[{"index":0,"id":"x","function":{"name":"find_documents","arguments":"{\"collection\":"}}]}}]})", ""});
  decoder.finish();
  auto r = reply.finish();
  EXPECT_EQ(sink.content, "Hello");
  ASSERT_EQ(r.tool_calls.size(), 1u);
  EXPECT_FALSE(r.tool_calls[0].arguments_error.empty());
}

TEST(OpenAiWire, ErrorEventsAndBodies) {
  Recorder sink;
  ReplyBuilder reply(sink);
  OpenAiStreamDecoder decoder(reply);
  EXPECT_THROW(decoder.apply({"message", R"({"error":{"message":"context too long"}})", ""}), LlmError);
  EXPECT_EQ(openai_error_message(R"({"error":{"message":"model not found","type":"invalid_request_error"}})"), "model not found");
}

TEST(OpenAiWire, RequestBody) {
  LlmConfig cfg;
  cfg.model = "qwen3";
  ChatRequest req;
  req.messages.push_back({"assistant", "", {ToolCall{"c1", "count_documents", json::object{{"collection", "x"}}, {}}}, {}, {}});
  req.messages.push_back({"tool", "{\"count\":1}", {}, "count_documents", "c1"});
  auto body = json::parse(openai_chat_body(req, cfg)).as_object();
  EXPECT_EQ(body.at("stream"), true);
  EXPECT_EQ(body.at("max_tokens"), 256);
  EXPECT_EQ(body.at("messages").at(0).at("tool_calls").at(0).at("function").at("arguments"), "{\"collection\":\"x\"}");
  EXPECT_EQ(body.at("messages").at(1).at("tool_call_id"), "c1");
  EXPECT_FALSE(body.contains("response_format"));  // free text unless a schema is asked for
}

TEST(OpenAiWire, ResponseSchemaIsSentAsJsonSchemaResponseFormat) {
  ChatRequest req;
  req.messages.push_back({"user", "how many urgent bugs?", {}, {}, {}});
  json::object schema{{"type", "object"}, {"properties", json::object{{"priority", json::object{{"enum", json::array{"URGENT", "HIGH"}}}}}}};
  req.response_schema = ResponseSchema{"query_plan", schema};
  auto body = json::parse(openai_chat_body(req, LlmConfig{})).as_object();
  ASSERT_TRUE(body.contains("response_format"));
  auto& format = body.at("response_format");
  EXPECT_EQ(format.at("type"), "json_schema");
  EXPECT_EQ(format.at("json_schema").at("name"), "query_plan");
  EXPECT_EQ(format.at("json_schema").at("strict"), true);
  EXPECT_EQ(format.at("json_schema").at("schema"), schema);
  EXPECT_FALSE(body.contains("format"));
}

}  // namespace
