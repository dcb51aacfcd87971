#include "llm/llm_error.hpp"
#include "llm/ndjson_splitter.hpp"
#include "llm/ollama_wire.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::llm;

namespace {

struct Recorder : StreamSink {
  std::string content, thinking;
  void on_content(std::string_view t) override { content += t; }
  void on_thinking(std::string_view t) override { thinking += t; }
};

// An Ollama stream as /api/chat sends it: native thinking, content tokens, then the final line.
const std::string kStream =
    R"({"model":"qwen3:0.6b","created_at":"2025-11-08T07:33:16Z","message":{"role":"assistant","content":"","thinking":"Let me "},"done":false})" "\n"
    R"({"model":"qwen3:0.6b","created_at":"2025-11-08T07:33:16Z","message":{"role":"assistant","content":"","thinking":"count."},"done":false})" "\n"
    R"({"model":"qwen3:0.6b","created_at":"2025-11-08T07:33:16Z","message":{"role":"assistant","content":"There are "},"done":false})" "\n"
    R"({"model":"qwen3:0.6b","created_at":"2025-11-08T07:33:16Z","message":{"role":"assistant","content":"12 bugs."},"done":false})" "\n"
    R"({"model":"qwen3:0.6b","created_at":"2025-11-08T07:33:17Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":123,"eval_count":5})" "\n";

TEST(OllamaWire, DecodesTheSameReplyWhereverTheStreamIsCut) {
  for (std::size_t cut = 0; cut <= kStream.size(); ++cut) {
    Recorder sink;
    ReplyBuilder reply(sink);
    NdjsonSplitter lines;
    bool done = false;
    auto on_line = [&](std::string_view l) { done = apply_ollama_line(l, reply) || done; };
    lines.feed(std::string_view(kStream).substr(0, cut), on_line);
    lines.feed(std::string_view(kStream).substr(cut), on_line);
    lines.finish(on_line);
    auto r = reply.finish();
    ASSERT_TRUE(done);
    EXPECT_EQ(r.content, "There are 12 bugs.");
    EXPECT_EQ(sink.content, r.content);
    EXPECT_EQ(r.thinking, "Let me count.");
    EXPECT_EQ(r.completion_tokens, 5);
    EXPECT_EQ(r.finish_reason, "stop");
  }
}

TEST(OllamaWire, NativeToolCalls) {
  Recorder sink;
  ReplyBuilder reply(sink);
  apply_ollama_line(R"({"message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"count_documents","arguments":{"collection":"workItem","filter":{"priority":"HIGH"}}}}]},"done":false})", reply);
  apply_ollama_line(R"({"message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"})", reply);
  auto r = reply.finish();
  ASSERT_EQ(r.tool_calls.size(), 1u);
  EXPECT_EQ(r.tool_calls[0].name, "count_documents");
  EXPECT_EQ(r.tool_calls[0].arguments, json::parse(R"({"collection":"workItem","filter":{"priority":"HIGH"}})"));
  EXPECT_FALSE(r.tool_calls[0].id.empty());
}

TEST(OllamaWire, TextToolCallsAndThinkTagsInContent) {
  Recorder sink;
  ReplyBuilder reply(sink);
  for (auto piece : {"<thi", "nk>plan</th", "ink>\n\n<tool_", "call>{\"name\": \"find_documents\", \"arguments\": {\"collection\": \"project\"}}</tool_call>"}) {
    json::object line{{"message", json::object{{"role", "assistant"}, {"content", piece}}}, {"done", false}};
    apply_ollama_line(dump(line), reply);
  }
  auto r = reply.finish();
  EXPECT_EQ(r.content, "");
  EXPECT_EQ(sink.content, "");
  EXPECT_EQ(r.thinking, "plan");
  ASSERT_EQ(r.tool_calls.size(), 1u);
  EXPECT_EQ(r.tool_calls[0].name, "find_documents");
  EXPECT_EQ(r.tool_calls[0].arguments, json::parse(R"({"collection":"project"})"));
}

TEST(OllamaWire, ErrorsAreClear) {
  Recorder sink;
  ReplyBuilder reply(sink);
  EXPECT_THROW(apply_ollama_line(R"({"error":"model crashed"})", reply), LlmError);
  EXPECT_THROW(apply_ollama_line("not json", reply), LlmError);
  EXPECT_EQ(ollama_error_message(R"({"error":"model \"qwen3:0.6b\" not found, try pulling it first"})"),
            "model \"qwen3:0.6b\" not found, try pulling it first");
}

TEST(OllamaWire, RequestCarriesTheSeedOptions) {
  LlmConfig cfg;
  ChatRequest req;
  req.messages.push_back({"user", "hi", {}, {}, {}});
  req.messages.push_back({"assistant", "", {ToolCall{"c1", "list_collections", json::object{}, {}}}, {}, {}});
  req.messages.push_back({"tool", "{}", {}, "list_collections", "c1"});
  req.tools = std::make_shared<ToolSet>(std::vector<ToolSpec>{{"list_collections", "List.", json::object{{"type", "object"}}}});
  auto body = json::parse(ollama_chat_body(req, cfg)).as_object();
  EXPECT_EQ(body.at("model"), "qwen3:0.6b");
  EXPECT_EQ(body.at("stream"), true);
  EXPECT_EQ(body.at("think"), false);
  EXPECT_EQ(body.at("options").at("num_ctx"), 2048);
  EXPECT_EQ(body.at("options").at("num_predict"), 256);
  EXPECT_EQ(body.at("options").at("num_thread"), 8);
  EXPECT_EQ(body.at("options").at("temperature"), 0.3);
  EXPECT_EQ(body.at("tools").at(0).at("function").at("name"), "list_collections");
  EXPECT_EQ(body.at("messages").at(1).at("tool_calls").at(0).at("function").at("name"), "list_collections");
  EXPECT_EQ(body.at("messages").at(2).at("tool_name"), "list_collections");
  EXPECT_FALSE(body.contains("format"));  // free text unless a schema is asked for
}

TEST(OllamaWire, ResponseSchemaIsSentAsFormat) {
  ChatRequest req;
  req.messages.push_back({"user", "how many urgent bugs?", {}, {}, {}});
  json::object schema{{"type", "object"}, {"properties", json::object{{"priority", json::object{{"enum", json::array{"URGENT", "HIGH"}}}}}}};
  req.response_schema = ResponseSchema{"query_plan", schema};
  auto body = json::parse(ollama_chat_body(req, LlmConfig{})).as_object();
  ASSERT_TRUE(body.contains("format"));
  EXPECT_EQ(body.at("format"), schema);  // the schema itself, as Ollama's structured outputs take it
  EXPECT_FALSE(body.contains("response_format"));
}

TEST(ChatBody, ToolsAreWrittenAsTheWiresExpectWithoutChangingTheBody) {
  std::vector<ToolSpec> tools{{"count_documents", "Count \"matching\" documents.",
                               json::object{{"type", "object"}, {"properties", json::object{{"filter", json::object{{"type", "object"}}}}}}},
                              {"list_collections", "", json::object{}}};
  json::object body{{"model", "m"}, {"messages", json::array{json::object{{"role", "user"}, {"content", "hi"}}}}};
  ToolSet set(tools);
  auto written = json::parse(with_tools(body, &set)).as_object();
  json::array expected;
  for (auto& t : tools)
    expected.push_back(json::object{{"type", "function"},
                                    {"function", json::object{{"name", t.name}, {"description", t.description}, {"parameters", t.parameters}}}});
  EXPECT_EQ(written.at("tools"), expected);
  written.erase("tools");
  EXPECT_EQ(written, body);
  ToolSet none({});
  EXPECT_EQ(json::parse(with_tools(body, nullptr)), body);  // no tools: no "tools" key
  EXPECT_EQ(json::parse(with_tools(body, &none)), body);
  EXPECT_EQ(json::parse(with_tools(json::object{}, &set)).as_object().size(), 1u);
}

}  // namespace
