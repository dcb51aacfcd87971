#pragma once
// Shared set-up of the end-to-end tests: a scripted LLM server and the real pms-assistant binary
// on loopback, each test with its own database file and log.
#include "client/chat_client.hpp"
#include "support/scripted_llm_server.hpp"
#include "support/server_process.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

namespace pms::testing {

using Events = std::vector<json::object>;

inline std::string type_of(const json::object& e) { return std::string(string_member(e, "type").value_or("")); }

inline std::vector<std::string> types(const Events& events) {
  std::vector<std::string> out;
  for (auto& e : events) out.push_back(type_of(e));
  return out;
}

inline std::string joined_tokens(const Events& events, std::string_view type = "token") {
  std::string s;
  for (auto& e : events) if (type_of(e) == type) s += string_member(e, "content").value_or("");
  return s;
}

// Events until (and including) the turn's `complete` or `error`.
inline Events until_done(client::ChatClient& c, std::chrono::seconds timeout = std::chrono::seconds(20)) {
  Events out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto e = c.next_event(std::chrono::milliseconds(200));
    if (!e) continue;
    out.push_back(*e);
    auto t = type_of(*e);
    if (t == "complete" || (t == "error" && e->contains("conversation_id"))) return out;
  }
  ADD_FAILURE() << "no complete/error within " << timeout.count() << " s; got " << out.size() << " events";
  return out;
}

inline json::object next_of_type(client::ChatClient& c, std::string_view type, std::chrono::seconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto e = c.next_event(std::chrono::milliseconds(200));
    if (e && type_of(*e) == type) return *e;
  }
  ADD_FAILURE() << "no '" << type << "' event within " << timeout.count() << " s";
  return {};
}

inline json::object message(std::string_view text, std::string_view conversation_id = {}) {
  json::object m{{"type", "message"}, {"message", text}};
  if (!conversation_id.empty()) m["conversation_id"] = conversation_id;
  return m;
}

class E2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("pms-e2e-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    llm_ = std::make_unique<ScriptedLlmServer>();
  }

  void TearDown() override {
    if (server_ && HasFailure()) std::cout << "---- pms-assistant log ----\n" << server_->log() << "\n";
    server_.reset();
    llm_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  std::string db_path() const { return (dir_ / "pms.db").string(); }

  // Starts pms-assistant on the test's database and scripted LLM; `extra` options ("--name",
  // "value" pairs) replace the defaults of the same name.
  void start_server(std::vector<std::string> extra = {}) {
    std::vector<std::pair<std::string, std::string>> defaults{
        {"--db", db_path()}, {"--ollama-host", llm_->url()}, {"--llm-read-timeout", "3"}, {"--log-level", "debug"},
        // The scripted LLM's tests are of the model's path: the planner would answer their
        // questions itself (auto), and the model's plan would take a reply of their scripts.
        {"--answer-mode", "model"}, {"--model-plans", "off"}};
    std::vector<std::string> args;
    for (auto& [name, value] : defaults) {
      if (std::find(extra.begin(), extra.end(), name) == extra.end()) args.insert(args.end(), {name, value});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    server_ = std::make_unique<ServerProcess>(PMS_ASSISTANT_BINARY, args, (dir_ / "server.log").string());
  }

  std::unique_ptr<client::ChatClient> connect() {
    auto c = std::make_unique<client::ChatClient>(server_->ws_url());
    auto hello = c->next_event(std::chrono::seconds(5));
    EXPECT_TRUE(hello && type_of(*hello) == "connected");
    if (hello) {
      EXPECT_FALSE(string_member(*hello, "client_id").value_or("").empty());
    }
    return c;
  }

  std::filesystem::path dir_;
  std::unique_ptr<ScriptedLlmServer> llm_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace pms::testing
