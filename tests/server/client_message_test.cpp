#include "server/client_message.hpp"

#include <gtest/gtest.h>

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

TEST(ClientMessage, ParsesTheThreeClientMessages) {
  auto m = message_of(R"({"type":"message","message":"How many bugs?","conversation_id":"abc-1"})");
  EXPECT_EQ(m.type, ClientMessage::Type::message);
  EXPECT_EQ(m.text, "How many bugs?");
  EXPECT_EQ(m.conversation_id, "abc-1");
  EXPECT_EQ(message_of(R"({"type":"message","message":"hi","conversation_id":null})").conversation_id, "");
  EXPECT_EQ(message_of(R"({"type":"ping"})").type, ClientMessage::Type::ping);
  EXPECT_EQ(message_of(R"({"type":"cancel"})").type, ClientMessage::Type::cancel);
}

TEST(ClientMessage, AMessageMayBeLimitedToAProject) {
  EXPECT_EQ(message_of(R"({"type":"message","message":"x","project":"FLEET"})").project, "FLEET");
  EXPECT_EQ(message_of(R"({"type":"message","message":"x","project":""})").project, "");
  EXPECT_EQ(message_of(R"({"type":"message","message":"x","project":null})").project, "");
  EXPECT_EQ(error_of(R"({"type":"message","message":"x","project":5})").code, "invalid_message");
  EXPECT_EQ(error_of(R"({"type":"message","message":"x","project":")" + std::string(129, 'A') + "\"}").code, "invalid_message");
}

TEST(ClientMessage, EveryBadInputHasACode) {
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

}  // namespace
