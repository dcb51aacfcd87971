// pms-scripted-llm: a TEST DOUBLE, not a model. It serves the Ollama and OpenAI-compatible wire
// formats on 127.0.0.1 with a fixed behaviour, so the product can be tried, demonstrated and
// load-tested on machines without model weights: to a question it answers with one
// count_documents tool call (on the collection the question names, else workItem), then streams
// a sentence with the count, word by word. With --sloppy it behaves like a 0.6B model instead
// (sloppy_script.hpp: lowercase values, invented fields, a malformed call, a call written as text,
// then the correction a zero result's hint suggests). With --fault-share it injects faults into
// that share of the questions (see scripted_llm_faults.hpp), the same ones for the same --fault-seed.
#include "support/scripted_llm_faults.hpp"
#include "support/scripted_llm_server.hpp"
#include "support/sloppy_script.hpp"

#include <CLI/CLI.hpp>

#include <array>
#include <csignal>
#include <iostream>
#include <thread>

namespace {

std::atomic<bool> stop{false};

std::string collection_named_in(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::array<std::pair<const char*, const char*>, 8> words = {{{"project", "project"}, {"cycle", "cycle"},
                                                                          {"sprint", "cycle"}, {"module", "module"},
                                                                          {"member", "members"}, {"epic", "epic"},
                                                                          {"page", "page"}, {"stor", "userStory"}}};
  for (auto& [word, collection] : words) {
    if (text.find(word) != std::string::npos) return collection;
  }
  return "workItem";
}

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 11435;
  int delay_ms = 40;
  std::string model = "qwen3:0.6b";
  bool sloppy = false;
  pms::testing::FaultPlan faults;
  faults.fault_share = 0;
  CLI::App app{"pms-scripted-llm: a scripted stand-in for an LLM server (test double), on 127.0.0.1"};
  app.add_option("--port", port, "Port on 127.0.0.1")->capture_default_str();
  app.add_option("--delay-ms", delay_ms, "Milliseconds between streamed chunks")->capture_default_str();
  app.add_option("--model", model, "Model name it claims to serve")->capture_default_str();
  app.add_flag("--sloppy", sloppy, "Behave like a 0.6B model: lowercase values, invented fields, a malformed call, a call as text, then follow the tools' hints");
  app.add_option("--fault-share", faults.fault_share, "Share of questions (0..1) whose turn gets an injected fault")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  app.add_option("--fault-seed", faults.seed, "Seed choosing which questions get which fault")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  pms::testing::ScriptedLlmServer server({model}, port);
  pms::testing::Responder counting = [delay_ms](const pms::json::value& body) {
    using namespace pms;
    auto& messages = body.at("messages").as_array();
    auto& last = messages.back().as_object();
    if (string_member(last, "role").value_or("") == "tool") {
      std::string count = "an unknown number of";
      if (auto v = try_parse(string_member(last, "content").value_or("")); v && v->is_object() && v->get_object().contains("count"))
        count = dump(v->at("count"));
      std::string collection = "documents";
      for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
        if (string_member(it->as_object(), "role").value_or("") == "user") {
          collection = collection_named_in(std::string(string_member(it->as_object(), "content").value_or("")));
          break;
        }
      }
      std::vector<std::string> words;
      std::string sentence = "The database holds **" + count + "** " + collection + " documents that match.";
      std::size_t start = 0;
      while (start < sentence.size()) {
        auto end = sentence.find(' ', start + 1);
        words.push_back(sentence.substr(start, end == std::string::npos ? std::string::npos : end - start));
        start = end == std::string::npos ? sentence.size() : end;
      }
      return pms::testing::answer(words, std::chrono::milliseconds(delay_ms));
    }
    std::string question(string_member(last, "content").value_or(""));
    auto reply = pms::testing::call_tool("count_documents", json::object{{"collection", collection_named_in(question)}});
    reply.delay = std::chrono::milliseconds(delay_ms);
    return reply;
  };
  // Markers such as "[fault:stall]" in a question select a fault even without --fault-share.
  faults.delay = std::chrono::milliseconds(delay_ms);
  if (sloppy) counting = pms::testing::sloppy_responder(std::chrono::milliseconds(delay_ms));
  server.set_responder(pms::testing::with_faults(faults, std::move(counting)));
  std::cout << "pms-scripted-llm (test double" << (sloppy ? ", sloppy" : "") << ") serving " << model << " at " << server.url()
            << " (open connections: GET /scripted/connections)" << std::endl;
  std::signal(SIGINT, [](int) { stop = true; });
  std::signal(SIGTERM, [](int) { stop = true; });
  while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
}
