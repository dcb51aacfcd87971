// pms-load: drives the real pms-assistant with many WebSocket clients while an in-process scripted
// LLM server (the test double) streams tokens stamped with the moment each is written. Measures
// what our server adds between the LLM and the user's screen, and checks every stream: nothing
// lost, nothing reordered, nothing delivered to the wrong client. See docs/benchmarks.md.
#include "support/scripted_llm_server.hpp"
#include "support/server_process.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;
using namespace pms;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

struct Options {
  int clients = 100;
  int turns = 3;
  int tokens = 20;
  int token_interval_ms = 10;
  bool tool_calls = false;
  int idle = 0;
  bool check = false;
  double on_time_ms = 50;
  int sigterm_after_ms = 0;
  int ramp_ms = 0;  // first messages spread evenly over this long, once every client is connected
  std::string model_plans = "off";
  bool llm_keep_alive = true;  // the scripted LLM keeps connections open after a reply, as Ollama does
  std::string server_binary;
  std::string server_cpus, load_cpus;  // "0" or "0,1": pin the server / this process (its every thread)
};

struct Results {
  std::mutex mutex;
  std::vector<double> token_latency_us;
  std::map<std::string, Clock::time_point> sent;      // question -> when the client sent it
  std::map<std::string, double> tool_elapsed_ms;      // question -> tool time the server reported
  std::map<std::string, std::pair<Clock::time_point, std::int64_t>> first_token;  // question -> read at, LLM wrote it at (ns)
  std::int64_t events = 0;
  std::int64_t token_frames = 0;
  std::int64_t turns_done = 0;
  bool terminating = false;  // SIGTERM sent: refusals and closes are expected from now on
  struct Completed {
    std::string conversation_id, question, last_token;  // last_token: "<client>.<turn>.<n-1>@"
  };
  std::vector<Completed> completed;  // turns that ended with `complete`, not cancelled
  std::vector<std::string> violations;
  void violation(std::string v) {
    std::lock_guard lock(mutex);
    if (violations.size() < 20) violations.push_back(std::move(v));
    else if (violations.size() == 20) violations.push_back("...");
  }
};

std::int64_t now_ns() { return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count(); }

// One chat client: `turns` questions in a row, each answer checked token by token.
// Every client connects first; then `start` is cancelled and client i sends its first message
// i * ramp / clients later, so a run can offer a burst spread over a known time.
struct Start {
  asio::steady_timer go;
  int connected = 0, clients = 0;
  void arrived() {
    if (++connected == clients) go.cancel();
  }
};

asio::awaitable<void> run_client(int id, unsigned short port, const Options& o, Results& r, Start& start) {
  auto ex = co_await asio::this_coro::executor;
  websocket::stream<beast::tcp_stream> ws(ex);
  auto [cec] = co_await beast::get_lowest_layer(ws).async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), use_tuple);
  auto [hec] = cec ? std::make_tuple(cec) : co_await ws.async_handshake("127.0.0.1", "/ws/chat", use_tuple);
  start.arrived();  // also a client that failed: the others do not wait for it
  if (cec) co_return r.violation("client " + std::to_string(id) + ": connect failed: " + cec.message());
  if (hec) co_return r.violation("client " + std::to_string(id) + ": handshake failed: " + hec.message());
  if (start.connected < start.clients) co_await start.go.async_wait(use_tuple);
  if (o.ramp_ms > 0) {
    asio::steady_timer offset(ex, std::chrono::microseconds(static_cast<std::int64_t>(o.ramp_ms) * 1000 * id / std::max(1, o.clients)));
    co_await offset.async_wait(use_tuple);
  }
  beast::flat_buffer buf;
  std::string conversation;
  for (int turn = 0; turn < o.turns; ++turn) {
    std::string question = "q " + std::to_string(id) + " " + std::to_string(turn);
    json::object msg{{"type", "message"}, {"message", question}};
    if (!conversation.empty()) msg["conversation_id"] = conversation;
    {
      std::lock_guard lock(r.mutex);
      r.sent[question] = Clock::now();
    }
    std::string frame = dump(msg);  // a named buffer: it must outlive the write
    if (auto [wec, n] = co_await ws.async_write(asio::buffer(frame), use_tuple); wec) {
      if (r.terminating) co_return;
      co_return r.violation("client " + std::to_string(id) + ": write failed");
    }
    int expected = 0;
    std::string prefix = std::to_string(id) + "." + std::to_string(turn) + ".";
    std::vector<double> latencies;
    std::int64_t events = 0, frames = 0;
    for (bool done = false; !done;) {
      buf.consume(buf.size());
      auto [rec, n] = co_await ws.async_read(buf, use_tuple);
      if (rec && r.terminating) co_return;  // closed by the shutdown (1001)
      if (rec) co_return r.violation("client " + std::to_string(id) + ": connection lost: " + rec.message());
      auto received = now_ns();
      ++events;
      auto v = try_parse(beast::buffers_to_string(buf.data()));
      if (!v || !v->is_object()) continue;
      auto& e = v->get_object();
      auto type = string_member(e, "type").value_or("");
      if (type == "token") {
        // "<client>.<turn>.<seq>@<send_ns> ", one or more (the server joins tokens waiting for a busy writer)
        std::string_view content = string_member(e, "content").value_or("");
        ++frames;
        for (std::size_t pos = 0; pos < content.size();) {
          auto end = content.find(' ', pos);
          if (end == std::string_view::npos) end = content.size();
          std::string_view c = content.substr(pos, end - pos);
          pos = end + 1;
          auto at = c.find('@');
          if (!c.starts_with(prefix) || at == std::string_view::npos) {
            r.violation("client " + std::to_string(id) + " got a token of another stream: " + std::string(c));
            continue;
          }
          int seq = -1;
          std::from_chars(c.data() + prefix.size(), c.data() + at, seq);
          if (seq != expected) r.violation("client " + std::to_string(id) + ": token " + std::to_string(seq) + " where " + std::to_string(expected) + " was due");
          expected = seq + 1;
          std::int64_t sent_ns = 0;
          std::from_chars(c.data() + at + 1, c.data() + c.size(), sent_ns);
          latencies.push_back(static_cast<double>(received - sent_ns) / 1000.0);
          if (seq == 0) {
            std::lock_guard lock(r.mutex);
            r.first_token[question] = {Clock::time_point(std::chrono::nanoseconds(received)), sent_ns};
          }
        }
      } else if (type == "user_message") {
        conversation = std::string(string_member(e, "conversation_id").value_or(""));
      } else if (type == "tool_end") {
        std::lock_guard lock(r.mutex);
        r.tool_elapsed_ms[question] = e.at("elapsed_ms").to_number<double>();
      } else if (type == "complete") {
        auto* cancelled = e.if_contains("cancelled");
        if (cancelled && cancelled->is_bool() && cancelled->as_bool()) {
          if (!r.terminating) r.violation("client " + std::to_string(id) + ": turn cancelled");
        } else {
          if (expected != o.tokens) r.violation("client " + std::to_string(id) + ": " + std::to_string(expected) + " of " + std::to_string(o.tokens) + " tokens");
          r.completed.push_back({conversation, question, prefix + std::to_string(o.tokens - 1) + "@"});
        }
        done = true;
      } else if (type == "error") {
        if (r.terminating) co_return;  // refused: the server is shutting down
        r.violation("client " + std::to_string(id) + ": error " + std::string(string_member(e, "code").value_or("")) + ": " +
                    std::string(string_member(e, "message").value_or("")));
        done = true;
      }
    }
    std::lock_guard lock(r.mutex);
    r.token_latency_us.insert(r.token_latency_us.end(), latencies.begin(), latencies.end());
    r.events += events;
    r.token_frames += frames;
    ++r.turns_done;
  }
  co_await ws.async_close(websocket::close_code::normal, use_tuple);
}

// Holds an open, greeted connection until `release` fires.
asio::awaitable<void> idle_client(unsigned short port, asio::steady_timer& release, int& connected, Results& r) {
  auto ex = co_await asio::this_coro::executor;
  websocket::stream<beast::tcp_stream> ws(ex);
  auto [cec] = co_await beast::get_lowest_layer(ws).async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), use_tuple);
  if (cec) co_return r.violation("idle connect failed: " + cec.message());
  if (auto [hec] = co_await ws.async_handshake("127.0.0.1", "/ws/chat", use_tuple); hec) co_return r.violation("idle handshake failed: " + hec.message());
  beast::flat_buffer buf;
  if (auto [rec, n] = co_await ws.async_read(buf, use_tuple); rec) co_return r.violation("idle: no greeting");
  ++connected;
  co_await release.async_wait(use_tuple);
  co_await ws.async_close(websocket::close_code::normal, use_tuple);
}

struct ProcStats {
  double cpu_s = 0;
  double rss_mib = 0;
};

ProcStats proc_stats(int pid) {
  ProcStats s;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  auto close = text.rfind(')');
  if (close != std::string::npos) {
    std::istringstream rest(text.substr(close + 2));
    std::string field;
    std::vector<std::string> f;
    while (rest >> field) f.push_back(field);
    if (f.size() > 13) s.cpu_s = (std::stod(f[11]) + std::stod(f[12])) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) s.rss_mib = std::stod(line.substr(6)) / 1024.0;
  }
  return s;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size())))];
}

// Pins every thread of this process (and what it starts from now on) to `cpus`, e.g. "1" or "0,1".
void pin_this_process(const std::string& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::istringstream in(cpus);
  for (std::string cpu; std::getline(in, cpu, ',');) CPU_SET(std::stoi(cpu), &set);
  for (auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    if (sched_setaffinity(std::stoi(task.path().filename().string()), sizeof set, &set) != 0)
      throw std::runtime_error("cannot pin to CPUs " + cpus + ": " + std::strerror(errno));
  }
}

// After a SIGTERM: the server exits by itself, and started again on the same database it holds
// every turn a client saw `complete` for (its question and its answer's last token).
void check_kept_after_restart(testing::ServerProcess& stopped, const std::string& binary, const std::vector<std::string>& args,
                              const std::string& log, Results& r) {
  if (int code = stopped.wait_exit(60000); code != 0) r.violation("the server exited with " + std::to_string(code) + " after SIGTERM");
  if (r.completed.empty()) r.violation("no turn completed before the SIGTERM: nothing was checked (send it later)");
  testing::ServerProcess again(binary, args, log);
  std::size_t kept = 0;
  for (auto& c : r.completed) {
    auto reply = testing::http_call(again.port(), "GET", "/api/conversations/" + c.conversation_id);
    if (reply.status == 200 && reply.body.find("\"" + c.question + "\"") != std::string::npos && reply.body.find(c.last_token) != std::string::npos)
      ++kept;
    else
      r.violation("turn '" + c.question + "' was complete but is not stored after the restart (HTTP " + std::to_string(reply.status) + ")");
  }
  std::printf("sigterm: %zu turns complete before the server stopped, %zu of them stored after a restart\n", r.completed.size(), kept);
}

void raise_fd_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  o.server_binary = (std::filesystem::canonical("/proc/self/exe").parent_path() / "pms-assistant").string();
  CLI::App app{"pms-load: load and correctness test of pms-assistant with a scripted LLM (test double) on 127.0.0.1"};
  app.add_option("--clients", o.clients, "Concurrent streaming conversations")->capture_default_str();
  app.add_option("--turns", o.turns, "Questions per conversation")->capture_default_str();
  app.add_option("--tokens", o.tokens, "Tokens per answer")->capture_default_str();
  app.add_option("--token-interval-ms", o.token_interval_ms, "Milliseconds between tokens from the LLM (0: as fast as possible)")->capture_default_str();
  app.add_flag("--tool-calls", o.tool_calls, "Each answer first calls count_documents");
  app.add_option("--idle", o.idle, "Also hold this many idle connections and report server memory")->capture_default_str();
  app.add_option("--sigterm-after-ms", o.sigterm_after_ms,
                 "SIGTERM the server this long into the run, restart it on the same database and check that every completed turn was kept");
  app.add_option("--ramp-ms", o.ramp_ms, "Spread the clients' first messages evenly over this many milliseconds (0: all at once)")
      ->capture_default_str();
  app.add_option("--on-time-ms", o.on_time_ms, "A token counts as on time when it adds less than this")->capture_default_str();
  app.add_option("--model-plans", o.model_plans, "The server's --model-plans (on: every turn first asks the model for a plan)")->capture_default_str();
  app.add_option("--llm-keep-alive", o.llm_keep_alive, "The scripted LLM keeps a connection open after a reply, as Ollama does (false: closes it)")
      ->capture_default_str();
  app.add_flag("--check", o.check, "Exit 1 on any lost, reordered or misdelivered event or error");
  app.add_option("--server-binary", o.server_binary, "pms-assistant to start")->capture_default_str();
  app.add_option("--server-cpus", o.server_cpus, "Pin the server to these CPUs (e.g. 0)");
  app.add_option("--load-cpus", o.load_cpus, "Pin the clients and the scripted LLM (this process) to these CPUs (e.g. 1)");
  CLI11_PARSE(app, argc, argv);
  raise_fd_limit();

  testing::ScriptedLlmServer llm;
  llm.keep_connections_open(o.llm_keep_alive);
  llm.set_responder([&o](const json::value& body) {
    auto& messages = body.at("messages").as_array();
    auto& last = messages.back().as_object();
    std::string question;
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
      if (it->at("role") == "user") {
        question = std::string(it->at("content").as_string());
        break;
      }
    }
    if (o.tool_calls && last.at("role") == "user") return testing::call_tool("count_documents", json::object{{"collection", "project"}});
    // "q <client> <turn>" -> tokens "<client>.<turn>.<seq>@<send time> "
    std::istringstream in(question);
    std::string q, client, turn;
    in >> q >> client >> turn;
    std::vector<std::string> tokens;
    for (int i = 0; i < o.tokens; ++i)
      tokens.push_back(client + "." + turn + "." + std::to_string(i) + "@" + std::string(testing::kSendTimeMarker) + " ");
    return testing::answer(tokens, std::chrono::milliseconds(o.token_interval_ms));
  });

  auto dir = std::filesystem::temp_directory_path() / ("pms-load-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  int exit_code = 0;
  try {
    if (!o.server_cpus.empty()) pin_this_process(o.server_cpus);  // the server inherits it
    const std::vector<std::string> server_args{"--db", (dir / "pms.db").string(), "--ollama-host", llm.url(), "--log-level", "info",
                                               "--max-connections", std::to_string(o.idle + o.clients + 100), "--max-concurrent-turns", "10000",
                                               "--max-steps", "3", "--model-plans", o.model_plans};
    testing::ServerProcess server(o.server_binary, server_args, (dir / "server.log").string());
    if (!o.load_cpus.empty()) pin_this_process(o.load_cpus);
    else if (!o.server_cpus.empty()) {  // only the server pinned: this process back on every CPU
      std::string all = "0";
      for (unsigned c = 1; c < std::thread::hardware_concurrency(); ++c) all += "," + std::to_string(c);
      pin_this_process(all);
    }
    Results r;
    asio::io_context ioc(1);
    int server_pid = server.pid();

    std::printf("pms-load: %d conversations x %d turns x %d tokens, %d ms between tokens%s, against %s (pid %d)\n", o.clients, o.turns,
                o.tokens, o.token_interval_ms, o.tool_calls ? ", one tool call per answer" : "", server.http_url().c_str(), server_pid);
    auto base = proc_stats(server_pid);
    auto harness_base = proc_stats(::getpid());

    if (o.idle > 0) {
      asio::steady_timer release(ioc, asio::steady_timer::time_point::max());
      int connected = 0;
      for (int i = 0; i < o.idle; ++i) asio::co_spawn(ioc, idle_client(server.port(), release, connected, r), asio::detached);
      auto until = Clock::now() + std::chrono::seconds(60);
      while (connected + static_cast<int>(r.violations.size()) < o.idle && Clock::now() < until) ioc.run_for(std::chrono::milliseconds(50));
      auto held = proc_stats(server_pid);
      std::printf("idle: %d connections held; server RSS %.1f MiB (%.1f MiB before): %.1f KiB per connection\n", connected, held.rss_mib,
                  base.rss_mib, connected ? (held.rss_mib - base.rss_mib) * 1024.0 / connected : 0.0);
      release.cancel();
      ioc.run_for(std::chrono::seconds(5));
      ioc.restart();
      base = proc_stats(server_pid);
      harness_base = proc_stats(::getpid());
    }

    if (o.clients > 0) {
      auto start = Clock::now();
      Start ready{asio::steady_timer(ioc, asio::steady_timer::time_point::max()), 0, o.clients};
      for (int i = 0; i < o.clients; ++i) asio::co_spawn(ioc, run_client(i, server.port(), o, r, ready), asio::detached);
      asio::steady_timer sigterm(ioc, std::chrono::milliseconds(o.sigterm_after_ms));
      if (o.sigterm_after_ms > 0)
        sigterm.async_wait([&](boost::system::error_code) {
          r.terminating = true;
          server.signal(SIGTERM);
        });
      ioc.run();
      double wall = std::chrono::duration<double>(Clock::now() - start).count();
      auto end = proc_stats(server_pid);
      auto harness_end = proc_stats(::getpid());

      // Turn overheads from the LLM server's records: message sent -> first LLM request, and
      // (with tools) first reply finished + tool time -> second LLM request.
      std::vector<double> start_us, tool_us, first_us;
      std::map<std::string, std::vector<const testing::RecordedRequest*>> by_question;
      auto records = llm.chat_requests();
      for (auto& rec : records) {
        auto& msgs = rec.body.at("messages").as_array();
        for (auto it = msgs.rbegin(); it != msgs.rend(); ++it) {
          if (it->at("role") == "user") {
            by_question[std::string(it->at("content").as_string())].push_back(&rec);
            break;
          }
        }
      }
      for (auto& [q, recs] : by_question) {
        if (auto s = r.sent.find(q); s != r.sent.end())
          start_us.push_back(std::chrono::duration<double, std::micro>(recs[0]->arrived_at - s->second).count());
        // First token: message sent -> first token read, minus the LLM's own wait between the
        // answer's request arriving and its first token being written.
        auto f = r.first_token.find(q);
        if (auto s = r.sent.find(q); s != r.sent.end() && f != r.first_token.end())
          first_us.push_back(std::chrono::duration<double, std::micro>(f->second.first - s->second).count() -
                             static_cast<double>(f->second.second - std::chrono::duration_cast<std::chrono::nanoseconds>(recs.back()->arrived_at.time_since_epoch()).count()) / 1000.0);
        if (recs.size() >= 2 && r.tool_elapsed_ms.contains(q))
          tool_us.push_back(std::chrono::duration<double, std::micro>(recs[1]->arrived_at - recs[0]->finished_at).count() -
                            r.tool_elapsed_ms[q] * 1000.0);
      }
      auto& lat = r.token_latency_us;
      std::printf("tokens: %zu in %lld token frames; added latency per token (LLM wrote it -> client read it): p50 %.0f us, p99 %.0f us, max %.0f us\n",
                  lat.size(), static_cast<long long>(r.token_frames), percentile(lat, 50), percentile(lat, 99), lat.empty() ? 0.0 : *std::max_element(lat.begin(), lat.end()));
      auto on_time = std::count_if(lat.begin(), lat.end(), [&](double us) { return us < o.on_time_ms * 1000.0; });
      std::printf("on time (added < %.0f ms): %.1f %% of %lld offered tokens\n", o.on_time_ms,
                  100.0 * static_cast<double>(on_time) / std::max(1.0, static_cast<double>(o.clients) * o.turns * o.tokens),
                  static_cast<long long>(o.clients) * o.turns * o.tokens);
      std::printf("turn start overhead (message sent -> LLM request arrived): p50 %.0f us, p99 %.0f us\n", percentile(start_us, 50),
                  percentile(start_us, 99));
      std::printf("first token added latency (message sent -> first token read, minus the LLM's wait): p50 %.0f us, p99 %.0f us\n",
                  percentile(first_us, 50), percentile(first_us, 99));
      if (!tool_us.empty())
        std::printf("tool round overhead (LLM reply done -> next LLM request, minus tool time): p50 %.0f us, p99 %.0f us\n",
                    percentile(tool_us, 50), percentile(tool_us, 99));
      std::printf("turns: %lld in %.2f s; events: %lld (%.0f/s); server CPU %.2f s (%.0f%% of one core); server RSS %.1f MiB\n",
                  static_cast<long long>(r.turns_done), wall, static_cast<long long>(r.events), static_cast<double>(r.events) / wall,
                  end.cpu_s - base.cpu_s, 100.0 * (end.cpu_s - base.cpu_s) / wall, end.rss_mib);
      // The harness's own cost (its clients and the scripted LLM), to tell from the server's: on a
      // shared machine it competes with the server for the same cores.
      std::printf("harness CPU %.2f s (%.0f%% of one core)\n", harness_end.cpu_s - harness_base.cpu_s,
                  100.0 * (harness_end.cpu_s - harness_base.cpu_s) / wall);
      std::printf("LLM: %zu requests over %zu connections\n", records.size(), llm.accepted_connections());
      if (o.sigterm_after_ms > 0) check_kept_after_restart(server, o.server_binary, server_args, (dir / "server2.log").string(), r);
      else if (r.turns_done != static_cast<std::int64_t>(o.clients) * o.turns)
        r.violation(std::to_string(r.turns_done) + " of " + std::to_string(o.clients * o.turns) + " turns finished");
    }
    if (r.violations.empty()) {
      std::printf("check: every stream complete, in order and delivered to its own client\n");
    } else {
      for (auto& v : r.violations) std::printf("VIOLATION %s\n", v.c_str());
      auto log = server.log();
      std::printf("---- server log (end) ----\n%s\n", log.substr(log.size() > 4000 ? log.size() - 4000 : 0).c_str());
      if (o.check) exit_code = 1;
    }
    std::printf("%d passed, %d failed\n", r.violations.empty() ? 1 : 0, r.violations.empty() ? 0 : 1);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pms-load: %s\n", e.what());
    exit_code = 2;
  }
  std::filesystem::remove_all(dir);
  return exit_code;
}
