// Soak under injected LLM faults (issue 14, finding 7): many turns over many WebSocket connections
// against a scripted LLM that resets, stalls, sends garbage, answers 500 or "model not found",
// calls tools badly or endlessly, or sends one huge line; some clients cancel, some disconnect
// mid-turn. Short by default (CI); longer, e.g.:
//   PMS_SOAK_TURNS=1000 PMS_SOAK_CONNECTIONS=40 build/bin/e2e_tests --gtest_filter='Soak*'
// PMS_SOAK_SEED replays another mix, PMS_SOAK_SECONDS bounds the whole run.
#include "e2e/e2e_fixture.hpp"
#include "support/scripted_llm_faults.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <thread>

using namespace pms;
using namespace pms::testing;
using namespace std::chrono_literals;

namespace {

long env_or(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtol(v, nullptr, 10) : fallback;
}

enum class ClientAction { none, cancel, disconnect };

struct TurnPlan {
  int index = 0;
  std::string text;
  std::string conversation_id;
  LlmFault fault = LlmFault::none;  // what the scripted LLM does to this turn
  ClientAction action = ClientAction::none;
  std::chrono::milliseconds act_after{0};
};

struct TurnResult {
  bool ran = false;
  int terminals = 0;  // `complete` and `error` events of the turn's conversation
  std::string outcome;  // the first of them: "complete", "cancelled" or "error <code>"
  std::string stray_error;  // an error of no conversation (busy, rate_limited...) while the turn ran
  bool client_disconnected = false;
  std::optional<int> server_closed;  // the connection ended before the turn did: the close code (-1: none)
  bool timed_out = false;
};

constexpr auto kTurnLimit = 30s;  // no turn may run longer: stalls end at the LLM read timeout

TurnPlan plan_turn(const FaultPlan& faults, int i, bool warm_up) {
  TurnPlan p;
  p.index = i;
  p.conversation_id = "soak-" + std::to_string(i);
  p.text = "How many work items are there? (soak turn " + std::to_string(i) + ")";
  if (warm_up) {
    p.text += " " + fault_marker(LlmFault::none);
    return p;
  }
  p.fault = choose_fault(faults, p.text).fault;
  std::mt19937_64 rng(faults.seed * 1000003 + static_cast<std::uint64_t>(i));
  auto roll = rng() % 100;
  p.action = roll < 10 ? ClientAction::cancel : roll < 20 ? ClientAction::disconnect : ClientAction::none;
  p.act_after = std::chrono::milliseconds(rng() % 400);
  return p;
}

// Counts a turn-ending event towards the turn whose conversation it names.
void note_event(const json::object& e, std::vector<TurnResult>& results) {
  auto type = type_of(e);
  auto cid = string_member(e, "conversation_id").value_or("");
  if ((type != "complete" && type != "error") || cid.substr(0, 5) != "soak-") return;
  auto index = static_cast<std::size_t>(std::stoul(std::string(cid.substr(5))));
  if (index >= results.size()) return;
  auto& r = results[index];
  if (r.terminals++ > 0) return;
  auto* cancelled = e.if_contains("cancelled");
  if (type == "complete") r.outcome = cancelled && cancelled->is_bool() && cancelled->get_bool() ? "cancelled" : "complete";
  else r.outcome = "error " + std::string(string_member(e, "code").value_or("?"));
}

void run_turn(client::ChatClient& c, const TurnPlan& p, std::vector<TurnResult>& results) {
  auto& r = results[static_cast<std::size_t>(p.index)];
  r.ran = true;
  auto start = std::chrono::steady_clock::now();
  bool acted = p.action == ClientAction::none;
  try {
    c.send(message(p.text, p.conversation_id));
    while (r.terminals == 0) {
      auto waited = std::chrono::steady_clock::now() - start;
      if (waited > kTurnLimit) {
        r.timed_out = true;
        return;
      }
      if (!acted && waited >= p.act_after) {
        acted = true;
        if (p.action == ClientAction::disconnect) {
          r.client_disconnected = true;
          c.close();
          return;
        }
        c.send(json::object{{"type", "cancel"}});
      }
      auto e = c.next_event(acted ? 200ms : 10ms);
      if (!e) continue;
      note_event(*e, results);
      if (type_of(*e) == "error" && !e->contains("conversation_id") && r.stray_error.empty())
        r.stray_error = std::string(string_member(*e, "code").value_or("?"));
    }
  } catch (const std::runtime_error& e) {  // the connection ended
    if (r.terminals == 0) {
      r.server_closed = c.close_code().value_or(-1);
      r.outcome = e.what();
    }
  }
}

std::unique_ptr<client::ChatClient> open_client(const std::string& url) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    try {
      auto c = std::make_unique<client::ChatClient>(url);
      if (auto hello = c->next_event(5s); hello && type_of(*hello) == "connected") return c;
    } catch (const std::runtime_error&) {
    }
    std::this_thread::sleep_for(100ms);
  }
  return nullptr;
}

// Runs the turns `next` hands out on one connection at a time (a new one after a disconnect),
// until every turn ran or `deadline` passed.
void run_connection(const std::string& url, const std::vector<TurnPlan>& plans, std::vector<TurnResult>& results,
                    std::atomic<std::size_t>& next, std::chrono::steady_clock::time_point deadline) {
  std::unique_ptr<client::ChatClient> c;
  for (std::size_t i; std::chrono::steady_clock::now() < deadline && (i = next++) < plans.size();) {
    if (!c && !(c = open_client(url))) {
      results[i].ran = true;
      results[i].outcome = "could not connect";
      continue;
    }
    run_turn(*c, plans[i], results);
    if (!c->is_open() || results[i].client_disconnected) c.reset();
  }
  // A second `complete`/`error` of the last turn would come now.
  try {
    auto until = std::chrono::steady_clock::now() + 300ms;
    while (c && std::chrono::steady_clock::now() < until) {
      if (auto e = c->next_event(50ms)) note_event(*e, results);
    }
  } catch (const std::runtime_error&) {
  }
}

void run_turns(const std::string& url, const std::vector<TurnPlan>& plans, std::vector<TurnResult>& results, int connections,
               std::chrono::steady_clock::time_point deadline) {
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (int k = 0; k < connections; ++k) threads.emplace_back([&] { run_connection(url, plans, results, next, deadline); });
  for (auto& t : threads) t.join();
}

std::string describe(const TurnPlan& p, const TurnResult& r) {
  static const char* actions[] = {"none", "cancel", "disconnect"};
  std::ostringstream s;
  s << "turn " << p.index << " (fault " << fault_name(p.fault) << ", client " << actions[static_cast<int>(p.action)] << "): ";
  if (r.server_closed) s << "the connection ended (close code " << *r.server_closed << ") without complete/error: " << r.outcome;
  else if (r.timed_out) s << "no complete/error within " << kTurnLimit.count() << " s";
  else s << r.terminals << " complete/error events, first: " << r.outcome;
  if (!r.stray_error.empty()) s << "; meanwhile an error of no conversation: " << r.stray_error;
  return s.str();
}

std::uintmax_t file_size_or_zero(const std::filesystem::path& p) {
  std::error_code ec;
  auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : n;
}

// The normal model: counts work items with a tool, then answers at length: multi-byte text
// that the server's splitting of long deltas must keep whole, and enough of it that the saved
// conversations write tens of MB to the database over a run.
ScriptedReply counting_model(const json::value& body) {
  auto& last = body.at("messages").as_array().back().as_object();
  if (string_member(last, "role").value_or("") == "tool") {
    std::string long_token = "a";
    for (int i = 0; i < 1000; ++i) long_token += i % 2 ? "\u00fc" : "\u20ac";  // 2- and 3-byte characters
    std::vector<std::string> tokens{"There ", "are ", "that ", "many. "};
    tokens.insert(tokens.end(), 150, long_token);  // 375 KB
    return answer(std::move(tokens), 1ms);
  }
  auto r = call_tool("count_documents", json::object{{"collection", "workItem"}});
  r.delay = 2ms;
  return r;
}

class SoakE2e : public E2eTest {
 protected:
  // Runs the soak against the server started with `wire` (which LLM protocol) and checks it.
  void soak(std::vector<std::string> wire);
};

void SoakE2e::soak(std::vector<std::string> wire) {
  const int turns = static_cast<int>(env_or("PMS_SOAK_TURNS", 200));
  const int connections = static_cast<int>(env_or("PMS_SOAK_CONNECTIONS", 20));
  const auto budget = std::chrono::seconds(env_or("PMS_SOAK_SECONDS", 90));
  const std::size_t rss_growth_bound = static_cast<std::size_t>(env_or("PMS_SOAK_RSS_GROWTH_MIB", 128)) << 20;
  // Checkpointed as SQLite does by default (after 1000 pages), the WAL stays near its size after
  // the demo data (about 5 MB); not checkpointed, it holds every answer saved (about 50 MB here).
  const std::uintmax_t wal_bound = static_cast<std::uintmax_t>(env_or("PMS_SOAK_WAL_MIB", 32)) << 20;
  FaultPlan faults;
  faults.seed = static_cast<std::uint64_t>(env_or("PMS_SOAK_SEED", 14));
  faults.fault_share = 0.6;
  llm_->set_responder(with_faults(faults, counting_model));
  wire.insert(wire.end(), {"--max-concurrent-turns", std::to_string(connections), "--llm-read-timeout", "2", "--rate-limit",
                           "50", "--rate-burst", "100", "--log-level", "info"});
  start_server(wire);
  const auto deadline = std::chrono::steady_clock::now() + budget;

  // Warm-up: fault-free turns on every connection, then the memory baseline.
  std::vector<TurnPlan> warm_plans;
  for (int i = 0; i < connections; ++i) warm_plans.push_back(plan_turn(faults, turns + i, true));
  std::vector<TurnResult> warm_results(static_cast<std::size_t>(turns + connections));
  run_turns(server_->ws_url(), warm_plans, warm_results, connections, deadline);
  ASSERT_TRUE(llm_->wait_until_no_connection_open(5s));
  const std::size_t rss_baseline = server_->rss_bytes();
  const auto wal_baseline = file_size_or_zero(db_path() + "-wal");

  std::vector<TurnPlan> plans;
  for (int i = 0; i < turns; ++i) plans.push_back(plan_turn(faults, i, false));
  std::vector<TurnResult> results(static_cast<std::size_t>(turns + connections));
  auto soak_start = std::chrono::steady_clock::now();
  run_turns(server_->ws_url(), plans, results, connections, deadline);
  double soak_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - soak_start).count();

  // Every turn its client did not leave ended with exactly one `complete` or `error`; a huge line
  // ends with `llm_stream_error`.
  std::vector<std::string> failures;
  std::map<std::string, std::map<std::string, int>> outcomes;  // fault -> outcome -> turns
  for (auto& p : plans) {
    auto& r = results[static_cast<std::size_t>(p.index)];
    std::string outcome = !r.ran                 ? "not run"
                          : r.client_disconnected ? "client disconnected"
                          : r.server_closed       ? "connection ended"
                                                  : r.outcome;
    ++outcomes[std::string(fault_name(p.fault))][outcome];
    if (!r.ran) continue;  // counted below
    bool ended_once = !r.server_closed && !r.timed_out && r.stray_error.empty() &&
                      (r.client_disconnected ? r.terminals <= 1 : r.terminals == 1);
    bool right_error = p.fault != LlmFault::huge_line || p.action != ClientAction::none || r.outcome == "error llm_stream_error";
    if (!ended_once || !right_error) failures.push_back(describe(p, r));
  }
  auto ran = std::count_if(results.begin(), results.begin() + turns, [](auto& r) { return r.ran; });
  EXPECT_EQ(ran, turns) << "the time budget of " << budget.count() << " s (PMS_SOAK_SECONDS) ran out after " << ran << " turns";
  std::ostringstream summary;
  summary << turns << " turns over " << connections << " connections in " << soak_s << " s; outcomes per fault:\n";
  for (auto& [fault, counts] : outcomes) {
    summary << "  " << fault << ":";
    for (auto& [outcome, n] : counts) summary << " " << outcome << " x" << n << ";";
    summary << "\n";
  }
  std::cout << summary.str();
  std::ostringstream listed;
  for (std::size_t i = 0; i < failures.size() && i < 20; ++i) listed << "  " << failures[i] << "\n";
  EXPECT_TRUE(failures.empty()) << failures.size() << " turns did not end right:\n" << listed.str();

  // Every upstream stream was closed soon after the turns ended.
  EXPECT_TRUE(llm_->wait_until_no_connection_open(5s))
      << llm_->open_connections() << " connections to the LLM still open 5 s after the last turn (peak "
      << llm_->peak_open_connections() << ")";
  // The server is alive and answers, and no turn, LLM slot or chat session of the run is left.
  ASSERT_TRUE(server_->running());
  EXPECT_EQ(http_call(server_->port(), "GET", "/health").status, 200);
  std::string status;
  for (auto until = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(50ms)) {
    auto reply = http_call(server_->port(), "GET", "/api/status");
    status = reply.body;
    auto v = json::parse(reply.body).as_object();
    auto& slots = v.at("llm_slots").as_object();
    if (v.at("running_turns") == 0 && slots.at("running") == 0 && slots.at("waiting") == 0 &&
        v.at("connections").at("websocket") == 0)
      break;
    status += " (still busy)";
  }
  EXPECT_EQ(status.find("(still busy)"), std::string::npos) << "5 s after the run: " << status;
  // Memory and the write-ahead log stay bounded.
  std::size_t rss_after = server_->rss_bytes();
  std::cout << "server RSS: " << (rss_baseline >> 20) << " MiB after warm-up, " << (rss_after >> 20) << " MiB after the soak\n";
  EXPECT_LE(rss_after, rss_baseline + rss_growth_bound)
      << "server RSS grew from " << (rss_baseline >> 20) << " MiB to " << (rss_after >> 20) << " MiB";
  auto wal = file_size_or_zero(db_path() + "-wal");
  std::cout << "SQLite WAL: " << (wal_baseline >> 10) << " KiB after warm-up, " << (wal >> 10) << " KiB after the soak, beside a "
            << (file_size_or_zero(db_path()) >> 10) << " KiB database\n";
  EXPECT_LE(wal, wal_bound) << "the WAL beside the database grew to " << (wal >> 20) << " MiB";
}

TEST_F(SoakE2e, EveryTurnEndsOnceUnderInjectedOllamaFaultsAndNothingLeaks) { soak({"--llm", "ollama"}); }

TEST_F(SoakE2e, EveryTurnEndsOnceUnderInjectedOpenAiFaultsAndNothingLeaks) {
  soak({"--llm", "openai", "--openai-base-url", llm_->url() + "/v1"});
}

}  // namespace
