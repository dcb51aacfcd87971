#include "agent/answer_entities.hpp"

#include "core/url_template.hpp"
#include "store/query/field_path.hpp"
#include "understanding/pms_model.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

namespace pms::agent {

namespace {

constexpr std::size_t kMaxNumbers = 200;   // display numbers looked up per answer
constexpr std::size_t kMaxEntities = 400;  // entities sent per answer

// Word characters: letters (any non-ASCII byte counts as one), digits, '_'; '-', '.' and '\''
// join two of them into one word ("MAA2-14", "v2.0", "O'Neil"), so "MAA2" is not found in "MAA2-14".
bool word_char(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }
bool joiner(char c) { return c == '-' || c == '.' || c == '\''; }

// The end of the word starting at `i`.
std::size_t word_end(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    if (word_char(s[i])) ++i;
    else if (joiner(s[i]) && i + 1 < s.size() && word_char(s[i + 1]) && i > 0 && word_char(s[i - 1])) ++i;
    else break;
  }
  return i;
}

// A thing a text may name.
struct Thing {
  std::string_view kind;
  std::string id;
  std::vector<std::string> projects;  // the projects it belongs to (a project: itself)
  std::string number;                 // a work item's display number
};

struct Named {
  std::string text;  // exactly as stored
  Thing thing;
};

// The kinds linked by name. Not features and user stories: they are titled as work items are, so
// an item's own title in a table would read as one of them.
constexpr std::string_view kNamedKinds[] = {"project", "cycle", "module", "epic", "members"};

// The catalog's names and short ids by their first word, built once per catalog.
struct CatalogNames {
  std::unordered_map<std::string, std::vector<Named>> by_first_word;
  explicit CatalogNames(const understanding::ValueCatalog& catalog) {
    for (auto& spec : understanding::identity_specs()) {
      if (std::find(std::begin(kNamedKinds), std::end(kNamedKinds), spec.collection) == std::end(kNamedKinds)) continue;
      auto* c = catalog.collection(spec.collection);
      if (!c) continue;
      for (auto& e : c->entities) {
        Thing t{spec.collection, e.id, e.projects, {}};
        if (spec.collection == "project") t.projects = {e.id};
        for (auto* text : {&e.name.value, &e.short_id.value}) {
          if (text->empty() || !word_char(static_cast<unsigned char>((*text)[0]))) continue;
          by_first_word[text->substr(0, word_end(*text, 0))].push_back({*text, t});
        }
      }
    }
  }
};

// One place the answer names something, with every thing the text may stand for.
struct Mention {
  std::size_t line;
  std::string text;
  std::vector<Thing> things;
};

std::string string_at(const json::value& doc, std::string_view path) {
  std::vector<const json::value*> found;
  store::FieldPath(path).collect(doc, found);
  return !found.empty() && found.front() && found.front()->is_string() ? std::string(found.front()->get_string()) : std::string();
}

// Work items and epics whose display numbers the answer holds, by number.
std::map<std::string, Thing, std::less<>> numbered(const std::set<std::string, std::less<>>& words, store::DocumentStore& store,
                                                    const CancelToken* cancel) {
  std::map<std::string, Thing, std::less<>> out;
  if (words.empty()) return out;
  json::array any(words.begin(), words.end());
  for (auto& spec : understanding::entity_specs()) {
    if (spec.number.empty() || !store.has_collection(spec.collection)) continue;
    std::string path(spec.number);
    store::FindRequest req{std::string(spec.collection), json::object{{path, json::object{{"$in", any}}}},
                           json::object{{"_id", 1}, {path, 1}, {"project._id", 1}}, json::value(), 0,
                           static_cast<std::int64_t>(words.size())};
    for (auto& doc : store.find(req, cancel)) {
      std::string number = string_at(doc, path), id = string_at(doc, "_id"), project = string_at(doc, "project._id");
      if (number.empty() || id.empty()) continue;
      out.emplace(number, Thing{spec.collection, id, project.empty() ? std::vector<std::string>{} : std::vector<std::string>{project}, number});
    }
  }
  return out;
}

bool same(const Thing& a, const Thing& b) { return a.kind == b.kind && a.id == b.id; }

// The one thing of `things` that belongs to one of `projects`, if exactly one does.
const Thing* the_one_in(const std::vector<Thing>& things, const std::map<std::string, std::string>& projects) {
  const Thing* found = nullptr;
  for (auto& t : things) {
    if (std::none_of(t.projects.begin(), t.projects.end(), [&](auto& p) { return projects.count(p) > 0; })) continue;
    if (found && !same(*found, t)) return nullptr;
    found = &t;
  }
  return found;
}

}  // namespace

json::array answer_entities(std::string_view answer, store::DocumentStore& store, const understanding::ValueCatalog& catalog,
                            const std::string& item_url_template, const CancelToken* cancel) {
  auto& names = catalog.derived<CatalogNames>([](const understanding::ValueCatalog& c) { return CatalogNames(c); });
  std::vector<Mention> mentions;
  std::set<std::string, std::less<>> number_words;
  std::vector<std::pair<std::size_t, std::string>> number_mentions;  // line, number
  std::size_t line = 0;
  for (std::size_t i = 0; i < answer.size();) {
    if (answer[i] == '\n') ++line;
    if (!word_char(static_cast<unsigned char>(answer[i]))) {
      ++i;
      continue;
    }
    std::size_t end = word_end(answer, i);
    std::string_view word = answer.substr(i, end - i);
    // The longest name starting with this word that ends where a word ends.
    const std::string* best = nullptr;
    std::vector<Thing> things;
    if (auto it = names.by_first_word.find(std::string(word)); it != names.by_first_word.end()) {
      for (auto& n : it->second) {
        if (answer.compare(i, n.text.size(), n.text) != 0 || word_end(answer, i + n.text.size() - 1) != i + n.text.size()) continue;
        if (best && n.text.size() < best->size()) continue;
        if (!best || n.text.size() > best->size()) things.clear();
        best = &n.text;
        if (std::none_of(things.begin(), things.end(), [&](auto& t) { return same(t, n.thing); })) things.push_back(n.thing);
      }
    }
    bool number_like = std::isalpha(static_cast<unsigned char>(word[0])) && word.find('-') != std::string_view::npos &&
                       word.find_first_of("0123456789") != std::string_view::npos;
    if (number_like && number_words.size() < kMaxNumbers) {
      number_words.emplace(word);
      number_mentions.emplace_back(line, std::string(word));
    }
    if (best) {
      mentions.push_back({line, *best, std::move(things)});
      end = std::max(end, i + best->size());
    }
    for (std::size_t k = i; k < end; ++k) line += answer[k] == '\n';
    i = end;
  }
  auto items = numbered(number_words, store, cancel);
  for (auto& [l, number] : number_mentions)
    if (auto it = items.find(number); it != items.end()) mentions.push_back({l, number, {it->second}});

  // The projects the answer names (a project, or a numbered thing's project), and those each line names,
  // with the text that names them there.
  std::map<std::string, std::string> answer_projects;
  std::map<std::size_t, std::map<std::string, std::string>> line_projects;
  for (auto& m : mentions) {
    if (m.things.size() != 1 || (m.things[0].kind != "project" && m.things[0].number.empty())) continue;
    for (auto& p : m.things[0].projects) {
      answer_projects.emplace(p, m.text);
      line_projects[m.line].emplace(p, m.text);
    }
  }
  auto* projects = catalog.collection("project");
  json::array out;
  std::set<std::string> seen;
  for (auto& m : mentions) {
    const Thing* thing = m.things.size() == 1 ? &m.things[0] : nullptr;
    std::string with;
    auto row = line_projects.find(m.line);
    if (!thing && row != line_projects.end() && (thing = the_one_in(m.things, row->second)))
      with = row->second.at(*std::find_if(thing->projects.begin(), thing->projects.end(), [&](auto& p) { return row->second.count(p); }));
    if (!thing) thing = the_one_in(m.things, answer_projects.size() == 1 ? answer_projects : std::map<std::string, std::string>{});
    if (!thing || out.size() >= kMaxEntities) continue;
    if (!seen.insert(m.text + '\0' + std::string(thing->kind) + '\0' + thing->id + '\0' + with).second) continue;
    json::object e{{"text", m.text}, {"kind", thing->kind}, {"id", thing->id}};
    if (!with.empty()) e["with"] = with;
    if (thing->kind == "workItem" && !item_url_template.empty()) {
      std::string project = thing->projects.empty() ? std::string() : thing->projects.front();
      auto* record = projects && !project.empty() ? projects->entity(project) : nullptr;
      if (auto url = item_url(item_url_template, {thing->number, thing->id, project, record ? record->short_id.value : std::string()}))
        e["url"] = *url;
    }
    out.push_back(std::move(e));
  }
  return out;
}

void name_answer_entities(const AgentServices& services, store::DocumentStore& store, const std::string& tenant, TurnOutcome& out,
                          std::vector<json::object>& to_save) {
  if (out.answer.empty() || to_save.empty()) return;
  auto& last = to_save.back();
  auto* role = last.if_contains("role");
  auto* content = last.if_contains("content");
  if (!role || *role != "assistant" || !content || *content != out.answer.c_str()) return;
  auto catalog = services.catalog ? services.catalog(tenant) : nullptr;
  out.entities = catalog ? answer_entities(out.answer, store, *catalog, services.config.item_url_template) : json::array();
  if (!out.entities.empty()) last["entities"] = out.entities;
}

}  // namespace pms::agent
