// JSON-RPC 2.0 framing: what is a request, a notification, a response to ignore, or an error.
#include "mcp/jsonrpc.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::mcp;

namespace {

constexpr std::size_t kLimit = 1024;

RpcError error_of(std::string_view text, std::size_t limit = kLimit) {
  auto in = parse_message(text, limit);
  auto* e = std::get_if<RpcError>(&in);
  if (!e) {
    ADD_FAILURE() << "not an error: " << text;
    return {RpcErrc::internal_error, "", nullptr};
  }
  return *e;
}

}  // namespace

TEST(JsonRpc, RequestWithParams) {
  auto in = parse_message(R"({"jsonrpc": "2.0", "id": 7, "method": "tools/list", "params": {"cursor": "x"}})", kLimit);
  auto* req = std::get_if<Request>(&in);
  ASSERT_TRUE(req);
  EXPECT_EQ(req->id, 7);
  EXPECT_FALSE(req->notification);
  EXPECT_EQ(req->method, "tools/list");
  EXPECT_EQ(req->params.at("cursor"), "x");
}

TEST(JsonRpc, StringIdsAndMissingParams) {
  auto in = parse_message(R"({"jsonrpc": "2.0", "id": "a-1", "method": "ping"})", kLimit);
  auto* req = std::get_if<Request>(&in);
  ASSERT_TRUE(req);
  EXPECT_EQ(req->id, "a-1");
  EXPECT_TRUE(req->params.empty());
}

TEST(JsonRpc, NotificationHasNoId) {
  auto in = parse_message(R"({"jsonrpc": "2.0", "method": "notifications/initialized"})", kLimit);
  auto* req = std::get_if<Request>(&in);
  ASSERT_TRUE(req);
  EXPECT_TRUE(req->notification);
}

TEST(JsonRpc, ResponsesAndMalformedNotificationsGetNoReply) {
  EXPECT_TRUE(std::holds_alternative<NoReply>(parse_message(R"({"jsonrpc": "2.0", "id": 1, "result": {}})", kLimit)));
  EXPECT_TRUE(std::holds_alternative<NoReply>(
      parse_message(R"({"jsonrpc": "2.0", "id": 1, "error": {"code": -1, "message": "x"}})", kLimit)));
  EXPECT_TRUE(std::holds_alternative<NoReply>(parse_message(R"({"jsonrpc": "2.0", "method": "x", "params": [1]})", kLimit)));
}

TEST(JsonRpc, MalformedJsonIsAParseError) {
  for (auto text : {"{", "{\"jsonrpc\": \"2.0\",", "not json", "{\"a\": 1}}", "\xff\xfe"}) {
    auto e = error_of(text);
    EXPECT_EQ(e.code, RpcErrc::parse_error) << text;
    EXPECT_TRUE(e.id.is_null());
  }
}

TEST(JsonRpc, BatchesAreRefused) {
  auto e = error_of(R"([{"jsonrpc": "2.0", "id": 1, "method": "ping"}, {"jsonrpc": "2.0", "id": 2, "method": "ping"}])");
  EXPECT_EQ(e.code, RpcErrc::invalid_request);
  EXPECT_NE(e.message.find("batch"), std::string::npos);
  EXPECT_TRUE(e.id.is_null());
  EXPECT_EQ(error_of("[]").code, RpcErrc::invalid_request);
}

TEST(JsonRpc, InvalidRequestsKeepTheirIdWhenItCanBeRead) {
  auto e = error_of(R"({"id": 3, "method": "ping"})");
  EXPECT_EQ(e.code, RpcErrc::invalid_request);
  EXPECT_EQ(e.id, 3);
  EXPECT_EQ(error_of(R"({"jsonrpc": "1.0", "id": 3, "method": "ping"})").code, RpcErrc::invalid_request);
  EXPECT_EQ(error_of(R"({"jsonrpc": "2.0", "id": 3})").id, 3);
  EXPECT_EQ(error_of(R"({"jsonrpc": "2.0", "id": 3, "method": 5})").code, RpcErrc::invalid_request);
  EXPECT_EQ(error_of(R"({"jsonrpc": "2.0", "id": 3, "method": ""})").code, RpcErrc::invalid_request);
  auto params = error_of(R"({"jsonrpc": "2.0", "id": 3, "method": "ping", "params": [1]})");
  EXPECT_EQ(params.code, RpcErrc::invalid_params);
  EXPECT_EQ(params.id, 3);
}

TEST(JsonRpc, IdsMustBeStringsOrIntegers) {
  for (auto text : {R"({"jsonrpc": "2.0", "id": 1.5, "method": "ping"})", R"({"jsonrpc": "2.0", "id": {}, "method": "ping"})",
                    R"({"jsonrpc": "2.0", "id": null, "method": "ping"})"}) {
    auto e = error_of(text);
    EXPECT_EQ(e.code, RpcErrc::invalid_request) << text;
    EXPECT_TRUE(e.id.is_null()) << text;
  }
}

TEST(JsonRpc, ScalarsAreInvalidRequests) {
  for (auto text : {"1", "\"ping\"", "null", "true"}) EXPECT_EQ(error_of(text).code, RpcErrc::invalid_request) << text;
}

TEST(JsonRpc, OversizeMessagesAreRefusedBeforeParsing) {
  std::string big = R"({"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"pad": ")" + std::string(2000, 'x') + "\"}}";
  auto e = error_of(big);
  EXPECT_EQ(e.code, RpcErrc::invalid_request);
  EXPECT_NE(e.message.find("1024"), std::string::npos);
  EXPECT_TRUE(std::holds_alternative<Request>(parse_message(big, big.size())));
}

TEST(JsonRpc, DeepNestingIsAParseErrorNotACrash) {
  std::string deep = R"({"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"x": )" + std::string(10000, '[') +
                     std::string(10000, ']') + "}}";
  EXPECT_EQ(error_of(deep, deep.size()).code, RpcErrc::parse_error);
}

TEST(JsonRpc, ResponsesAreOneLineOfJson) {
  auto ok = json::parse(result_response(5, json::object{{"a", 1}}));
  EXPECT_EQ(ok, json::parse(R"({"jsonrpc": "2.0", "id": 5, "result": {"a": 1}})"));
  auto err = error_response(nullptr, RpcErrc::method_not_found, "no\nsuch");
  EXPECT_EQ(err.find('\n'), std::string::npos);
  EXPECT_EQ(json::parse(err), json::parse(R"({"jsonrpc": "2.0", "id": null, "error": {"code": -32601, "message": "no\nsuch"}})"));
}
