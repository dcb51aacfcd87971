#include "agent/conversation_memory.hpp"

#include "core/json_util.hpp"

namespace pms::agent {

std::size_t estimate_tokens(std::string_view text) { return (text.size() * 2 + 6) / 7; }

std::size_t estimate_tokens(const llm::ChatMessage& m) {
  std::size_t n = 4 + estimate_tokens(m.content);
  for (auto& c : m.tool_calls) n += 8 + estimate_tokens(c.name) + estimate_tokens(dump(c.arguments));
  return n;
}

std::vector<llm::ChatMessage> fit_history(const std::vector<llm::ChatMessage>& history, std::size_t budget_tokens) {
  // Split into turns, newest last.
  std::vector<std::pair<std::size_t, std::size_t>> turns;  // [begin, end)
  for (std::size_t i = 0; i < history.size(); ++i) {
    if (history[i].role == "user" || turns.empty()) turns.emplace_back(i, i + 1);
    else turns.back().second = i + 1;
  }
  std::vector<std::vector<llm::ChatMessage>> kept;
  std::size_t used = 0;
  for (auto it = turns.rbegin(); it != turns.rend(); ++it) {
    std::vector<llm::ChatMessage> turn(history.begin() + static_cast<std::ptrdiff_t>(it->first),
                                       history.begin() + static_cast<std::ptrdiff_t>(it->second));
    bool newest = it == turns.rbegin();
    if (!newest) {
      // Older turns keep the question and the final answer only.
      std::vector<llm::ChatMessage> compact;
      for (auto& m : turn) {
        if (m.role == "user" || (m.role == "assistant" && m.tool_calls.empty() && !m.content.empty())) compact.push_back(m);
      }
      turn = std::move(compact);
    }
    std::size_t cost = 0;
    for (auto& m : turn) cost += estimate_tokens(m);
    if (used + cost > budget_tokens) break;
    used += cost;
    kept.push_back(std::move(turn));
  }
  std::vector<llm::ChatMessage> out;
  for (auto it = kept.rbegin(); it != kept.rend(); ++it) out.insert(out.end(), it->begin(), it->end());
  return out;
}

ConversationMemory::Recall ConversationMemory::recall(std::string_view conversation_id) {
  Recall out;
  auto stored = store_.load(conversation_id);
  if (!stored) return out;
  for (auto& o : *stored) out.history.push_back(llm::message_from_json(o));
  // The last plan is the newest answer's; a planner refusal since leaves it as it was, any other
  // answer (the model's, a shell query's) ends it: a follow-up then has nothing of the planner's
  // to build on.
  for (auto it = stored->rbegin(); it != stored->rend(); ++it) {
    auto role = string_member(*it, "role");
    if (!role || *role != "assistant" || it->contains("tool_calls")) continue;
    if (auto* plan = it->if_contains("plan_context"); plan && plan->is_object()) {
      out.last_plan = plan->as_object();
      break;
    }
    auto by = string_member(*it, "answered_by");
    if (!by || *by != "planner") break;
  }
  return out;
}

std::string conversation_key(std::string_view tenant, std::string_view conversation_id) {
  if (tenant.empty()) return std::string(conversation_id);
  return std::string(tenant) + "/" + std::string(conversation_id);
}

std::string conversation_title(std::string_view first_user_message, const std::vector<json::object>& messages) {
  std::string text(first_user_message);
  for (auto& m : messages) {
    auto* plan = m.if_contains("plan_context");
    if (!plan || !plan->is_object()) continue;
    if (auto summary = string_member(plan->as_object(), "summary"); summary && !summary->empty()) {
      // Without its asides ("open (state group not Completed or Cancelled)"): a title names, the
      // answer explains.
      text.clear();
      int depth = 0;
      for (char c : *summary) {
        if (c == '(') ++depth;
        else if (c == ')' && depth > 0) --depth;
        else if (depth == 0) text += c;
      }
      for (auto pos = text.find(" ,"); pos != std::string::npos; pos = text.find(" ,")) text.erase(pos, 1);
      break;
    }
  }
  if (text.starts_with("/q ") || text.starts_with("/q\t")) text.erase(0, 3);
  std::string title;  // whitespace runs (newlines too) as one space
  for (char c : text) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space) title += c;
    else if (!title.empty() && title.back() != ' ') title += ' ';
  }
  while (!title.empty() && title.back() == ' ') title.pop_back();
  if (!title.empty() && title[0] >= 'a' && title[0] <= 'z') title[0] = static_cast<char>(title[0] - 'a' + 'A');
  if (title.size() <= kMaxTitleBytes) return title;
  const std::string_view ellipsis = "\u2026";
  std::string cut(truncate_utf8(title, kMaxTitleBytes - ellipsis.size()));
  if (auto space = cut.rfind(' '); space != std::string::npos && space > cut.size() / 2) cut.resize(space);
  while (!cut.empty() && (cut.back() == ' ' || cut.back() == ',')) cut.pop_back();
  return cut + std::string(ellipsis);
}

void ConversationMemory::append(std::string_view conversation_id, std::string_view first_user_message,
                                const std::vector<json::object>& messages) {
  // The title names a new conversation only: a later turn's, or a rename, is not overwritten.
  append_all({{conversation_id, first_user_message, messages}});
}

void ConversationMemory::append_all(const std::vector<Turn>& turns) {
  std::vector<std::string> titles;
  titles.reserve(turns.size());  // the views below point into it
  std::vector<store::ConversationAppend> appends;
  for (auto& t : turns) {
    titles.push_back(conversation_title(t.first_user_message, t.messages));
    appends.push_back({t.conversation_id, titles.back(), t.messages});
  }
  store_.append_all(appends);
}

}  // namespace pms::agent
