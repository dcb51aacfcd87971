#include "llm/chat_types.hpp"

#include "llm/llm_error.hpp"

namespace pms::llm {

json::object to_json(const ChatMessage& m) {
  json::object o{{"role", m.role}, {"content", m.content}};
  if (!m.tool_calls.empty()) {
    json::array calls;
    for (auto& c : m.tool_calls) calls.push_back(json::object{{"id", c.id}, {"name", c.name}, {"arguments", c.arguments}});
    o["tool_calls"] = std::move(calls);
  }
  if (!m.tool_name.empty()) o["tool_name"] = m.tool_name;
  if (!m.tool_call_id.empty()) o["tool_call_id"] = m.tool_call_id;
  return o;
}

ChatMessage message_from_json(const json::object& o) {
  ChatMessage m;
  m.role = std::string(string_member(o, "role").value_or("user"));
  m.content = std::string(string_member(o, "content").value_or(""));
  m.tool_name = std::string(string_member(o, "tool_name").value_or(""));
  m.tool_call_id = std::string(string_member(o, "tool_call_id").value_or(""));
  if (auto it = o.find("tool_calls"); it != o.end() && it->value().is_array()) {
    for (auto& c : it->value().get_array()) {
      if (!c.is_object()) continue;
      ToolCall call;
      call.id = std::string(string_member(c.get_object(), "id").value_or(""));
      call.name = std::string(string_member(c.get_object(), "name").value_or(""));
      if (auto a = c.get_object().find("arguments"); a != c.get_object().end()) call.arguments = a->value();
      m.tool_calls.push_back(std::move(call));
    }
  }
  return m;
}

void set_arguments_from_text(ToolCall& call, std::string_view text) {
  std::string_view t = text;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  if (t.empty()) {
    call.arguments = json::object();
    return;
  }
  std::string err;
  auto v = try_parse(t, &err);
  if (!v) {
    call.arguments = json::object();
    call.arguments_error = "arguments are not valid JSON (" + err + "): " + excerpt(t, 200);
  } else if (!v->is_object()) {
    call.arguments = json::object();
    call.arguments_error = "arguments must be a JSON object, got: " + excerpt(t, 200);
  } else {
    call.arguments = std::move(*v);
  }
}

ToolSet::ToolSet(std::vector<ToolSpec> specs) : specs_(std::move(specs)) {
  json_ = "[";
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    json_ += i ? "," : "";
    json_ += R"({"type":"function","function":{"name":)" + json::serialize(json::string_view(specs_[i].name)) +
             R"(,"description":)" + json::serialize(json::string_view(specs_[i].description)) + R"(,"parameters":)" +
             json::serialize(specs_[i].parameters) + "}}";
  }
  json_ += "]";
}

std::string with_tools(const json::object& body, const ToolSet* tools) {
  std::string out = dump(body);
  if (!tools || tools->specs().empty()) return out;
  out.pop_back();  // the body's closing brace
  out += body.empty() ? "\"tools\":" : ",\"tools\":";
  out += tools->json_array();
  out += "}";
  return out;
}

}  // namespace pms::llm
