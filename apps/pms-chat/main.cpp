// pms-chat: a terminal client for the chat WebSocket. Prints the answer as it streams, the tool
// calls and their results, and after each answer which path answered, how fast, and how many rows
// of a list are left to ask for.
#include "client/chat_client.hpp"
#include "client/reply_summary.hpp"

#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <iomanip>
#include <iostream>

namespace {

std::atomic<bool> interrupted{false};

struct Options {
  std::string url = "ws://localhost:8000/ws/chat";
  std::string conversation_id;
  std::string mode;  // empty: the server's --answer-mode
  bool show_thinking = false;
  bool quiet = false;
  double timeout_s = 300;
  std::vector<std::string> messages;
};

std::string str(const pms::json::object& e, std::string_view key) {
  auto v = pms::string_member(e, key);
  return v ? std::string(*v) : std::string();
}

std::string shorten(std::string s, std::size_t n) {
  if (s.size() <= n) return s;
  return std::string(pms::truncate_utf8(s, n)) + "…";
}

// Sends one question and prints its events until `complete` or `error`. Returns false on error.
bool ask(pms::client::ChatClient& client, const Options& opt, std::string& conversation_id, const std::string& text) {
  pms::json::object msg{{"type", "message"}, {"message", text}};
  if (!conversation_id.empty()) msg["conversation_id"] = conversation_id;
  if (!opt.mode.empty()) msg["mode"] = opt.mode;
  client.send(msg);
  bool thinking_open = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(opt.timeout_s * 1000));
  bool cancel_sent = false;
  while (std::chrono::steady_clock::now() < deadline) {
    if (interrupted.exchange(false) && !cancel_sent) {
      client.send(pms::json::object{{"type", "cancel"}});
      cancel_sent = true;
      std::cout << "\n[cancelling]" << std::flush;
    }
    auto ev = client.next_event(std::chrono::milliseconds(100));
    if (!ev) continue;
    std::string type = str(*ev, "type");
    if (type == "user_message") {
      conversation_id = str(*ev, "conversation_id");
    } else if (type == "token") {
      if (thinking_open) {
        std::cout << "\n";
        thinking_open = false;
      }
      std::cout << str(*ev, "content") << std::flush;
    } else if (type == "thinking") {
      if (opt.show_thinking) {
        if (!thinking_open) std::cout << "\x1b[2m[thinking] ";
        thinking_open = true;
        std::cout << str(*ev, "content") << "\x1b[0m" << std::flush;
      }
    } else if (type == "tool_start") {
      if (!opt.quiet) std::cout << "\n\x1b[36m[tool] " << str(*ev, "tool_name") << " " << shorten(str(*ev, "input"), 300) << "\x1b[0m\n" << std::flush;
    } else if (type == "tool_end") {
      if (!opt.quiet) {
        double ms = ev->contains("elapsed_ms") ? ev->at("elapsed_ms").to_number<double>() : 0;
        std::cout << "\x1b[36m[tool] " << str(*ev, "tool_name") << " done in " << std::fixed << std::setprecision(1) << ms
                  << std::defaultfloat << " ms: " << shorten(str(*ev, "output"), 300)
                  << "\x1b[0m\n" << std::flush;
      }
    } else if (type == "complete") {
      std::cout << "\n\x1b[2m" << pms::client::reply_footer(*ev) << "\x1b[0m\n";
      if (auto more = pms::client::more_rows_hint(*ev); !more.empty()) std::cout << more << "\n";
      std::cout << std::flush;
      return true;
    } else if (type == "error") {
      std::cerr << "\n\x1b[31merror (" << str(*ev, "code") << "): " << str(*ev, "message") << "\x1b[0m\n";
      return false;
    }
  }
  std::cerr << "\nno answer within " << opt.timeout_s << " s\n";
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  CLI::App app{"pms-chat: chat with pms-assistant from the terminal"};
  app.add_option("--url", opt.url, "Chat WebSocket URL")->envname("PMS_CHAT_URL")->capture_default_str();
  app.add_option("--conversation", opt.conversation_id, "Continue this conversation id");
  app.add_option("--mode", opt.mode, "Who answers: auto, model or planner (default: the server's --answer-mode)")
      ->check(CLI::IsMember({"auto", "model", "planner"}));
  app.add_flag("--thinking", opt.show_thinking, "Show the model's reasoning");
  app.add_flag("-q,--quiet", opt.quiet, "Do not print tool calls");
  app.add_option("--timeout", opt.timeout_s, "Seconds to wait for one answer")->capture_default_str();
  app.add_option("messages", opt.messages, "Questions to ask in turn; none: interactive prompt");
  CLI11_PARSE(app, argc, argv);

  std::signal(SIGINT, [](int) { interrupted = true; });
  try {
    pms::client::ChatClient client(opt.url);
    auto hello = client.next_event(std::chrono::seconds(5));
    if (!hello || pms::string_member(*hello, "type").value_or("") != "connected") {
      std::cerr << "the server did not greet us: is " << opt.url << " a pms-assistant?\n";
      return 1;
    }
    std::string conversation = opt.conversation_id;
    bool ok = true;
    if (!opt.messages.empty()) {
      for (auto& m : opt.messages) {
        std::cout << "\x1b[1m> " << m << "\x1b[0m\n";
        ok = ask(client, opt, conversation, m) && ok;
      }
    } else {
      std::string line;
      while (std::cout << "\x1b[1myou>\x1b[0m " << std::flush, std::getline(std::cin, line)) {
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        if (line == "/quit" || line == "/exit") break;
        if (line == "/new") {
          conversation.clear();
          continue;
        }
        ask(client, opt, conversation, line);
      }
    }
    if (!conversation.empty()) std::cerr << "\x1b[2mconversation " << conversation << "\x1b[0m\n";
    return ok ? 0 : 2;
  } catch (const std::exception& e) {
    std::cerr << "pms-chat: " << e.what() << "\n";
    return 1;
  }
}
