// One turn service behind both transports: the WebSocket chat and POST /api/chat end the same
// failure with the same code, /api/chat turns are stopped by their client hanging up and by the
// server's shutdown (and answered and saved then), and a turn longer than the idle timeout does
// not keep the idle watch spinning.
#include "e2e/database_lock.hpp"
#include "e2e/e2e_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

using namespace pms;
using namespace pms::testing;
using namespace std::chrono_literals;

namespace {

// How a turn ended, as the client saw it.
struct Ending {
  std::string code;         // the error's code; empty: answered
  std::string answered_by;  // when answered
};

// The server process's CPU time (user + system, all threads), from /proc/<pid>/stat.
std::chrono::duration<double> cpu_time(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));  // the name may hold spaces
  std::vector<std::string> v;
  for (std::string s; fields >> s;) v.push_back(s);
  if (v.size() < 13) throw std::runtime_error("cannot read /proc/" + std::to_string(pid) + "/stat");
  double ticks = std::stod(v[11]) + std::stod(v[12]);  // fields 14 and 15: utime, stime
  return std::chrono::duration<double>(ticks / static_cast<double>(::sysconf(_SC_CLK_TCK)));
}

// Sends `request` on a new connection and returns the socket without reading the answer.
int send_raw(unsigned short port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("connect failed");
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
    throw std::runtime_error("send failed");
  return fd;
}

std::string chat_request(unsigned short port, const std::string& body) {
  return "POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

class TurnServiceE2e : public E2eTest {
 protected:
  Ending over_websocket(std::string_view text) {
    auto c = connect();
    c->send(message(text));
    auto ev = until_done(*c);
    if (ev.empty()) return {"(none)", ""};
    if (type_of(ev.back()) == "error") return {std::string(ev.back().at("code").as_string()), ""};
    return {"", std::string(ev.back().at("answered_by").as_string())};
  }

  Ending over_http(std::string_view text, int* status = nullptr) {
    auto r = http_call(server_->port(), "POST", "/api/chat", dump(json::object{{"message", text}}));
    if (status) *status = r.status;
    auto body = json::parse(r.body).as_object();
    EXPECT_TRUE(body.contains("conversation_id")) << r.body;
    if (r.status != 200) return {std::string(body.at("error").at("code").as_string()), ""};
    return {"", std::string(body.at("answered_by").as_string())};
  }
};

ScriptedReply server_error() {
  ScriptedReply r;
  r.status = 500;
  r.error_body = R"({"error":"out of memory"})";
  return r;
}

TEST_F(TurnServiceE2e, AnLlmServerErrorIsTheSameCodeOnBothTransports) {
  start_server();
  llm_->push(server_error());
  llm_->push(server_error());
  int status = 0;
  EXPECT_EQ(over_websocket("How many work items are there?").code, "llm_http_error");
  EXPECT_EQ(over_http("How many work items are there?", &status).code, "llm_http_error");
  EXPECT_EQ(status, 502);
}

TEST_F(TurnServiceE2e, AnUnreachableLlmIsAnsweredByThePlannerOnBothTransports) {
  start_server({"--ollama-host", "http://127.0.0.1:" + std::to_string(unused_port()), "--model", "qwen3:0.6b"});
  auto ws = over_websocket("How many work items are there?");
  auto rest = over_http("How many work items are there?");
  EXPECT_EQ(ws.code, "");
  EXPECT_EQ(rest.code, "");
  EXPECT_EQ(ws.answered_by, "planner");
  EXPECT_EQ(rest.answered_by, "planner");
}

TEST_F(TurnServiceE2e, ADatabaseErrorIsTheSameCodeOnBothTransports) {
  start_server({"--query-timeout", "0.5"});
  // Another program holds the write lock: the answers cannot be saved.
  DatabaseWriteLock other(db_path());
  llm_->push(answer({"Six."}));
  llm_->push(answer({"Six."}));
  int status = 0;
  auto ws = over_websocket("How many projects?");
  auto rest = over_http("How many projects?", &status);
  other.release();
  EXPECT_EQ(ws.code, "database_error");
  EXPECT_EQ(rest.code, "database_error");
  EXPECT_EQ(status, 503);
}

TEST_F(TurnServiceE2e, ShutdownLetsARunningApiChatFinish) {
  start_server();
  std::vector<std::string> tokens;
  for (int i = 0; i < 8; ++i) tokens.push_back("w" + std::to_string(i) + " ");
  llm_->push(answer(tokens, 100ms));
  auto reply = std::async(std::launch::async, [port = server_->port()] {
    return http_call(port, "POST", "/api/chat", R"({"message": "Long answer please", "conversation_id": "rest-finish"})");
  });
  ASSERT_TRUE(llm_->wait_until([](auto& reqs) { return !reqs.empty(); }));
  server_->signal(SIGTERM);
  auto r = reply.get();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("response"), "w0 w1 w2 w3 w4 w5 w6 w7 ");
  EXPECT_EQ(r.headers["connection"], "close");
  EXPECT_EQ(server_->wait_exit(5000), 0);
}

TEST_F(TurnServiceE2e, ShutdownTimeoutStopsAnApiChatWith503AndSavesIt) {
  start_server({"--shutdown-timeout", "0.5"});
  llm_->push(answer(std::vector<std::string>(200, "t "), 50ms));
  auto reply = std::async(std::launch::async, [port = server_->port()] {
    return http_call(port, "POST", "/api/chat", R"({"message": "Endless", "conversation_id": "rest-stopped"})");
  });
  ASSERT_TRUE(llm_->wait_until([](auto& reqs) { return !reqs.empty(); }));
  std::this_thread::sleep_for(200ms);  // a few tokens in
  server_->signal(SIGTERM);
  HttpReply r;
  ASSERT_NO_THROW(r = reply.get()) << "the connection was dropped without an answer";
  EXPECT_EQ(r.status, 503) << r.body;
  auto body = json::parse(r.body);
  EXPECT_EQ(body.at("error").at("code"), "shutting_down");
  EXPECT_EQ(body.at("conversation_id"), "rest-stopped");
  EXPECT_EQ(server_->wait_exit(5000), 0);
  EXPECT_TRUE(llm_->wait_until([](auto& reqs) { return !reqs.empty() && reqs.back().client_closed_early; }));

  // The question and the answer's beginning were saved before the server stopped.
  start_server();
  auto conv = http_call(server_->port(), "GET", "/api/conversations/rest-stopped");
  ASSERT_EQ(conv.status, 200) << conv.body;
  auto saved = json::parse(conv.body);
  auto& messages = saved.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u) << conv.body;
  EXPECT_EQ(messages[0].at("role"), "user");
  EXPECT_EQ(messages[0].at("content"), "Endless");
  EXPECT_EQ(messages[1].at("stopped"), true);
  EXPECT_TRUE(std::string(messages[1].at("content").as_string()).starts_with("t t ")) << conv.body;
}

TEST_F(TurnServiceE2e, AnApiChatWhoseClientHangsUpFreesItsLlmPlace) {
  start_server({"--max-concurrent-turns", "1"});
  llm_->push(answer(std::vector<std::string>(100, "slow "), 100ms));  // 10 s if nobody stops it
  int fd = send_raw(server_->port(), chat_request(server_->port(), R"({"message": "Long answer please"})"));
  ASSERT_TRUE(llm_->wait_until([](auto& reqs) { return !reqs.empty(); }));
  ::close(fd);  // like `curl -m 1`
  EXPECT_TRUE(llm_->wait_until([](auto& reqs) { return !reqs.empty() && reqs.back().client_closed_early; }, 5s))
      << "the upstream answer kept running after its client hung up";

  // The place is free: the next question is answered at once, not after the abandoned one.
  llm_->push(answer({"quick"}));
  auto started = std::chrono::steady_clock::now();
  auto r = http_call(server_->port(), "POST", "/api/chat", R"({"message": "Quick one"})");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  auto status = json::parse(http_call(server_->port(), "GET", "/api/status").body);
  EXPECT_EQ(status.at("llm_slots").at("running"), 0);
  EXPECT_EQ(status.at("running_turns"), 0);
}

// Finding 5 of issue 14: the idle watch re-armed a timer already in the past while a turn ran.
TEST_F(TurnServiceE2e, AnAnswerLongerThanTheIdleTimeoutDoesNotSpinAndTheSessionClosesAfterIt) {
  start_server({"--idle-timeout", "0.5"});
  llm_->push(answer({"slow ", "answer"}, 1500ms));  // 3 s: six idle timeouts
  auto c = connect();
  auto cpu_before = cpu_time(server_->pid());
  auto started = std::chrono::steady_clock::now();
  c->send(message("Take your time"));
  auto ev = until_done(*c);
  std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
  auto cpu = cpu_time(server_->pid()) - cpu_before;
  ASSERT_FALSE(ev.empty());
  ASSERT_EQ(type_of(ev.back()), "complete") << "a running answer must keep the session open";
  EXPECT_EQ(ev.back().at("response"), "slow answer");
  EXPECT_GT(wall.count(), 2.5);
  EXPECT_LT(cpu.count(), 0.3 * wall.count()) << "the server used " << cpu.count() << " s of CPU in " << wall.count() << " s";

  // Idle after the answer: closed with 1000 once the timeout passes.
  std::optional<int> code;
  auto deadline = std::chrono::steady_clock::now() + 5s;
  try {
    while (std::chrono::steady_clock::now() < deadline) c->next_event(100ms);
  } catch (const std::runtime_error&) {
    code = c->close_code();
  }
  EXPECT_EQ(code, 1000);
}

}  // namespace
