#include "server/protocol.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::server;

namespace {

TEST(Protocol, EventsCarryTypeAndIsoTimestamp) {
  agent::TurnOutcome o;
  o.conversation_id = "c";
  o.first_token_ms = 12.3456;
  o.tokens = 7;
  o.tokens_per_second = 20;
  o.elapsed_ms = 99;
  o.answer = "hi";
  for (auto& ev : {event::connected("id"), event::user_message("q", "c"), event::llm_start(1), event::token("t"),
                   event::thinking("th"), event::llm_end(0.5), event::tool_start("count_documents", json::object{{"a", 1}}),
                   event::tool_end("count_documents", "{}", 1.5, true), event::complete(o), event::error("busy", "m"), event::pong()}) {
    auto v = json::parse(ev).as_object();
    ASSERT_TRUE(v.contains("type"));
    auto ts = std::string(v.at("timestamp").as_string());
    EXPECT_EQ(ts.size(), 24u);
    EXPECT_EQ(ts.back(), 'Z');
  }
  auto c = json::parse(event::complete(o)).as_object();
  EXPECT_EQ(c.at("conversation_id"), "c");
  EXPECT_EQ(c.at("first_token_ms"), 12.346);
  EXPECT_EQ(c.at("tokens"), 7);
  auto t = json::parse(event::tool_start("count_documents", json::object{{"a", 1}})).as_object();
  EXPECT_EQ(t.at("tool_name"), "count_documents");
  EXPECT_EQ(t.at("input"), "{\"a\":1}");
  EXPECT_EQ(t.at("arguments").at("a"), 1);
  o.first_token_ms.reset();
  EXPECT_TRUE(json::parse(event::complete(o)).at("first_token_ms").is_null());
}

TEST(Protocol, TokenEventsKeepAnyTextExactly) {
  // Written by hand rather than through a JSON object: quotes, backslashes, control characters,
  // multi-byte UTF-8 and an empty piece must come back as they were.
  for (std::string text : {std::string("plain "), std::string("\"quoted\" \\ back\nslash\t"), std::string("\x01\x1f ctrl"),
                           std::string("caf\xc3\xa9 \xe2\x9c\x93"), std::string()}) {
    auto v = json::parse(event::token(text)).as_object();
    EXPECT_EQ(v.size(), 3u);
    EXPECT_EQ(v.at("type"), "token");
    EXPECT_EQ(v.at("content").as_string(), text);
    EXPECT_EQ(v.at("timestamp").as_string().size(), 24u);
  }
}

}  // namespace
