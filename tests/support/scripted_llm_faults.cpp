#include "support/scripted_llm_faults.hpp"

namespace pms::testing {

namespace {

constexpr std::array<std::pair<LlmFault, std::string_view>, 9> kNames{{{LlmFault::none, "none"},
                                                                       {LlmFault::reset, "reset"},
                                                                       {LlmFault::stall, "stall"},
                                                                       {LlmFault::garbage, "garbage"},
                                                                       {LlmFault::http_500, "http_500"},
                                                                       {LlmFault::model_not_found, "model_not_found"},
                                                                       {LlmFault::bad_tool_call, "bad_tool_call"},
                                                                       {LlmFault::tool_loop, "tool_loop"},
                                                                       {LlmFault::huge_line, "huge_line"}}};

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::uint64_t hash_text(std::uint64_t seed, std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a, then mixed with the seed
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  return splitmix(h ^ splitmix(seed));
}

// The turn a request belongs to: its last user message, and how many LLM calls of that turn
// came before it (assistant messages since).
struct TurnPosition {
  std::string question;
  int step = 1;
};

TurnPosition position_of(const json::value& body) {
  TurnPosition p;
  auto* messages = body.is_object() ? body.as_object().if_contains("messages") : nullptr;
  if (!messages || !messages->is_array()) return p;
  auto& list = messages->get_array();
  for (auto it = list.rbegin(); it != list.rend(); ++it) {
    if (!it->is_object()) continue;
    auto role = string_member(it->get_object(), "role").value_or("");
    if (role == "user") {
      p.question = std::string(string_member(it->get_object(), "content").value_or(""));
      break;
    }
    if (role == "assistant") ++p.step;
  }
  return p;
}

// A few ordinary tokens first, so that the fault strikes in the middle of a stream.
ScriptedReply partial_answer(const FaultPlan& plan) {
  return answer({"The ", "answer ", "is "}, plan.delay);
}

ScriptedReply malformed_tool_call(std::uint64_t variant) {
  ScriptedReply r;
  switch (variant % 5) {
    case 0: r.tool_calls.push_back({"drop_all_collections", json::object{{"collection", "workItem"}}}); break;
    case 1: r.tool_calls.push_back({"count_documents", json::array{1, 2, 3}}); break;
    case 2: r.tool_calls.push_back({"count_documents", nullptr, std::string(R"({"collection": "workItem", "filter": {)")}); break;
    case 3: r.tool_calls.push_back({"", json::object{{"collection", "workItem"}}}); break;
    default: r.tool_calls.push_back({"count_documents", json::object{{"collection", 42}, {"filter", "not a filter"}}}); break;
  }
  return r;
}

std::string garbage_bytes(std::uint64_t variant) {
  // Half of them look like the start of an SSE event, so that an OpenAI client parses them too.
  std::string out = variant % 4 < 2 ? "data: " : "";
  std::uint64_t x = variant;
  std::size_t n = out.size() + 64 + splitmix(x) % 4096;
  while (out.size() < n) {
    x = splitmix(x);
    for (int i = 0; i < 8 && out.size() < n; ++i) out.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
  }
  out += "\n\n{\"unterminated\": [\n";  // the blank line ends an SSE event
  return out;
}

ScriptedReply fault_reply(const FaultPlan& plan, const FaultChoice& choice, int step) {
  ScriptedReply r;
  switch (choice.fault) {
    case LlmFault::reset:
      r = partial_answer(plan);
      r.reset = true;
      break;
    case LlmFault::stall:
      r = partial_answer(plan);
      r.stall = true;
      break;
    case LlmFault::garbage:
      r = partial_answer(plan);
      r.garbage = garbage_bytes(choice.variant);
      break;
    case LlmFault::http_500:
      r.status = 500;
      r.error_body = R"({"error":"scripted internal server error"})";
      break;
    case LlmFault::model_not_found:
      r.status = 404;
      r.error_body = R"({"error":"model \"qwen3:0.6b\" not found, try pulling it first"})";
      break;
    case LlmFault::bad_tool_call: r = malformed_tool_call(choice.variant); break;
    case LlmFault::tool_loop:
      r = call_tool("count_documents", json::object{{"collection", "workItem"}, {"filter", json::object{{"step", step}}}});
      break;
    case LlmFault::huge_line: r = answer({"Here: ", std::string(plan.huge_line_bytes, 'x')}, plan.delay); break;
    case LlmFault::none: break;
  }
  r.delay = plan.delay;
  return r;
}

}  // namespace

std::string_view fault_name(LlmFault fault) {
  for (auto& [f, name] : kNames) if (f == fault) return name;
  return "none";
}

std::optional<LlmFault> fault_from_name(std::string_view name) {
  for (auto& [f, n] : kNames) if (n == name) return f;
  return std::nullopt;
}

std::string fault_marker(LlmFault fault) { return "[fault:" + std::string(fault_name(fault)) + "]"; }

FaultChoice choose_fault(const FaultPlan& plan, std::string_view question) {
  std::uint64_t h = hash_text(plan.seed, question);
  FaultChoice choice{LlmFault::none, splitmix(h)};
  if (auto at = question.find("[fault:"); at != std::string_view::npos) {
    auto end = question.find(']', at);
    if (auto f = fault_from_name(question.substr(at + 7, end == std::string_view::npos ? 0 : end - at - 7))) {
      choice.fault = *f;
      return choice;
    }
  }
  double u = static_cast<double>(h >> 11) / static_cast<double>(std::uint64_t{1} << 53);
  if (u < plan.fault_share) {
    choice.fault = kInjectedFaults[static_cast<std::size_t>(u / plan.fault_share * kInjectedFaults.size()) % kInjectedFaults.size()];
  }
  return choice;
}

Responder with_faults(FaultPlan plan, Responder normal) {
  return [plan, normal = std::move(normal)](const json::value& body) {
    auto pos = position_of(body);
    auto choice = choose_fault(plan, pos.question);
    bool stream_fault = choice.fault == LlmFault::reset || choice.fault == LlmFault::stall || choice.fault == LlmFault::garbage ||
                        choice.fault == LlmFault::http_500 || choice.fault == LlmFault::model_not_found ||
                        choice.fault == LlmFault::huge_line;
    int fault_step = stream_fault && choice.variant % 2 == 1 ? 2 : 1;
    bool strikes = choice.fault == LlmFault::tool_loop || (choice.fault != LlmFault::none && pos.step == fault_step);
    return strikes ? fault_reply(plan, choice, pos.step) : normal(body);
  };
}

}  // namespace pms::testing
