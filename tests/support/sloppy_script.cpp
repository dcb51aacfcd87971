#include "support/sloppy_script.hpp"

#include <cctype>
#include <regex>

namespace pms::testing {

namespace {

std::string lowercase(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string regex_escaped(std::string_view s) {
  static const std::string special = R"(\^$.|?*+()[]{})";
  std::string out;
  for (char c : s) {
    if (special.find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

// A JSON string or number as the hint writes it.
const std::string kJsonValue = R"(("(?:[^"\\]|\\.)*"|-?[0-9]+(?:\.[0-9]+)?))";

std::vector<std::string> words_of(const std::string& sentence) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < sentence.size()) {
    auto end = sentence.find(' ', start + 1);
    words.push_back(sentence.substr(start, end == std::string::npos ? std::string::npos : end - start));
    start = end == std::string::npos ? sentence.size() : end;
  }
  return words;
}

// What the tools answered since the question, oldest first.
std::vector<json::value> tool_results_of_turn(const json::array& messages) {
  std::vector<json::value> out;
  for (auto& m : messages) {
    auto role = string_member(m.as_object(), "role").value_or("");
    if (role == "user") out.clear();
    if (role != "tool") continue;
    auto v = try_parse(string_member(m.as_object(), "content").value_or(""));
    out.push_back(v ? *v : json::value(nullptr));
  }
  return out;
}

std::string question_of(const json::array& messages) {
  for (auto it = messages.rbegin(); it != messages.rend(); ++it)
    if (string_member(it->as_object(), "role").value_or("") == "user")
      return std::string(string_member(it->as_object(), "content").value_or(""));
  return {};
}

const json::value* member(const json::value& v, std::string_view key) {
  return v.is_object() ? v.get_object().if_contains(key) : nullptr;
}

}  // namespace

json::object sloppy_filter(std::string_view question) {
  std::string q(question);
  std::smatch m;
  if (std::regex_search(q, m, std::regex(R"(assigned to (\w+))", std::regex::icase))) return {{"assignee", m[1].str()}};
  if (std::regex_search(q, m, std::regex(R"(in stage (\w+))", std::regex::icase))) return {{"stage", lowercase(m[1].str())}};
  if (std::regex_search(q, m, std::regex(R"(in state (\w+))", std::regex::icase))) return {{"state.name", lowercase(m[1].str())}};
  return {};
}

json::object follow_hint(json::object filter, std::string_view hint) {
  std::string h(hint);
  json::object out;
  for (auto& [key, value] : filter) {
    std::string path(key);
    json::value v = value;
    std::smatch m;
    std::string k = regex_escaped(path);
    if (std::regex_search(h, m, std::regex("(?:field \"" + k + "\"|\"" + k + "\" holds documents); did you mean \"([^\"]+)\"")))
      path = m[1].str();
    std::string p = regex_escaped(path);
    if (std::regex_search(h, m, std::regex("\"" + p + "\" has no value " + regex_escaped(dump(v)) + "; stored values nearest to it: " + kJsonValue)))
      v = json::parse(m[1].str());
    out[path] = v;
  }
  return out;
}

Responder sloppy_responder(std::chrono::milliseconds delay) {
  return [delay](const json::value& body) {
    // Asked for a plan under a JSON schema: a small model's plan that fits no schema.
    if (member(body, "response_format") || (member(body, "format") && member(body, "format")->is_object()))
      return answer({"{\"entity\": ", "\"tasks\", \"op\": \"how many\"}"}, delay);
    auto& messages = body.at("messages").as_array();
    auto results = tool_results_of_turn(messages);
    json::object filter = sloppy_filter(question_of(messages));
    json::object before = filter;  // as it was before the latest hint was followed
    for (auto& r : results) {
      if (auto* hint = member(r, "hint"); hint && hint->is_string()) {
        before = filter;
        filter = follow_hint(filter, hint->get_string());
      }
    }
    json::object args{{"collection", "workItem"}, {"filter", filter}};
    ScriptedReply reply;
    if (results.empty()) {
      // Its first call breaks off before the closing brace.
      std::string text = dump(args);
      reply = call_tool("count_documents", nullptr);
      reply.tool_calls.front().raw_arguments = text.substr(0, text.size() - 1);
    } else if (results.size() == 1 && member(results.back(), "error")) {
      // It tries again, writing the call as text in its content, split across chunks.
      std::string text = "<tool_call>" + dump(json::object{{"name", "count_documents"}, {"arguments", args}}) + "</tool_call>";
      std::vector<std::string> chunks;
      for (std::size_t at = 0; at < text.size(); at += 9) chunks.push_back(text.substr(at, 9));
      reply = answer(chunks);
    } else if (member(results.back(), "hint") && filter != before && results.size() < 4) {
      reply = call_tool("count_documents", args);  // what the latest hint suggests, as a proper call
    } else {
      auto* count = member(results.back(), "count");
      reply = answer(words_of(count ? "There are **" + dump(*count) + "** work items that match."
                                    : "I could not count the work items."));
    }
    reply.delay = delay;
    return reply;
  };
}

}  // namespace pms::testing
