// The passes that link words to stored values (question_reader.hpp, passes 10-12): state groups,
// missing values and the values themselves.
#include "understanding/lexicon.hpp"
#include "understanding/question_reader.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <unordered_set>

namespace pms::understanding {

namespace {

// The most words a stored name is matched over (a user story title can be a sentence).
constexpr std::size_t kLongestName = 16;

// The values a word may name for one role, all stored at `path` of the entity.
struct Candidates {
  std::string path;
  std::vector<const StoredValue*> values;
  // The indices of the values by first letter (ascending in each letter's group), empty ones left
  // out: most values are told apart by it. Letter c's: by_initial[initial_start[c], initial_start[c + 1]).
  std::vector<std::uint32_t> by_initial;
  std::array<std::uint32_t, 257> initial_start{};
};

// How well a phrase fits a role's values: the best quality (3 exact, 2 within typos, 1 one word of
// a longer name: "priya" for "Priya Patel") and every value that fits that well.
struct Hit {
  Role role;
  int quality = 0;
  std::vector<const StoredValue*> values;
};

// A word naming a role ("label", "priority", "module"): it says which field a value is in, so it
// is not itself one word of a longer name ("label" is not the module "Label Printing").
bool role_word(std::string_view w) {
  for (auto& spec : role_specs())
    if (std::find(spec.nouns.begin(), spec.nouns.end(), w) != spec.nouns.end()) return true;
  return false;
}

// A name without its spaces: "To Do" and "Todo" are one name spelled two ways.
// The singulars an English plural at the end of `phrase` may be of: "hotfixes" -> "hotfix",
// "stories" -> "story", "bugs" -> "bug" (the value linker matches stored singular names).
std::vector<std::string> singulars(const std::string& phrase) {
  std::vector<std::string> out;
  auto cut = [&](std::size_t n, std::string_view add) { out.push_back(phrase.substr(0, phrase.size() - n) + std::string(add)); };
  if (phrase.size() > 4 && phrase.ends_with("ies")) cut(3, "y");
  if (phrase.size() > 4 && phrase.ends_with("es")) cut(2, "");
  if (phrase.size() > 3 && phrase.ends_with("s") && !phrase.ends_with("ss")) cut(1, "");
  return out;
}

// `words`: the catalog's, which holds every candidate.
std::optional<Hit> match(const std::string& phrase, bool one_word, Role role, const Candidates& candidates,
                         const CatalogWords& words) {
  std::vector<std::string_view> forms{phrase};
  for (auto& s : synonyms())
    if (s.role == role && s.phrase == phrase) forms.push_back(s.canonical);
  auto plural_of = singulars(phrase);
  // Most values cannot fit at all, and telling costs less than trying (this runs for every span of
  // every question against every value): the forms and values are normalized (no leading space),
  // so a value equal to a form, to it without spaces or within typos of it starts with the form's
  // letter (a value starting with a space, not normalized, is tried anyway); one word of a longer
  // name is a word of some stored value (a form with a space is searched for anyway), else no
  // value is tried for that.
  bool may_be_a_word = one_word && std::any_of(forms.begin(), forms.end(), [&](auto f) {
    return f.size() >= 3 && (f.find(' ') != std::string_view::npos || words.has(f));
  });
  std::vector<std::uint32_t> tried;
  if (may_be_a_word) {
    for (auto k : candidates.by_initial) tried.push_back(k);
  } else {
    std::string letters = " ";
    auto add = [&](char c) {
      if (letters.find(c) == std::string::npos) letters += c;
    };
    for (auto f : forms) add(f.front());
    for (auto& f : plural_of) add(f.front());
    for (unsigned char letter : letters)
      tried.insert(tried.end(), candidates.by_initial.begin() + candidates.initial_start[letter],
                   candidates.by_initial.begin() + candidates.initial_start[letter + 1]);
  }
  std::sort(tried.begin(), tried.end());  // in the values' order: it is the order of the hits
  Hit hit{role, 0, {}};
  for (auto k : tried) {
    auto* c = candidates.values[k];
    const std::string& value = c->normalized;
    int q = 0;
    for (auto& f : plural_of)
      if (f == value) q = 3;
    for (auto f : forms) {
      if (f == value || equal_without_spaces(f, value)) q = 3;
      else if (q < 2 && fuzzy_equal(f, value)) q = 2;
      else if (q < 1 && one_word && f.size() >= 3 && !is_stopword(f) && !role_word(f) && value.find(' ') != std::string::npos &&
               has_word(value, f))
        q = 1;
    }
    if (q > hit.quality) {
      hit.quality = q;
      hit.values.clear();
    }
    if (q > 0 && q == hit.quality) hit.values.push_back(c);
  }
  if (hit.quality == 0) return std::nullopt;
  return hit;
}

// The values a word may name for `role`: the entity's stored ones, then those only the role's own
// collection holds (a person no work item is assigned to yet). No path: the entity has no such role.
Candidates values_for(const Reading& reading, const ValueCatalog& catalog, Role role) {
  Candidates out;
  auto path = reading.role_path(role);
  if (!path) return out;
  out.path = std::move(*path);
  std::unordered_set<std::string_view> seen;
  if (auto* field = reading.entity_catalog->category(out.path))
    for (auto& v : field->values) {
      out.values.push_back(&v);
      seen.insert(v.value);
    }
  auto add = [&](const StoredValue& v) {
    if (!v.value.empty() && seen.insert(v.value).second) out.values.push_back(&v);
  };
  auto& spec = role_spec(role);
  const CollectionCatalog* owner = role == Role::name ? reading.entity_catalog
                                   : spec.owner_collection.empty() ? nullptr
                                                                   : catalog.collection(spec.owner_collection);
  if (!owner) return out;
  if (role != Role::name) {
    if (auto* f = owner->category(spec.owner_path))
      for (auto& v : f->values) add(v);
  }
  // Every thing of the role's own collection by name and short id ("FLEET"), also those whose
  // names are too many to be a category.
  for (auto& e : owner->entities) {
    add(e.name);
    add(e.short_id);
  }
  return out;
}

// Most names have at most this many words.
constexpr std::size_t kShortName = 5;

// The roles an entity has (in role_specs' order) and the values a word may name for each: the
// same for every question about it on one catalog.
struct EntityCandidates {
  std::vector<Role> roles;
  std::map<Role, Candidates> by_role;
  // The first word and word count of every value of more than kShortName words (up to
  // kLongestName): the only long spans worth matching.
  std::set<std::pair<std::string, std::size_t>, std::less<>> long_starts;
};

EntityCandidates entity_candidates(const Reading& reading, const ValueCatalog& catalog) {
  EntityCandidates out;
  for (auto& spec : role_specs()) {
    auto c = values_for(reading, catalog, spec.role);
    if (c.path.empty()) continue;
    for (auto* v : c.values) {
      auto& n = v->normalized;
      if (!n.empty()) ++c.initial_start[static_cast<unsigned char>(n.front()) + 1];
      auto words = static_cast<std::size_t>(std::count(n.begin(), n.end(), ' ')) + 1;
      if (words > kShortName && words <= kLongestName) out.long_starts.emplace(n.substr(0, n.find(' ')), words);
    }
    for (std::size_t letter = 1; letter <= 256; ++letter) c.initial_start[letter] += c.initial_start[letter - 1];
    c.by_initial.resize(c.initial_start[256]);
    auto next = c.initial_start;
    for (std::uint32_t k = 0; k < c.values.size(); ++k)
      if (auto& n = c.values[k]->normalized; !n.empty()) c.by_initial[next[static_cast<unsigned char>(n.front())]++] = k;
    out.roles.push_back(spec.role);
    out.by_role.emplace(spec.role, std::move(c));
  }
  return out;
}

// Every entity's, built once per catalog (ValueCatalog::derived): reading them anew for each
// question cost more than the rest of the value linker.
struct CatalogCandidates {
  std::map<const EntitySpec*, EntityCandidates> of;

  explicit CatalogCandidates(const ValueCatalog& catalog) {
    for (auto& e : entity_specs()) {
      Reading r;
      r.entity = &e;
      r.entity_catalog = catalog.collection(e.collection);
      of.emplace(&e, entity_candidates(r, catalog));
    }
  }
};

}  // namespace

void QuestionReader::add_link(Link link) {
  for (auto& l : r_.links) {
    // A state group and a state name are two fields: "open and not in backlog" keeps both.
    if (l.role == link.role && l.negated == link.negated && l.path == link.path) {
      for (auto& v : link.values)
        if (std::find(l.values.begin(), l.values.end(), v) == l.values.end()) l.values.push_back(v);
      return;
    }
  }
  r_.links.push_back(std::move(link));
}

// "open", "done", "closed", ... as sets of the entity's stored state names, or of its state groups
// where its documents carry them.
void QuestionReader::read_state_groups() {
  // "progress" alone asks how something goes ("sprint 12 progress by state"), it names no state.
  for (std::size_t i = 0; i < w_.size(); ++i)
    if (free(i) && word(i) == "progress" && (i == 0 || word(i - 1) != "in")) use(i, 1);
  // "workload (by assignee)": the open items, per assignee unless grouped otherwise or said of
  // someone ("Priya's workload": hers, read_passes decides once values are linked).
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i) || (word(i) != "workload" && word(i) != "workloads")) continue;
    auto open = open_link();
    if (!open || !r_.role_path(Role::assignee)) continue;
    add_link(std::move(*open));
    workload_ = true;
    use(i, 1);
  }
  if (r_.entity_catalog && r_.entity_catalog->category(kStateGroupPath)) {
    read_state_groups_by_group();
    return;
  }
  auto path = r_.role_path(Role::state);
  if (!path) return;
  auto* field = r_.entity_catalog->category(*path);
  std::vector<std::string> done;
  for (auto& v : field->values)
    if (done_like(v.normalized)) done.push_back(v.value);
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i)) continue;
    auto t = word(i);
    bool negated = i > 0 && negations().contains(word(i - 1)) && free(i - 1);
    bool open = open_words().contains(t) || (negated && done_words().contains(t));
    if (open && !done.empty()) {
      auto link = *open_link();
      link.at = i;
      link.n = 1;
      add_link(std::move(link));
      use(i, 1);
      if (negated) use(i - 1, 1);
    } else if (done_words().contains(t) && !done.empty()) {
      // "closed", "finished": whatever the stored names for done work are; a state really named
      // so is left to the value linker.
      bool stored = std::any_of(field->values.begin(), field->values.end(), [&](auto& v) { return v.normalized == t; });
      if (stored) continue;
      add_link({Role::state, *path, done, false, "", i, 1});
      use(i, 1);
    }
  }
}

std::optional<Link> QuestionReader::open_link() const {
  if (!r_.entity_catalog) return std::nullopt;
  if (auto* groups = r_.entity_catalog->category(kStateGroupPath))
    return Link{Role::state, std::string(kStateGroupPath), stored_groups(*groups, {state_group::completed, state_group::cancelled}), true,
                "open (state group not Completed or Cancelled)"};
  auto path = r_.role_path(Role::state);
  if (!path) return std::nullopt;
  std::vector<std::string> closed, cancelled;
  for (auto& v : r_.entity_catalog->category(*path)->values) {
    if (done_like(v.normalized)) closed.push_back(v.value);
    if (cancelled_like(v.normalized)) cancelled.push_back(v.value);
  }
  if (closed.empty()) return std::nullopt;
  closed.insert(closed.end(), cancelled.begin(), cancelled.end());
  std::string text = "state is open (not ";
  for (std::size_t k = 0; k < closed.size(); ++k) text += (k ? (k + 1 == closed.size() ? " or " : ", ") : "") + closed[k];
  return Link{Role::state, *path, closed, true, text + ")"};
}

// With groups, the words of the state vocabulary mean groups whatever the states are called per
// project: "done" counts "Released", "cancelled" counts "Won't Do". A group no document holds
// yet matches nothing (none are done), which is an answer, not a refusal.
void QuestionReader::read_state_groups_by_group() {
  namespace g = state_group;
  static constexpr std::string_view kGroups[] = {g::backlog, g::unstarted, g::started, g::completed, g::cancelled};
  const std::string path(kStateGroupPath);
  auto& field = *r_.entity_catalog->category(kStateGroupPath);
  static const auto kStarted = [] {  // started_phrases, split once
    std::vector<std::vector<Word>> out;
    for (auto p : started_phrases()) out.push_back(split_words(p));
    return out;
  }();
  // The words of the longest phrase for work being done at `at` ("in progres" allows its typo).
  auto started_at = [&](std::size_t at) {
    std::size_t best = 0;
    for (auto& parts : kStarted) {
      std::size_t k = 0;
      while (k < parts.size() && free(at + k) && fuzzy_equal(word(at + k), parts[k].text)) ++k;
      if (k == parts.size()) best = std::max(best, k);
    }
    return best;
  };
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i)) continue;
    auto t = word(i);
    bool negated = i > 0 && negations().contains(word(i - 1)) && free(i - 1);
    std::optional<Link> link;
    std::size_t n = 1;
    // "the backlog group", "completed state group": the group said by its own name.
    std::size_t group_word = word(i + 1) == "group" ? 1 : word(i + 1) == "state" && word(i + 2) == "group" ? 2 : 0;
    auto own = std::find(std::begin(kGroups), std::end(kGroups), t);
    if (group_word && own != std::end(kGroups) && free(i + 1)) {
      n = 1 + group_word;
      auto stored = stored_groups(field, {*own});
      std::string name = stored.empty() ? std::string(t) : stored.front();
      link = Link{Role::state, path, stored, negated, (negated ? "not in state group " : "in state group ") + name};
    } else if (std::size_t started = t == "started" ? 0 : started_at(i)) {
      n = started;
      link = Link{Role::state, path, stored_groups(field, {g::started}), negated,
                  negated ? "not in progress (state group not Started)" : "in progress (state group Started)"};
    } else if (open_words().contains(t) || (negated && done_words().contains(t))) {
      link = open_link();
    } else if (done_words().contains(t)) {
      link = Link{Role::state, path, stored_groups(field, {g::completed}), false, "done (state group Completed)"};
    } else if (cancelled_words().contains(t)) {
      link = Link{Role::state, path, stored_groups(field, {g::cancelled}), negated,
                  negated ? "not cancelled (state group not Cancelled)" : "cancelled (state group Cancelled)"};
    } else if ((negated && t == "started") || (!negated && t == "unstarted")) {
      link = Link{Role::state, path, stored_groups(field, {g::backlog, g::unstarted}), false, "not started (state group Backlog or Unstarted)"};
    } else if (t == "started") {
      link = Link{Role::state, path, stored_groups(field, {g::started}), false, "started (state group Started)"};
    }
    if (!link) continue;
    link->at = i;
    link->n = n;
    add_link(std::move(*link));
    use(i, n);
    if (negated) use(i - 1, 1);
  }
}

// "unassigned", "without assignee", "no label": the field is empty or missing.
void QuestionReader::read_missing_values() {
  // A reference without its name ({_id}) still refers to someone: missing means no reference id,
  // where the documents' references carry ids.
  auto missing_path = [&](Role role) -> std::optional<std::string> {
    auto path = r_.role_path(role);
    if (!path) return path;
    auto id_path = reference_id_path(*path);
    if (!id_path.empty() && r_.entity_catalog->has_reference(id_path)) return id_path;
    return path;
  };
  struct Missing {
    std::string_view word;
    Role role;
  };
  static const std::array<Missing, 9> kWords = {{{"unassigned", Role::assignee}, {"assignee", Role::assignee},
                                                 {"assignees", Role::assignee}, {"assigned", Role::assignee},
                                                 {"unlabelled", Role::label}, {"unlabeled", Role::label}, {"label", Role::label},
                                                 {"labels", Role::label}, {"owner", Role::assignee}}};
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i)) continue;
    for (auto& m : kWords) {
      if (word(i) != m.word) continue;
      bool implicit = m.word.starts_with("un");
      bool negated = i > 0 && free(i - 1) && (word(i - 1) == "no" || word(i - 1) == "without" || word(i - 1) == "not");
      if (!implicit && !negated) continue;
      auto path = missing_path(m.role);
      if (!path) continue;
      r_.conditions.push_back({*path, json::object{{"$exists", false}}, "no " + std::string(role_spec(m.role).label)});
      use(i, 1);
      if (negated) use(i - 1, 1);
      if (word(i + 1) == "to" && free(i + 1) && (word(i + 2) == "anyone" || word(i + 2) == "anybody")) use(i + 1, 2);
      break;
    }
    // "no state at all", "without a project", "not in any sprint", "aren't in any project": the
    // reference is missing. ("not state QA" is a state other than QA: "not" alone does not say none.)
    if (free(i) && (word(i) == "no" || word(i) == "without" || word(i) == "any")) {
      bool outside = word(i) == "any" && i >= 1 && free(i - 1) && word(i - 1) == "outside";  // "pages outside any project"
      bool none = word(i) != "any" || outside ||
                  (i >= 2 && word(i - 1) == "in" && free(i - 2) && (negations().contains(word(i - 2)) || word(i - 2) == "t"));
      std::size_t noun = i + 1 + (word(i + 1) == "a" || word(i + 1) == "an");
      for (auto role : {Role::state, Role::project, Role::cycle, Role::module, Role::epic}) {
        auto& nouns = role_spec(role).nouns;
        if (!none || !free(noun) || std::find(nouns.begin(), nouns.end(), word(noun)) == nouns.end()) continue;
        auto path = missing_path(role);
        if (!path) break;
        r_.conditions.push_back({*path, json::object{{"$exists", false}}, "no " + std::string(role_spec(role).label)});
        use(i, noun + 1 - i);
        if (outside) {
          use(i - 1, 1);
        } else if (word(i) == "any") {
          use(i - 2, 2);
          if (i >= 3 && word(i - 2) == "t" && (word(i - 3) == "aren" || word(i - 3) == "isn")) use(i - 3, 1);
        }
        if (matches_at(noun + 1, "at all")) use(noun + 1, 2);
        break;
      }
    }
    if (free(i) && (word(i) == "nobody" || word(i) == "noone")) {
      if (auto path = missing_path(Role::assignee)) {
        r_.conditions.push_back({*path, json::object{{"$exists", false}}, "no assignee"});
        use(i, 1);
        // "assigned to nobody", "nobody is assigned (to)", "nobody assigned"
        if (i >= 2 && word(i - 1) == "to" && word(i - 2) == "assigned" && free(i - 2)) use(i - 2, 2);
        for (std::size_t k = i + 1; k <= i + 2 && k < w_.size(); ++k)
          if (free(k) && (word(k) == "assigned" || word(k) == "working")) {
            use(k, 1);
            if (word(k + 1) == "to" || word(k + 1) == "on") use(k + 1, 1);
            break;
          }
      }
    }
  }
}

void QuestionReader::read_values() {
  // The catalog's, for an entity of entity_specs() with its own catalog (as read_entity sets them).
  std::optional<EntityCandidates> own;
  const EntityCandidates* known = nullptr;
  if (r_.entity && r_.entity_catalog == cat_.collection(r_.entity->collection)) {
    auto& all = cat_.derived<CatalogCandidates>([](const ValueCatalog& c) { return CatalogCandidates(c); }).of;
    if (auto it = all.find(r_.entity); it != all.end()) known = &it->second;
  }
  if (!known) known = &own.emplace(entity_candidates(r_, cat_));
  const auto& roles = known->roles;
  const auto& by_role = known->by_role;

  auto entity_noun = [&](const std::string& p) {
    for (auto& e : entity_specs())
      for (auto n : e.nouns)
        if (n == p) return true;
    return false;
  };
  // The cue before words[at] (skipping articles) naming a role: "assigned to", "in project", "labelled".
  // The longest cue wins, and every role it may introduce is returned ("linked to": an epic, a feature, ...).
  auto cue_before = [&](std::size_t at, std::size_t& cue_at, std::size_t& cue_n) {
    std::vector<Role> out;
    cue_n = 0;
    for (auto r : roles) {
      for (auto cue : role_spec(r).cues) {
        std::size_t n = std::count(cue.begin(), cue.end(), ' ') + 1;
        std::size_t end = at;
        while (end > 0 && (word(end - 1) == "the" || word(end - 1) == "a")) --end;
        if (end < n || n < cue_n || matches_at(end - n, cue) != n) continue;
        if (n > cue_n) out.clear();
        if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
        cue_at = end - n;
        cue_n = n;
      }
    }
    return out;
  };
  // A role noun right after the value: "high priority", "mobile app project", "billing module".
  auto cue_after = [&](std::size_t at) -> std::optional<Role> {
    if (!free(at)) return std::nullopt;
    for (auto r : roles)
      for (auto noun : role_spec(r).nouns)
        if (word(at) == noun && noun != "who" && noun != "whom") return r;
    return std::nullopt;
  };

  // A question holding a thing's whole name names it, however long ("the user story 'As a
  // dispatcher I see the live ETA of every van'"): longest spans first, so its words are not
  // read one by one.
  // Spans longer than most names are tried only where a candidate of that length starts with the
  // span's first word: matching every long span against every value would cost more than the rest.
  for (std::size_t len = std::min<std::size_t>(kLongestName, w_.size()); len >= 1; --len) {
    for (std::size_t i = 0; i + len <= w_.size(); ++i) {
      if (len > kShortName && !known->long_starts.contains({std::string(word(i)), len})) continue;
      bool all_free = true;
      for (std::size_t k = i; k < i + len; ++k) all_free &= free(k);
      if (!all_free) continue;
      std::string p = phrase(i, len);
      if (len == 1 && (is_stopword(p) || negations().contains(p))) continue;
      // (Most spans fit no value: that is found before the cues around them are looked for.)
      std::vector<Hit> hits;
      for (auto r : roles)
        if (auto hit = match(p, len == 1, r, by_role.at(r), words_)) hits.push_back(std::move(*hit));
      if (hits.empty()) continue;
      std::size_t cue_at = 0, cue_n = 0;
      auto cues = cue_before(i, cue_at, cue_n);
      auto after = cue_after(i + len);
      // A noun that names an entity is a value only when a cue says so ("labelled bug").
      if (entity_noun(p) && cues.empty() && !after && !(i + len < w_.size() && entity_noun(std::string(word(i + len))))) continue;
      // "the budget of Mobile App": a word between "the" and "of" names something of what follows;
      // one word of a longer stored name ("Performance budget") is not it.
      bool attribute_position = len == 1 && i > 0 && word(i - 1) == "the" && word(i + 1) == "of";
      if (attribute_position && std::all_of(hits.begin(), hits.end(), [](auto& h) { return h.quality == 1; })) continue;
      // The cue's role that a value fits, else the first it may introduce.
      std::optional<Role> cue;
      for (auto r : cues)
        if (!cue && std::any_of(hits.begin(), hits.end(), [&](auto& h) { return h.role == r; })) cue = r;
      if (!cue && !cues.empty()) cue = cues.front();
      // A cue decides the role; otherwise the best match does, among roles that may go without a cue.
      std::vector<Hit> chosen;
      for (auto& h : hits) {
        if ((cue && h.role == *cue) || (after && h.role == *after)) chosen = {h};
      }
      // "how many pages did Marta write": a person followed by a creation verb is the creator,
      // also where the entity has no assignee.
      bool creation_after = free(i + len) && created_verbs().contains(word(i + len)) && word(i + len) != "new";
      if (chosen.empty() && creation_after)
        for (auto& h : hits)
          if (h.role == Role::created_by) chosen = {h};
      if (chosen.empty()) {
        int best = 0;
        for (auto& h : hits)
          if (role_spec(h.role).bare_values) best = std::max(best, h.quality);
        for (auto& h : hits)
          if (role_spec(h.role).bare_values && h.quality == best) chosen.push_back(h);
        if (chosen.empty()) continue;
        cue.reset();
      }
      // One name spelled with and without spaces ("To Do", "Todo", in two projects) is one name:
      // all its spellings are meant.
      bool one_name = chosen.size() == 1 && std::all_of(chosen.front().values.begin(), chosen.front().values.end(), [&](auto* v) {
                        return equal_without_spaces(v->normalized, chosen.front().values.front()->normalized);
                      });
      // Two roles or two values fit equally well: ask, don't guess.
      if (!one_name && (chosen.size() > 1 || chosen.front().values.size() > 1)) {
        std::set<std::string> options;
        for (auto& h : chosen)
          for (auto* c : h.values) options.insert(std::string(role_spec(h.role).label) + " " + c->value);
        if (options.size() > 1) {
          // Each meaning as a question to click: the words replaced by the value (and its role,
          // when the roles differ: "performance label", "Performance module").
          if (r_.problem.empty()) {
            auto from = w_[i].offset;
            auto to = w_[i + len - 1].offset + w_[i + len - 1].original.size();
            for (auto& h : chosen)
              for (auto* c : h.values)
                r_.clarifications.push_back(q_.substr(0, from) + c->value +
                                            (chosen.size() > 1 ? " " + std::string(role_spec(h.role).label) : "") + q_.substr(to));
          }
          std::string list;
          std::size_t k = 0;
          for (auto& o : options) list += (k++ ? (k == options.size() ? " or " : ", ") : "") + o;
          refuse("\"" + w_[i].original + (len > 1 ? "..." : "") + "\" could mean " + list + ". Say which, e.g. \"" +
                 *options.begin() + "\".");
          use(i, len);
          continue;
        }
      }
      auto& h = chosen.front();
      // "not in backlog", "isn't done yet", "other than Mobile App"
      bool negated = false;
      std::size_t back = cue ? cue_at : i;
      while (back > 0 && free(back - 1) &&
             (word(back - 1) == "the" || word(back - 1) == "a" || word(back - 1) == "in" || word(back - 1) == "yet" ||
              word(back - 1) == "is" || word(back - 1) == "are" || word(back - 1) == "than"))
        --back;
      if (back > 0 && free(back - 1) && negations().contains(word(back - 1))) {
        negated = true;
        use(back - 1, 1);
      }
      Role role = h.role;
      std::string path = by_role.at(h.role).path;
      // "items Elena created", "how many bugs has Elena reported": the person is the creator.
      if (role == Role::created_by && !cue && creation_after) use(i + len, 1);
      if (role == Role::assignee && !cue && creation_after) {
        if (auto creator = r_.role_path(Role::created_by)) {
          role = Role::created_by;
          path = *creator;
          use(i + len, 1);
        }
      }
      std::vector<std::string> values;
      for (auto* v : h.values)
        if (std::find(values.begin(), values.end(), v->value) == values.end()) values.push_back(v->value);
      add_link({role, path, values, negated, "", i, len});
      use(i, len);
      // "what is Mei working on": the person's open work items (not in the Completed or Cancelled
      // group; without groups, not in a done state). Without known done states, all of them.
      if (role == Role::assignee && (matches_at(i + len, "working on") || matches_at(i + len, "work on"))) {
        if (word(i + len) == "working") {
          if (auto open = open_link()) add_link(std::move(*open));
          r_.working_on = true;
        }
        use(i + len, 2);
      }
      if (role == Role::assignee && matches_at(i + len, "assigned")) use(i + len, 1);
      if (cue) use(cue_at, cue_n);
      if (after && *after == h.role) use(i + len, 1);
      // "in the Mobile App project": "in" before a project, module or cycle is part of the phrase.
      if (!cue && i > 0 && free(i - 1) && word(i - 1) == "in") use(i - 1, 1);
    }
    if (len == 1) break;
  }
}

}  // namespace pms::understanding
