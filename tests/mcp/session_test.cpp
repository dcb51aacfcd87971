// The MCP session: lifecycle and version negotiation, dispatch, and the JSON-RPC error every
// request that cannot be served gets; the stdio transport's line framing.
#include "mcp/session.hpp"
#include "mcp/stdio_transport.hpp"

#include "demo_fixture.hpp"
#include "store/query/query_error.hpp"

#include <atomic>
#include <sstream>
#include <thread>

using namespace pms;
using namespace pms::mcp;

namespace {

class SessionTest : public test::McpDemo {
 protected:
  json::object ask(std::string_view message) {
    auto reply = session_.handle(message);
    if (!reply) {
      ADD_FAILURE() << "no reply to " << message;
      return {};
    }
    EXPECT_EQ(reply->find('\n'), std::string::npos);
    return json::parse(*reply).as_object();
  }
  json::object initialize(std::string_view version) {
    return ask(R"({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": ")" + std::string(version) +
               R"(", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}})");
  }
  json::object call(std::string_view name, std::string_view arguments) {
    auto r = ask(R"({"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {"name": ")" + std::string(name) +
                 R"(", "arguments": )" + std::string(arguments) + "}}");
    return r;
  }
  static std::int64_t error_code(const json::object& reply) { return reply.at("error").at("code").to_number<std::int64_t>(); }

  Toolbox toolbox_ = whole();
  Session session_{toolbox_, SessionOptions{4096}};
};

}  // namespace

TEST_F(SessionTest, InitializeAnswersTheNewestRevisionWithServerInfoAndTools) {
  auto r = initialize("2025-11-25");
  EXPECT_EQ(r.at("id"), 1);
  auto& result = r.at("result").as_object();
  EXPECT_EQ(result.at("protocolVersion"), "2025-11-25");
  EXPECT_EQ(result.at("serverInfo").at("name"), "pms-assistant");
  EXPECT_EQ(result.at("serverInfo").at("version"), PMS_VERSION);
  EXPECT_TRUE(result.at("capabilities").as_object().contains("tools"));
  EXPECT_FALSE(result.at("capabilities").as_object().contains("resources"));
  EXPECT_EQ(session_.protocol_version(), "2025-11-25");
}

TEST_F(SessionTest, OlderRevisionsTheServerSpeaksAreKept) {
  for (auto v : {"2025-06-18", "2025-03-26"}) {
    Session s(toolbox_);
    auto reply = s.handle(R"({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": ")" + std::string(v) + "\"}}");
    ASSERT_TRUE(reply);
    EXPECT_EQ(json::parse(*reply).at("result").at("protocolVersion"), v);
    EXPECT_EQ(s.protocol_version(), v);
  }
}

TEST_F(SessionTest, UnknownRevisionsGetTheNewest) {
  for (auto v : {"2024-11-05", "2099-01-01", "banana"}) {
    Session s(toolbox_);
    auto reply = s.handle(R"({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": ")" + std::string(v) + "\"}}");
    ASSERT_TRUE(reply);
    EXPECT_EQ(json::parse(*reply).at("result").at("protocolVersion"), json::value(supported_protocol_versions().front())) << v;
  }
}

TEST_F(SessionTest, InitializeWithoutAVersionIsInvalidParams) {
  auto r = ask(R"({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}})");
  EXPECT_EQ(error_code(r), -32602);
  EXPECT_TRUE(session_.protocol_version().empty());
  EXPECT_EQ(error_code(ask(R"({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": 20251125}})")), -32602);
}

TEST_F(SessionTest, ASecondInitializeIsRefused) {
  initialize("2025-06-18");
  auto r = initialize("2025-11-25");
  EXPECT_EQ(error_code(r), -32600);
  EXPECT_EQ(session_.protocol_version(), "2025-06-18");
}

TEST_F(SessionTest, PingAnswersAnEmptyResult) {
  auto r = ask(R"({"jsonrpc": "2.0", "id": "p", "method": "ping"})");
  EXPECT_EQ(r.at("id"), "p");
  EXPECT_EQ(r.at("result"), json::object{});
}

TEST_F(SessionTest, NotificationsAndResponsesAreNotAnswered) {
  EXPECT_FALSE(session_.handle(R"({"jsonrpc": "2.0", "method": "notifications/initialized"})"));
  EXPECT_FALSE(session_.handle(R"({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 3}})"));
  EXPECT_FALSE(session_.handle(R"({"jsonrpc": "2.0", "method": "no/such/notification"})"));
  EXPECT_FALSE(session_.handle(R"({"jsonrpc": "2.0", "method": "tools/call", "params": {"name": "count_documents"}})"));
  EXPECT_FALSE(session_.handle(R"({"jsonrpc": "2.0", "id": 4, "result": {}})"));
}

TEST_F(SessionTest, UnknownMethodsAreMethodNotFound) {
  for (auto method : {"resources/list", "prompts/get", "tools/delete", "initialized"}) {
    auto r = ask(R"({"jsonrpc": "2.0", "id": 2, "method": ")" + std::string(method) + "\"}");
    EXPECT_EQ(error_code(r), -32601) << method;
    EXPECT_EQ(r.at("id"), 2);
  }
}

TEST_F(SessionTest, FramingErrorsAreAnsweredWithIdNull) {
  auto parse = ask("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"");
  EXPECT_EQ(error_code(parse), -32700);
  EXPECT_TRUE(parse.at("id").is_null());
  auto batch = ask(R"([{"jsonrpc": "2.0", "id": 1, "method": "ping"}])");
  EXPECT_EQ(error_code(batch), -32600);
  EXPECT_TRUE(batch.at("id").is_null());
  auto big = ask(R"({"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"x": ")" + std::string(5000, 'a') + "\"}}");
  EXPECT_EQ(error_code(big), -32600);
}

TEST_F(SessionTest, BatchesAreRefusedFrom2025_06_18On) {
  for (auto v : {"2025-11-25", "2025-06-18"}) {
    Session s(toolbox_);
    s.handle(R"({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": ")" + std::string(v) + "\"}}");
    auto reply = s.handle(R"([{"jsonrpc": "2.0", "id": 2, "method": "ping"}])");
    ASSERT_TRUE(reply);
    EXPECT_EQ(json::parse(*reply).at("error").at("code"), -32600) << v;
  }
}

TEST_F(SessionTest, A2025_03_26SessionTakesBatches) {
  initialize("2025-03-26");
  auto reply = session_.handle(R"([{"jsonrpc": "2.0", "id": 2, "method": "ping"},
      {"jsonrpc": "2.0", "method": "notifications/initialized"},
      {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "count_documents", "arguments": {"collection": "workItem"}}},
      {"jsonrpc": "2.0", "id": 4, "method": "no/such"}, 7, [1]])");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->find('\n'), std::string::npos);
  auto replies = json::parse(*reply).as_array();
  ASSERT_EQ(replies.size(), 5u) << *reply;  // none for the notification
  EXPECT_EQ(replies[0].at("id"), 2);
  EXPECT_EQ(replies[1].at("result").at("structuredContent").at("count"), store_->count("workItem", nullptr));
  EXPECT_EQ(replies[2].at("error").at("code"), -32601);
  EXPECT_EQ(replies[3].at("error").at("code"), -32600);
  EXPECT_EQ(replies[4].at("error").at("code"), -32600);
  EXPECT_FALSE(session_.handle(R"([{"jsonrpc": "2.0", "method": "notifications/initialized"}])"));
  EXPECT_EQ(error_code(ask("[]")), -32600);
}

TEST_F(SessionTest, ToolsListHasTheModelsToolsAndTheMcpOnes) {
  auto r = ask(R"({"jsonrpc": "2.0", "id": 3, "method": "tools/list"})");
  auto& tools = r.at("result").at("tools").as_array();
  std::vector<std::string> names;
  for (auto& t : tools) {
    auto& o = t.as_object();
    names.emplace_back(o.at("name").as_string());
    EXPECT_EQ(o.at("inputSchema").at("type"), "object") << names.back();
    EXPECT_FALSE(o.at("description").as_string().empty());
    EXPECT_EQ(o.at("annotations").at("readOnlyHint"), true);
    EXPECT_EQ(o.at("annotations").at("openWorldHint"), false);
  }
  std::vector<std::string> want{"list_collections", "collection_schema", "find_documents", "count_documents",
                                "distinct_values",  "aggregate",         "ask_pms",        "find_entity"};
  EXPECT_EQ(names, want);
  // The model's tools keep their schemas exactly.
  for (auto& d : registry_.definitions()) {
    auto it = std::find(names.begin(), names.end(), d.name);
    ASSERT_NE(it, names.end());
    EXPECT_EQ(tools[it - names.begin()].at("inputSchema"), json::value(d.parameters)) << d.name;
  }
}

TEST_F(SessionTest, ToolsCallCarriesStructuredContentAndItsText) {
  auto r = call("count_documents", R"({"collection": "workItem", "filter": {"priority": "HIGH"}})");
  auto& result = r.at("result").as_object();
  EXPECT_EQ(result.at("isError"), false);
  auto want = store_->count("workItem", json::parse(R"({"priority": "HIGH"})"));
  ASSERT_GT(want, 0);
  EXPECT_EQ(result.at("structuredContent").at("count"), want);
  auto& content = result.at("content").as_array();
  ASSERT_EQ(content.size(), 1u);
  EXPECT_EQ(content[0].at("type"), "text");
  EXPECT_EQ(json::parse(content[0].at("text").as_string()), result.at("structuredContent"));
}

TEST_F(SessionTest, ToolsCallWithoutANameOrWithBadArgumentsIsInvalidParams) {
  EXPECT_EQ(error_code(ask(R"({"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {}})")), -32602);
  EXPECT_EQ(error_code(ask(R"({"jsonrpc": "2.0", "id": 9, "method": "tools/call"})")), -32602);
  EXPECT_EQ(error_code(ask(R"({"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {"name": 4}})")), -32602);
  EXPECT_EQ(error_code(call("count_documents", "[1]")), -32602);
  EXPECT_EQ(error_code(call("count_documents", "\"workItem\"")), -32602);
}

TEST_F(SessionTest, UnknownToolsAreInvalidParamsNamingTheTools) {
  auto r = call("drop_database", "{}");
  EXPECT_EQ(error_code(r), -32602);
  std::string message(r.at("error").at("message").as_string());
  EXPECT_NE(message.find("drop_database"), std::string::npos);
  EXPECT_NE(message.find("find_entity"), std::string::npos);
}

TEST_F(SessionTest, ToolFailuresAreResultsWithIsError) {
  auto r = call("count_documents", R"({"collection": "nope"})");
  auto& result = r.at("result").as_object();
  EXPECT_EQ(result.at("isError"), true);
  EXPECT_NE(std::string(result.at("content").at(0).at("text").as_string()).find("workItem"), std::string::npos);
  EXPECT_EQ(call("find_documents", R"({"collection": "workItem", "filter": {"$where": "1"}})").at("result").at("isError"), true);
  EXPECT_EQ(call("count_documents", "{}").at("result").at("isError"), true);
  EXPECT_EQ(call("find_entity", R"({"text": "x", "kind": "planet"})").at("result").at("isError"), true);
  EXPECT_EQ(call("ask_pms", "{}").at("result").at("isError"), true);
}

TEST(StdioTransport, OneResponseLinePerRequestAndNothingElse) {
  tools::ToolRegistry registry = tools::ToolRegistry::standard();
  std::istringstream in(
      "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"}\r\n"
      "\n"
      "   \n"
      "{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\"}\n"
      "garbage\n"
      "[{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"ping\"}]\n"
      "{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": \"ping\", \"params\": {\"pad\": \"" + std::string(100000, 'x') + "\"}}\n"
      "{\"jsonrpc\": \"2.0\", \"id\": 4, \"method\": \"ping\"}");  // the last line has no newline
  std::ostringstream out;
  auto path = std::filesystem::temp_directory_path() / ("pms-mcp-stdio-" + std::to_string(::getpid()) + ".db");
  {
    store::sqlite::SqliteDocumentStore store(path.string(), "ProjectManagement");
    Toolbox toolbox(ToolboxServices{registry, store, [] { return nullptr; }, [] { return std::int64_t{0}; }});
    Session session(toolbox, SessionOptions{1024});
    serve_stdio(session, in, out);
  }
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  std::istringstream lines(out.str());
  std::vector<json::value> replies;
  for (std::string line; std::getline(lines, line);) replies.push_back(json::parse(line));
  ASSERT_EQ(replies.size(), 5u) << out.str();
  EXPECT_EQ(replies[0].at("id"), 1);
  EXPECT_EQ(replies[1].at("error").at("code"), -32700);
  EXPECT_EQ(replies[2].at("error").at("code"), -32600);
  EXPECT_EQ(replies[3].at("error").at("code"), -32600);  // over the limit, read to its end
  EXPECT_EQ(replies[4].at("id"), 4);
  EXPECT_EQ(out.str().back(), '\n');
}

namespace {

// A store whose count of {"block": true} runs until it is cancelled (at most 10 s), as a long query does.
struct BlockingStore : store::sqlite::SqliteDocumentStore {
  using SqliteDocumentStore::SqliteDocumentStore;
  std::atomic<bool> blocking{false};
  std::int64_t count(std::string_view c, const json::value& filter, const CancelToken* cancel) override {
    if (!filter.is_object() || !filter.as_object().contains("block")) return SqliteDocumentStore::count(c, filter, cancel);
    blocking = true;
    for (int i = 0; i < 10000 && !(cancel && cancel->cancelled()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (cancel && cancel->cancelled()) throw store::QueryCancelled();
    return -1;
  }
};

// Input lines, each handed out once `ready(i)` holds: the client writes its next line only then.
class PacedInput : public std::streambuf {
 public:
  PacedInput(std::vector<std::string> lines, std::function<bool(std::size_t)> ready) : lines_(std::move(lines)), ready_(std::move(ready)) {}

 protected:
  int_type underflow() override {
    if (next_ >= lines_.size()) return traits_type::eof();
    for (int i = 0; i < 10000 && !ready_(next_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    current_ = lines_[next_++] + "\n";
    setg(current_.data(), current_.data(), current_.data() + current_.size());
    return traits_type::to_int_type(current_[0]);
  }

 private:
  std::vector<std::string> lines_;
  std::function<bool(std::size_t)> ready_;
  std::string current_;
  std::size_t next_ = 0;
};

}  // namespace

TEST_F(SessionTest, StdioCancelsARunningCallWhileStillAnsweringPings) {
  auto path = path_.string() + "-blocking";
  {
    BlockingStore blocking(path, "ProjectManagement");
    store::demo::write_demo_database(blocking, {});
    Toolbox box(services(blocking, catalog_));
    Session session(box);
    PacedInput input({R"({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "count_documents", "arguments": {"collection": "workItem", "filter": {"block": true}}}})",
                      R"({"jsonrpc": "2.0", "id": 2, "method": "ping"})",
                      R"({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1, "reason": "user"}})",
                      R"({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "count_documents", "arguments": {"collection": "workItem"}}})"},
                     // The ping and the cancellation come while the first call is running.
                     [&](std::size_t i) { return i == 0 || blocking.blocking; });
    std::istream in(&input);
    std::ostringstream out;
    auto started = std::chrono::steady_clock::now();
    serve_stdio(session, in, out);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    std::istringstream lines(out.str());
    std::vector<json::value> replies;
    for (std::string line; std::getline(lines, line);) replies.push_back(json::parse(line));
    ASSERT_EQ(replies.size(), 2u) << out.str();  // none for the cancelled call
    EXPECT_EQ(replies[0].at("id"), 2);
    EXPECT_EQ(replies[1].at("id"), 3);
    EXPECT_EQ(replies[1].at("result").at("structuredContent").at("count"), blocking.SqliteDocumentStore::count("workItem", nullptr));
  }
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}
