#include "server/protocol.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::server;

namespace {

ProtocolError error_of(std::string_view frame, std::size_t max = 1000) {
  auto r = parse_client_message(frame, max);
  EXPECT_TRUE(std::holds_alternative<ProtocolError>(r)) << frame;
  return std::holds_alternative<ProtocolError>(r) ? std::get<ProtocolError>(r) : ProtocolError{};
}

ClientMessage message_of(std::string_view frame) {
  auto r = parse_client_message(frame, 1000);
  EXPECT_TRUE(std::holds_alternative<ClientMessage>(r)) << frame;
  return std::holds_alternative<ClientMessage>(r) ? std::get<ClientMessage>(r) : ClientMessage{};
}

TEST(Protocol, ParsesTheThreeClientMessages) {
  auto m = message_of(R"({"type":"message","message":"How many bugs?","conversation_id":"abc-1"})");
  EXPECT_EQ(m.type, ClientMessage::Type::message);
  EXPECT_EQ(m.text, "How many bugs?");
  EXPECT_EQ(m.conversation_id, "abc-1");
  EXPECT_EQ(message_of(R"({"type":"message","message":"hi","conversation_id":null})").conversation_id, "");
  EXPECT_EQ(message_of(R"({"type":"ping"})").type, ClientMessage::Type::ping);
  EXPECT_EQ(message_of(R"({"type":"cancel"})").type, ClientMessage::Type::cancel);
}

TEST(Protocol, EveryBadInputHasACode) {
  EXPECT_EQ(error_of("{not json").code, "invalid_json");
  EXPECT_EQ(error_of("[1,2]").code, "invalid_message");
  EXPECT_EQ(error_of(R"({"message":"no type"})").code, "invalid_message");
  EXPECT_EQ(error_of(R"({"type":"dance"})").code, "unknown_type");
  EXPECT_EQ(error_of(R"({"type":"message"})").code, "invalid_message");
  EXPECT_EQ(error_of(R"({"type":"message","message":"   "})").code, "invalid_message");
  EXPECT_EQ(error_of(R"({"type":"message","message":"x","conversation_id":"a b"})").code, "invalid_message");
  EXPECT_EQ(error_of(R"({"type":"message","message":"x","conversation_id":5})").code, "invalid_message");
  EXPECT_EQ(error_of(std::string(2000, ' ')).code, "message_too_large");
}

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

}  // namespace
