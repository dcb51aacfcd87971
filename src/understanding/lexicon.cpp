#include "understanding/lexicon.hpp"

#include "understanding/text_match.hpp"

#include <algorithm>

namespace pms::understanding {

namespace {

const WordSet& stopwords() {
  static const WordSet words = {
      "a", "an", "the", "of", "in", "on", "at", "for", "to", "with", "from", "into", "within", "inside", "under", "as",
      "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "have", "has", "had", "having", "got",
      "there", "here", "what", "whats", "which", "how", "me", "i", "we", "us", "our", "you", "u", "please", "pls", "plz",
      "show", "list", "give", "tell", "find", "get", "display", "see", "know", "want", "need", "like", "would", "could",
      "can", "let", "lets", "all", "any", "some", "that", "this", "those", "these", "it", "its", "they", "them", "their",
      "and", "or", "so", "s", "d", "re", "ve", "ll", "currently", "right", "now", "just", "exactly", "overall",
      "altogether", "still", "yet", "also", "ones", "one", "hey", "hi", "hello", "thanks", "thank", "quick", "quickly",
      "question", "exist", "exists", "existing", "total", "whole", "entire", "every", "anything", "something", "stuff",
      "kindly", "up", "out", "being", "belong", "belongs", "available", "team", "teams", "ever", "than", "sitting", "either", "waiting", "marked", "flagged", "combined", "together", "used",
  };
  return words;
}

bool transposition(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
}

// Every single word the reader knows, from the lists above and the PMS model.
const std::set<std::string, std::less<>>& vocabulary() {
  static const auto words = [] {
    std::set<std::string, std::less<>> out;
    auto add = [&](std::string_view phrase) {
      for (auto& w : split_words(phrase)) out.insert(w.text);
    };
    for (auto* set : {&stopwords(), &done_words(), &cancelled_states(), &open_words(), &cancelled_words(), &started_phrases(),
                      &negations(), &created_verbs(), &updated_verbs(), &due_verbs()})
      for (auto w : *set) add(w);
    for (auto& s : synonyms()) add(s.phrase), add(s.canonical);
    for (auto& e : entity_specs())
      for (auto n : e.nouns) add(n);
    for (auto& r : role_specs()) {
      for (auto n : r.nouns) add(n);
      for (auto c : r.cues) add(c);
    }
    for (auto g : {state_group::backlog, state_group::unstarted, state_group::started, state_group::completed, state_group::cancelled})
      add(g);
    for (auto w : {"urgent", "high", "medium", "low", "many", "count", "number", "most", "least", "latest", "newest", "oldest",
                   "recent", "recently", "overdue", "highest", "busiest"})
      add(w);
    return out;
  }();
  return words;
}

}  // namespace

bool is_stopword(std::string_view word) { return stopwords().contains(word); }

std::optional<std::string_view> vocabulary_typo(std::string_view word) {
  auto& words = vocabulary();
  if (word.size() < 4 || words.contains(word)) return std::nullopt;
  std::vector<std::string_view> near, swapped;
  for (auto& v : words) {
    if (v.size() < 4 || v.front() != word.front() || edit_distance(word, v, 1) > 1) continue;
    near.push_back(v);
    if (transposition(word, v)) swapped.push_back(v);
  }
  if (near.size() == 1) return near.front();
  if (swapped.size() == 1) return swapped.front();
  // "wich" is "which" or "with": either way a word without meaning.
  if (!near.empty() && std::all_of(near.begin(), near.end(), [](auto v) { return is_stopword(v); })) return near.front();
  return std::nullopt;
}

const std::vector<Synonym>& synonyms() {
  static const std::vector<Synonym> list = {
      {Role::priority, "critical", "urgent"}, {Role::priority, "blocker", "urgent"},
      {Role::priority, "p0", "urgent"}, {Role::priority, "important", "high"}, {Role::priority, "p1", "high"},
      {Role::priority, "normal", "medium"}, {Role::priority, "moderate", "medium"}, {Role::priority, "p2", "medium"},
      {Role::priority, "minor", "low"}, {Role::priority, "trivial", "low"}, {Role::priority, "p3", "low"},
      {Role::priority, "unprioritized", "none"}, {Role::priority, "unprioritised", "none"}, {Role::priority, "no priority", "none"},
      {Role::priority, "without priority", "none"},
      {Role::state, "ongoing", "in progress"}, {Role::state, "wip", "in progress"}, {Role::state, "work in progress", "in progress"},
      {Role::state, "started", "in progress"}, {Role::state, "in flight", "in progress"}, {Role::state, "underway", "in progress"},
      {Role::state, "being worked on", "in progress"}, {Role::state, "doing", "in progress"},
      {Role::state, "to do", "todo"}, {Role::state, "review", "in review"}, {Role::state, "reviewing", "in review"},
      {Role::state, "under review", "in review"}, {Role::state, "code review", "in review"}, {Role::state, "backlogged", "backlog"},
      {Role::state, "canceled", "cancelled"}, {Role::state, "dropped", "cancelled"}, {Role::state, "abandoned", "cancelled"},
      {Role::status, "current", "active"}, {Role::status, "ongoing", "active"}, {Role::status, "running", "active"},
      {Role::status, "next", "upcoming"}, {Role::status, "future", "upcoming"}, {Role::status, "planned", "upcoming"},
      {Role::status, "past", "completed"}, {Role::status, "finished", "completed"}, {Role::status, "previous", "completed"},
      {Role::status, "not started", "not started"}, {Role::status, "in progress", "started"},
      {Role::member_role, "admins", "admin"}, {Role::member_role, "administrators", "admin"}, {Role::member_role, "administrator", "admin"},
      {Role::member_role, "viewers", "viewer"}, {Role::member_type, "guests", "guest"}, {Role::member_type, "external", "guest"},
      {Role::visibility, "public", "public"}, {Role::visibility, "private", "private"},
  };
  return list;
}

const WordSet& done_words() {
  static const WordSet words = {"done", "completed", "complete", "closed", "resolved", "finished", "shipped"};
  return words;
}

const WordSet& transition_verbs() {
  static const WordSet words = {"done", "completed", "complete", "closed", "resolved", "finished", "shipped", "released", "deployed",
                                "merged", "delivered", "cancelled", "canceled", "dropped", "rejected", "started", "reopened", "blocked",
                                "reviewed", "approved", "moved"};
  return words;
}

const WordSet& cancelled_states() {
  static const WordSet words = {"cancelled", "canceled", "won t fix", "wont fix", "rejected", "duplicate", "abandoned"};
  return words;
}

const WordSet& open_words() {
  static const WordSet words = {"open", "opened", "active", "unresolved", "unfinished", "incomplete", "remaining",
                                "outstanding", "unclosed", "uncompleted", "left"};
  return words;
}

bool done_like(std::string_view normalized_state) { return done_words().contains(normalized_state); }
bool cancelled_like(std::string_view normalized_state) { return cancelled_states().contains(normalized_state); }

const WordSet& cancelled_words() {
  static const WordSet words = {"cancelled", "canceled", "dropped", "abandoned"};
  return words;
}

const WordSet& started_phrases() {
  static const WordSet words = {"in progress", "work in progress", "being worked on", "in flight", "started",
                                "ongoing", "wip", "underway"};
  return words;
}

std::vector<std::string> stored_groups(const CategoryField& field, std::initializer_list<std::string_view> groups) {
  std::vector<std::string> out;
  for (auto& v : field.values)
    if (std::find(groups.begin(), groups.end(), v.normalized) != groups.end()) out.push_back(v.value);
  return out;
}

const WordSet& negations() {
  static const WordSet words = {"not", "no", "without", "except", "excluding", "isn", "aren", "other", "non", "never"};
  return words;
}

const WordSet& created_verbs() {
  static const WordSet words = {"created", "opened", "added", "reported", "raised", "filed", "logged", "submitted", "made", "new",
                                "joined", "written", "wrote", "started", "create", "report", "file", "raise", "open", "write"};
  return words;
}

const WordSet& updated_verbs() {
  static const WordSet words = {"updated", "modified", "changed", "edited", "touched"};
  return words;
}

const WordSet& due_verbs() {
  static const WordSet words = {"due", "deadline", "deadlines", "ending", "ends", "end"};
  return words;
}

const WordSet& write_verbs() {
  static const WordSet words = {"delete", "remove", "update", "create", "assign", "reassign", "close", "reopen",
                                "change", "set", "move", "rename", "archive", "edit", "drop", "insert",
                                "modify", "mark", "add", "unassign", "write", "save"};
  return words;
}

const WordSet& polite_after_i() {
  static const WordSet words = {"see", "know", "want", "need", "like", "would", "could", "can", "get", "d"};
  return words;
}

}  // namespace pms::understanding
