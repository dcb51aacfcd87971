#include "understanding/question_planner.hpp"

#include "core/time_util.hpp"
#include "understanding/lexicon.hpp"
#include "understanding/pms_model.hpp"
#include "understanding/text_match.hpp"
#include "understanding/time_phrase.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

namespace pms::understanding {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

struct Candidate {
  Role role;
  std::string path;
  const StoredValue* value;
};

// How well a phrase fits a role's values: the best quality (3 exact, 2 within typos, 1 one word of
// a longer name: "priya" for "Priya Patel") and every value that fits that well.
struct Hit {
  Role role;
  int quality = 0;
  std::vector<const Candidate*> values;
};

std::optional<Hit> match(const std::string& phrase, bool one_word, Role role, const std::vector<Candidate>& candidates) {
  std::vector<std::string_view> forms{phrase};
  for (auto& s : synonyms())
    if (s.role == role && s.phrase == phrase) forms.push_back(s.canonical);
  Hit hit{role, 0, {}};
  for (auto& c : candidates) {
    const std::string& value = c.value->normalized;
    int q = 0;
    for (auto f : forms) {
      if (f == value) q = 3;
      else if (q < 2 && fuzzy_equal(f, value)) q = 2;
      else if (q < 1 && one_word && f.size() >= 3 && !is_stopword(f) && value.find(' ') != std::string::npos) {
        for (auto& part : split_words(value))
          if (part.text == f) q = 1;
      }
    }
    if (q > hit.quality) {
      hit.quality = q;
      hit.values.clear();
    }
    if (q > 0 && q == hit.quality) hit.values.push_back(&c);
  }
  if (hit.quality == 0) return std::nullopt;
  return hit;
}

struct Link {
  Role role;
  std::string path;
  std::vector<std::string> values;  // stored values
  bool negated = false;
  std::string text;  // as understood: "priority is HIGH"
};

struct TimeCondition {
  enum Kind { created, updated, due } kind;
  TimeRange range;
};

class Parser {
 public:
  // With `entity`, the question is read as being about it even though no word names it.
  Parser(std::string_view question, const ValueCatalog& catalog, std::int64_t now_ms, const EntitySpec* entity = nullptr)
      : q_(question), cat_(catalog), now_(now_ms), w_(split_words(question)), used_(w_.size(), false), forced_(entity) {}

  Understanding run();
  // No word named what the question is about (work items were assumed).
  bool entity_assumed() const { return entity_assumed_; }

 private:
  std::string_view word(std::size_t i) const { return i < w_.size() ? std::string_view(w_[i].text) : std::string_view(); }
  bool free(std::size_t i) const { return i < w_.size() && !used_[i]; }
  void use(std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n && i < w_.size(); ++i) used_[i] = true;
  }
  std::string phrase(std::size_t from, std::size_t n) const {
    std::string s;
    for (std::size_t i = from; i < from + n; ++i) s += (i > from ? " " : "") + w_[i].text;
    return s;
  }
  // Whether words[at..] spell `p` (a normalized phrase) on free words; returns its word count.
  std::size_t matches_at(std::size_t at, std::string_view p) const;
  // Whether words[at] is part of a two- or three-word stored value ("Sprint 12"): then it is not a
  // noun or a number of its own.
  bool in_stored_name(std::size_t at) const;
  // The index of the word before `at`, articles skipped.
  std::optional<std::size_t> previous_content(std::size_t at) const;

  bool refuse(std::string problem) {
    if (out_.problem.empty()) out_.problem = std::move(problem);
    return false;
  }

  void read_identity_and_intent();
  void read_display_id();
  void read_times();
  void read_operation();  // count, order, "most"
  void read_limit();
  void read_grouping();
  void read_entity();
  void read_state_groups();
  void read_cycle_lookup(bool need_preposition);
  void read_missing_values();
  void read_values();
  void read_attribute_words();
  bool build_plan();
  std::vector<std::string> suggestions() const;

  // Where the chosen entity keeps `role`, if it has it.
  std::optional<std::string> role_path(Role role) const;
  std::vector<Candidate> candidates_for(Role role) const;
  void add_link(Link link);

  std::string q_;
  const ValueCatalog& cat_;
  std::int64_t now_;
  std::vector<Word> w_;
  std::vector<bool> used_;
  const EntitySpec* forced_ = nullptr;
  Understanding out_;

  const EntitySpec* entity_ = nullptr;
  const CollectionCatalog* entity_cat_ = nullptr;
  bool entity_assumed_ = false;
  bool count_ = false, top_ = false, ascending_ = false;
  std::optional<Role> group_;
  std::optional<std::int64_t> n_;
  enum class Order { none, newest, oldest, updated } order_ = Order::none;
  std::vector<TimeCondition> times_;
  bool overdue_ = false;
  std::optional<std::string> display_id_;
  std::vector<Link> links_;
  std::vector<Condition> extra_;  // conditions built directly ("unassigned", "no label")
  std::optional<CycleLookup> cycle_;
};

std::size_t Parser::matches_at(std::size_t at, std::string_view p) const {
  std::size_t n = 0, pos = 0;
  while (pos < p.size()) {
    auto end = p.find(' ', pos);
    if (end == std::string_view::npos) end = p.size();
    if (!free(at + n) || word(at + n) != p.substr(pos, end - pos)) return 0;
    ++n;
    pos = end + 1;
  }
  return n;
}

bool Parser::in_stored_name(std::size_t at) const {
  for (std::size_t from = at >= 2 ? at - 2 : 0; from <= at; ++from) {
    for (std::size_t n = std::max<std::size_t>(2, at - from + 1); n <= 3 && from + n <= w_.size(); ++n) {
      std::string p = phrase(from, n);
      for (auto& c : cat_.collections)
        for (auto& f : c.categories)
          for (auto& v : f.values)
            if (v.normalized.size() == p.size() && v.normalized == p) return true;
    }
  }
  return false;
}

std::optional<std::size_t> Parser::previous_content(std::size_t at) const {
  for (std::size_t i = at; i-- > 0;) {
    if (word(i) == "the" || word(i) == "a" || word(i) == "an") continue;
    return i;
  }
  return std::nullopt;
}

void Parser::read_identity_and_intent() {
  for (std::size_t i = 0; i < w_.size(); ++i) {
    auto t = word(i);
    if (t == "my" || t == "mine" || t == "myself" || (t == "me" && i > 0 && (word(i - 1) == "to" || word(i - 1) == "by"))) {
      refuse("I don't know who you are here, so I can't tell what is yours. Name the person instead, e.g. \"assigned to Priya\".");
      return;
    }
    // "what did I work on", "bugs I reported": about the asker, whom the data does not know. ("can I
    // see", "I want" are only polite.)
    if (t == "i" && i + 1 < w_.size() && !polite_after_i().contains(word(i + 1))) {
      refuse("I don't know who you are here, so I can't tell what is yours. Name the person instead, e.g. \"assigned to Priya\".");
      return;
    }
  }
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (is_stopword(word(i)) && word(i) != "show" && word(i) != "list") continue;
    if (write_verbs().contains(word(i)))
      refuse("I only read the project data; I can't " + std::string(word(i)) + " anything. Make that change in the PMS itself.");
    return;
  }
}

// "MAA1-12", "cpa1-e2": a work item's or an epic's display number, typed with its dash.
void Parser::read_display_id() {
  for (std::size_t i = 0; i + 1 < w_.size(); ++i) {
    auto& a = w_[i];
    auto& b = w_[i + 1];
    bool letters_first = !a.text.empty() && std::isalpha(static_cast<unsigned char>(a.text[0]));
    bool has_digit = a.text.find_first_of("0123456789") != std::string::npos;
    bool dash = b.offset == a.offset + a.original.size() + 1 && q_[a.offset + a.original.size()] == '-';
    bool number = !b.text.empty() && b.text.find_first_not_of("0123456789") == std::string::npos;
    bool epic_number = b.text.size() > 1 && b.text[0] == 'e' && b.text.find_first_not_of("0123456789", 1) == std::string::npos;
    if (letters_first && has_digit && dash && (number || epic_number)) {
      std::string id = a.original + "-" + b.original;
      std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      display_id_ = id;
      use(i, 2);
      // "status of MAA2-12", "details for MAA2-12": the whole item is shown.
      for (std::size_t k = 0; k < w_.size(); ++k) {
        auto t = word(k);
        if (free(k) && (t == "status" || t == "state" || t == "details" || t == "detail" || t == "info" || t == "about")) use(k, 1);
      }
      return;
    }
  }
}

void Parser::read_times() {
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i)) continue;
    // "overdue", "past due", "late", "behind schedule"
    if (word(i) == "overdue" || word(i) == "late" || (word(i) == "past" && word(i + 1) == "due") ||
        (word(i) == "behind" && word(i + 1) == "schedule") || (word(i) == "missed" && word(i + 1).starts_with("deadline"))) {
      overdue_ = true;
      use(i, word(i) == "overdue" || word(i) == "late" ? 1 : 2);
      continue;
    }
    auto t = read_time_phrase(w_, i, now_);
    if (!t) continue;
    use(i, t->words);
    TimeCondition tc{TimeCondition::created, t->range};
    // The verb before the phrase says which date: "updated last week", "due this week".
    for (std::size_t j = i; j-- > 0;) {
      auto v = word(j);
      if (created_verbs().contains(v) && free(j)) {
        use(j, 1);
        break;
      }
      if (updated_verbs().contains(v) && free(j)) {
        tc.kind = TimeCondition::updated;
        use(j, 1);
        break;
      }
      if (due_verbs().contains(v) && free(j)) {
        tc.kind = TimeCondition::due;
        use(j, 1);
        break;
      }
      if (done_words().contains(v)) {
        refuse("The data records when work items were created, updated and due, but not when they were " + std::string(v) +
               ", so I can't tell what was " + std::string(v) + " " + t->range.text + ".");
        return;
      }
      if (!is_stopword(v)) break;
    }
    times_.push_back(std::move(tc));
    i += t->words - 1;
  }
}

void Parser::read_operation() {
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i)) continue;
    auto t = word(i);
    if (auto n = matches_at(i, "how many") ? 2 : matches_at(i, "number of") ? 2 : (t == "count" || t == "total" || t == "tally") ? 1 : 0) {
      count_ = true;
      use(i, n);
    } else if (matches_at(i, "most recent") || matches_at(i, "most recently")) {
      order_ = Order::newest;
      use(i, 2);
      if (word(i + 2) == "updated") {
        order_ = Order::updated;
        use(i + 2, 1);
      }
    } else if ((t == "recently" || t == "last" || t == "latest") && word(i + 1) == "updated") {
      order_ = Order::updated;
      use(i, 2);
    } else if (t == "latest" || t == "newest" || t == "recent" || t == "recently" || t == "last" || t == "youngest") {
      order_ = Order::newest;
      use(i, 1);
      if (word(i + 1) == "created" || word(i + 1) == "added") use(i + 1, 1);
    } else if (t == "oldest" || t == "earliest" || t == "first") {
      order_ = Order::oldest;
      use(i, 1);
    } else if (t == "most" || t == "top" || t == "highest" || t == "biggest" || t == "largest" || t == "busiest" || t == "max" ||
               t == "maximum") {
      top_ = true;
      use(i, 1);
      if (t == "busiest") group_ = Role::assignee;
      if (word(i + 1) == "common" || word(i + 1) == "frequent" || word(i + 1) == "used" || word(i + 1) == "popular") use(i + 1, 1);
    } else if (t == "fewest" || t == "least" || t == "minimum") {
      top_ = true;
      ascending_ = true;
      use(i, 1);
    }
  }
  // "oldest bugs ever created": with an ordering, a creation verb only says which date orders.
  if (order_ == Order::newest || order_ == Order::oldest) {
    for (std::size_t i = 0; i < w_.size(); ++i)
      if (free(i) && (word(i) == "created" || word(i) == "added" || word(i) == "reported" || word(i) == "opened")) use(i, 1);
  }
}

// A number next to an ordering, "top" or a noun is how many to show: "top 5", "latest 3", "show 20 bugs".
void Parser::read_limit() {
  auto ordering = [&](std::size_t k) {
    auto t = word(k);
    return k < w_.size() && !free(k) &&
           (t == "top" || t == "latest" || t == "newest" || t == "oldest" || t == "earliest" || t == "first" || t == "last" ||
            t == "recent" || t == "most" || t == "fewest" || t == "least");
  };
  auto noun_follows = [&](std::size_t k) {
    for (auto& e : entity_specs())
      for (auto noun : e.nouns)
        if (matches_at(k, noun)) return true;
    return false;
  };
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i) || word(i).empty() || word(i).find_first_not_of("0123456789") != std::string_view::npos || word(i).size() > 4) continue;
    if (!(ordering(i + 1) || (i > 0 && ordering(i - 1)) || noun_follows(i + 1)) || in_stored_name(i)) continue;
    n_ = std::stoll(std::string(word(i)));
    use(i, 1);
    break;
  }
}

void Parser::read_grouping() {
  // "who created|reported the most bugs": grouped by creator.
  for (std::size_t i = 0; i + 1 < w_.size(); ++i) {
    if (top_ && !group_ && free(i) && word(i) == "who" && free(i + 1) && created_verbs().contains(word(i + 1)) && word(i + 1) != "new") {
      group_ = Role::created_by;
      use(i, 2);
    }
  }
  // Group by a role: "by priority", "per assignee", "for each project", "state breakdown", "who ... most"
  for (auto& spec : role_specs()) {
    for (auto noun : spec.nouns) {
      for (std::size_t i = 0; i < w_.size(); ++i) {
        if (!free(i) || word(i) != noun) continue;
        auto prev = previous_content(i);
        bool marker_before = prev && free(*prev) &&
                             (word(*prev) == "by" || word(*prev) == "per" || word(*prev) == "each" || word(*prev) == "across" ||
                              word(*prev) == "every");
        bool marker_after = word(i + 1) == "breakdown" || word(i + 1) == "distribution" || word(i + 1) == "split" ||
                            word(i + 1) == "counts" || word(i + 1) == "wise";
        bool top_target = top_ && (!group_ || *group_ == spec.role) &&
                          (noun == "who" || noun == "whom" ||
                           (prev && (word(*prev) == "which" || word(*prev) == "what" || word(*prev) == "top")) ||
                           (prev && *prev > 0 && !free(*prev) && n_ && word(*prev - 1) == "top") ||
                           word(i + 1) == "with" || (i > 0 && !free(i - 1) &&
                            (word(i - 1) == "common" || word(i - 1) == "top" || word(i - 1) == "busiest" || word(i - 1) == "frequent")));
        if (!marker_before && !marker_after && !top_target) continue;
        if (group_ && *group_ != spec.role) continue;
        group_ = spec.role;
        use(i, 1);
        if (marker_before) {
          use(*prev, 1);
          if (*prev > 0 && (word(*prev - 1) == "for" || word(*prev - 1) == "grouped" || word(*prev - 1) == "broken" ||
                            word(*prev - 1) == "split" || word(*prev - 1) == "breakdown" || word(*prev - 1) == "down"))
            use(*prev - 1, 1);
          if (*prev > 1 && word(*prev - 1) == "down" && word(*prev - 2) == "broken") use(*prev - 2, 1);
        }
        if (marker_after) use(i + 1, 1);
      }
    }
  }
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (free(i) && group_ &&
        (word(i) == "breakdown" || word(i) == "distribution" || word(i) == "grouped" || word(i) == "distributed" || word(i) == "spread"))
      use(i, 1);
    // "top 3 assignees by open bugs": what the leaders are ranked by follows "by".
    if (free(i) && top_ && group_ && word(i) == "by") use(i, 1);
  }
}

void Parser::read_entity() {
  struct Mention {
    const EntitySpec* entity;
    std::size_t at, n;
  };
  std::vector<Mention> mentions;
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i) || in_stored_name(i)) continue;
    for (auto& e : entity_specs()) {
      if (!cat_.collection(e.collection)) continue;
      std::size_t best = 0;
      for (auto noun : e.nouns) best = std::max(best, matches_at(i, noun));
      if (best) {
        mentions.push_back({&e, i, best});
        i += best - 1;
        break;
      }
    }
  }
  // In "bug tickets" the first noun qualifies the second: it is left for the value linker (label "bug").
  std::vector<Mention> heads;
  for (std::size_t k = 0; k < mentions.size(); ++k) {
    bool modifier = k + 1 < mentions.size() && mentions[k + 1].at == mentions[k].at + mentions[k].n;
    if (!modifier) heads.push_back(mentions[k]);
  }
  if (forced_) {
    entity_ = forced_;
  } else if (heads.empty()) {
    entity_ = entity_by_collection("workItem");
    entity_assumed_ = true;
  } else {
    entity_ = heads.front().entity;
  }
  // Later mentions of the entity are the same thing said again, unless a cue makes them a value
  // ("bugs labelled bug").
  bool first = true;
  for (auto& m : heads) {
    if (m.entity != entity_) continue;
    auto prev = previous_content(m.at);
    bool cued = prev && (word(*prev) == "labelled" || word(*prev) == "labeled" || word(*prev) == "tagged" ||
                         word(*prev) == "label" || word(*prev) == "tag" || word(*prev) == "as");
    if (first || !cued) use(m.at, m.n);
    first = false;
  }
  entity_cat_ = cat_.collection(entity_->collection);
}

std::optional<std::string> Parser::role_path(Role role) const {
  if (!entity_cat_) return std::nullopt;
  if (role == Role::name) {
    auto c = entity_->collection;
    if (c != "project" && c != "cycle" && c != "module" && c != "epic" && c != "members") return std::nullopt;
  }
  if (role == Role::project && entity_->collection == "project") return std::nullopt;  // its own name is Role::name
  for (auto p : role_spec(role).paths)
    if (entity_cat_->category(p)) return std::string(p);
  return std::nullopt;
}

std::vector<Candidate> Parser::candidates_for(Role role) const {
  std::vector<Candidate> out;
  auto path = role_path(role);
  if (!path) return out;
  std::set<std::string_view> seen;
  for (auto& v : entity_cat_->category(*path)->values) {
    out.push_back({role, *path, &v});
    seen.insert(v.value);
  }
  auto& spec = role_spec(role);
  if (!spec.owner_collection.empty()) {
    if (auto* owner = cat_.collection(spec.owner_collection)) {
      if (auto* f = owner->category(spec.owner_path)) {
        for (auto& v : f->values)
          if (!seen.contains(v.value)) out.push_back({role, *path, &v});
      }
    }
  }
  return out;
}

void Parser::add_link(Link link) {
  for (auto& l : links_) {
    if (l.role == link.role && l.negated == link.negated) {
      for (auto& v : link.values)
        if (std::find(l.values.begin(), l.values.end(), v) == l.values.end()) l.values.push_back(v);
      return;
    }
  }
  links_.push_back(std::move(link));
}

// "open", "done", "closed", ... as sets of the entity's stored state names.
void Parser::read_state_groups() {
  auto path = role_path(Role::state);
  if (!path) return;
  auto* field = entity_cat_->category(*path);
  std::vector<std::string> done, cancelled;
  for (auto& v : field->values) {
    if (done_like(v.normalized)) done.push_back(v.value);
    if (cancelled_like(v.normalized)) cancelled.push_back(v.value);
  }
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i)) continue;
    auto t = word(i);
    bool negated = i > 0 && negations().contains(word(i - 1)) && free(i - 1);
    bool open = open_words().contains(t) || (negated && done_words().contains(t));
    if (open && !done.empty()) {
      std::vector<std::string> closed = done;
      closed.insert(closed.end(), cancelled.begin(), cancelled.end());
      std::string text = "state is open (not ";
      for (std::size_t k = 0; k < closed.size(); ++k) text += (k ? (k + 1 == closed.size() ? " or " : ", ") : "") + closed[k];
      add_link({Role::state, *path, closed, true, text + ")"});
      use(i, 1);
      if (negated) use(i - 1, 1);
    } else if (done_words().contains(t) && !done.empty()) {
      // "closed", "finished": whatever the stored names for done work are; a state really named
      // so is left to the value linker.
      bool stored = std::any_of(field->values.begin(), field->values.end(), [&](auto& v) { return v.normalized == t; });
      if (stored) continue;
      add_link({Role::state, *path, done, false, ""});
      use(i, 1);
    }
  }
}

// "in the current sprint", "active cycle", "next sprint": documents of the cycles with that status.
// Before the entity is known only "in|during|for the current sprint" is read, so that in "what's in
// the current sprint" the sprint is where the work items are, not what is asked about.
void Parser::read_cycle_lookup(bool need_preposition) {
  if (cycle_ || (entity_ && entity_->collection == "cycle")) return;
  auto* cycles = cat_.collection("cycle");
  if (!cycles || !cycles->category("status")) return;
  for (std::size_t i = 0; i + 1 < w_.size(); ++i) {
    if (!free(i) || !free(i + 1)) continue;
    auto noun = word(i + 1);
    if (noun != "sprint" && noun != "cycle" && noun != "iteration") continue;
    auto prev = previous_content(i);
    bool preposition = prev && (word(*prev) == "in" || word(*prev) == "during" || word(*prev) == "for" || word(*prev) == "of");
    if (need_preposition && !preposition) continue;
    std::string wanted;
    auto t = word(i);
    if (t == "current" || t == "active" || t == "this" || t == "ongoing" || t == "running") wanted = "active";
    else if (t == "next" || t == "upcoming" || t == "coming") wanted = "upcoming";
    else continue;
    for (auto& v : cycles->category("status")->values) {
      if (v.normalized != wanted) continue;
      cycle_ = CycleLookup{v.value, "cycle._id", "in the " + wanted + " " + std::string(noun)};
      use(i, 2);
      if (preposition) {
        use(*prev, 1);
        // "planned for the next sprint", "scheduled in the current sprint"
        if (*prev > 0 && free(*prev - 1) && (word(*prev - 1) == "planned" || word(*prev - 1) == "scheduled" || word(*prev - 1) == "committed"))
          use(*prev - 1, 1);
      }
      return;
    }
  }
}

// "unassigned", "without assignee", "no label": the field is empty or missing.
void Parser::read_missing_values() {
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
      auto path = role_path(m.role);
      if (!path) continue;
      extra_.push_back({*path, json::object{{"$exists", false}}, "no " + std::string(role_spec(m.role).label)});
      use(i, 1);
      if (negated) use(i - 1, 1);
      if (word(i + 1) == "to" && free(i + 1) && (word(i + 2) == "anyone" || word(i + 2) == "anybody")) use(i + 1, 2);
      break;
    }
    if (free(i) && (word(i) == "nobody" || word(i) == "noone")) {
      if (auto path = role_path(Role::assignee)) {
        extra_.push_back({*path, json::object{{"$exists", false}}, "no assignee"});
        use(i, 1);
      }
    }
  }
}

void Parser::read_values() {
  std::vector<Role> roles;
  for (auto& spec : role_specs())
    if (role_path(spec.role)) roles.push_back(spec.role);
  std::map<Role, std::vector<Candidate>> by_role;
  for (auto r : roles) by_role[r] = candidates_for(r);

  auto entity_noun = [&](const std::string& p) {
    for (auto& e : entity_specs())
      for (auto n : e.nouns)
        if (n == p) return true;
    return false;
  };
  // The cue before words[at] (skipping articles) naming a role: "assigned to", "in project", "labelled".
  auto cue_before = [&](std::size_t at, std::size_t& cue_at, std::size_t& cue_n) -> std::optional<Role> {
    for (auto r : roles) {
      for (auto cue : role_spec(r).cues) {
        std::size_t n = std::count(cue.begin(), cue.end(), ' ') + 1;
        std::size_t end = at;
        while (end > 0 && (word(end - 1) == "the" || word(end - 1) == "a")) --end;
        if (end < n) continue;
        if (matches_at(end - n, cue) == n) {
          cue_at = end - n;
          cue_n = n;
          return r;
        }
      }
    }
    return std::nullopt;
  };
  // A role noun right after the value: "high priority", "mobile app project", "billing module".
  auto cue_after = [&](std::size_t at) -> std::optional<Role> {
    if (!free(at)) return std::nullopt;
    for (auto r : roles)
      for (auto noun : role_spec(r).nouns)
        if (word(at) == noun && noun != "who" && noun != "whom") return r;
    return std::nullopt;
  };

  for (std::size_t len = std::min<std::size_t>(5, w_.size()); len >= 1; --len) {
    for (std::size_t i = 0; i + len <= w_.size(); ++i) {
      bool all_free = true;
      for (std::size_t k = i; k < i + len; ++k) all_free &= free(k);
      if (!all_free) continue;
      std::string p = phrase(i, len);
      if (len == 1 && (is_stopword(p) || negations().contains(p))) continue;
      std::size_t cue_at = 0, cue_n = 0;
      auto cue = cue_before(i, cue_at, cue_n);
      auto after = cue_after(i + len);
      // A noun that names an entity is a value only when a cue says so ("labelled bug").
      if (entity_noun(p) && !cue && !after && !(i + len < w_.size() && entity_noun(std::string(word(i + len))))) continue;

      std::vector<Hit> hits;
      for (auto r : roles)
        if (auto hit = match(p, len == 1, r, by_role[r])) hits.push_back(std::move(*hit));
      if (hits.empty()) continue;
      // A cue decides the role; otherwise the best match does, among roles that may go without a cue.
      std::vector<Hit> chosen;
      for (auto& h : hits) {
        if ((cue && h.role == *cue) || (after && h.role == *after)) chosen = {h};
      }
      if (chosen.empty()) {
        int best = 0;
        for (auto& h : hits)
          if (role_spec(h.role).bare_values) best = std::max(best, h.quality);
        for (auto& h : hits)
          if (role_spec(h.role).bare_values && h.quality == best) chosen.push_back(h);
        if (chosen.empty()) continue;
        cue.reset();
      }
      // Two roles or two values fit equally well: ask, don't guess.
      if (chosen.size() > 1 || chosen.front().values.size() > 1) {
        std::set<std::string> options;
        for (auto& h : chosen)
          for (auto* c : h.values) options.insert(std::string(role_spec(h.role).label) + " " + c->value->value);
        if (options.size() > 1) {
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
      auto* c = h.values.front();
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
      std::string path = c->path;
      // "items Elena created", "how many bugs has Elena reported": the person is the creator.
      if (role == Role::assignee && !cue && free(i + len) && created_verbs().contains(word(i + len)) && word(i + len) != "new") {
        if (auto creator = role_path(Role::created_by)) {
          role = Role::created_by;
          path = *creator;
          use(i + len, 1);
        }
      }
      add_link({role, path, {c->value->value}, negated, ""});
      use(i, len);
      // "what is Mei working on": the person's work items.
      if (role == Role::assignee && (matches_at(i + len, "working on") || matches_at(i + len, "work on"))) use(i + len, 2);
      if (role == Role::assignee && matches_at(i + len, "assigned")) use(i + len, 1);
      if (cue) use(cue_at, cue_n);
      if (after && *after == h.role) use(i + len, 1);
      // "in the Mobile App project": "in" before a project, module or cycle is part of the phrase.
      if (!cue && i > 0 && free(i - 1) && word(i - 1) == "in") use(i - 1, 1);
    }
    if (len == 1) break;
  }
}

// "who leads Mobile App?", "when does Sprint 12 end?", "status of Billing Platform": a question about
// one project, cycle, module... named in it is answered by listing that one, whose row shows the field.
void Parser::read_attribute_words() {
  if (std::none_of(links_.begin(), links_.end(), [](auto& l) { return l.role == Role::name && !l.negated; })) return;
  struct Attribute {
    std::string_view word, column;
  };
  static const std::array<Attribute, 21> kAttributes = {{
      {"lead", "lead.name"}, {"leads", "lead.name"}, {"led", "lead.name"}, {"leader", "lead.name"}, {"leading", "lead.name"},
      {"status", "status"}, {"state", "state.name"}, {"role", "role"}, {"priority", "priority"}, {"key", "projectDisplayId"},
      {"end", "endDate"}, {"ends", "endDate"}, {"ending", "endDate"}, {"finish", "endDate"}, {"finishes", "endDate"},
      {"start", "startDate"}, {"starts", "startDate"}, {"begin", "startDate"}, {"begins", "startDate"}, {"dates", "startDate"},
      {"due", "endDate"},
  }};
  bool asked = false;
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i)) continue;
    for (auto& a : kAttributes) {
      if (word(i) == a.word && std::find(entity_->columns.begin(), entity_->columns.end(), a.column) != entity_->columns.end()) {
        use(i, 1);
        asked = true;
        break;
      }
    }
  }
  if (!asked) return;
  for (std::size_t i = 0; i < w_.size(); ++i)
    if (free(i) && (word(i) == "who" || word(i) == "when" || word(i) == "whose")) use(i, 1);
}

bool Parser::build_plan() {
  QueryPlan plan;
  plan.collection = std::string(entity_->collection);
  plan.singular = std::string(entity_->singular);
  plan.plural = std::string(entity_->plural);
  for (auto c : entity_->columns) plan.columns.emplace_back(c);

  for (auto& l : links_) {
    std::string label(role_spec(l.role).label);
    json::value test;
    std::string values;
    for (std::size_t k = 0; k < l.values.size(); ++k) values += (k ? (k + 1 == l.values.size() ? " or " : ", ") : "") + l.values[k];
    if (l.values.size() == 1) {
      test = l.negated ? json::value(json::object{{"$ne", l.values[0]}}) : json::value(json::string(l.values[0]));
    } else {
      json::array arr;
      for (auto& v : l.values) arr.emplace_back(v);
      test = json::object{{l.negated ? "$nin" : "$in", arr}};
    }
    std::string text = l.text.empty() ? label + (l.negated ? " is not " : " is ") + values : l.text;
    plan.conditions.push_back({l.path, test, text});
  }
  for (auto& c : extra_) plan.conditions.push_back(c);
  for (auto& t : times_) {
    std::string_view path = t.kind == TimeCondition::created ? entity_->created : t.kind == TimeCondition::updated ? entity_->updated : entity_->due;
    const char* verb = t.kind == TimeCondition::created ? (entity_->collection == "members" ? "joined " : "created ")
                       : t.kind == TimeCondition::updated ? "updated "
                                                          : "due ";
    if (path.empty() || !entity_cat_->date(path))
      return refuse(plan.plural + " have no " + (t.kind == TimeCondition::due ? "due" : t.kind == TimeCondition::updated ? "update" : "creation") + " date to compare with " + t.range.text + ".");
    json::object test;
    if (t.range.from_ms) test["$gte"] = *format_iso8601_ms(*t.range.from_ms);
    if (t.range.to_ms) test["$lt"] = *format_iso8601_ms(*t.range.to_ms);
    plan.conditions.push_back({std::string(path), test, verb + t.range.text});
  }
  if (overdue_) {
    if (entity_->due.empty() || !entity_cat_->date(entity_->due)) return refuse(plan.plural + " have no due date, so none can be overdue.");
    std::int64_t today = now_ - ((now_ % kDayMs) + kDayMs) % kDayMs;
    plan.conditions.push_back({std::string(entity_->due), json::object{{"$lt", *format_iso8601_ms(today)}},
                               "overdue (due before " + format_day(today) + ")"});
    bool has_state = std::any_of(links_.begin(), links_.end(), [](auto& l) { return l.role == Role::state; });
    if (!has_state) {
      // Overdue means not finished: leave out the done and cancelled ones.
      if (auto path = role_path(Role::state)) {
        json::array closed;
        for (auto& v : entity_cat_->category(*path)->values)
          if (done_like(v.normalized) || cancelled_like(v.normalized)) closed.emplace_back(v.value);
        if (!closed.empty()) plan.conditions.push_back({*path, json::object{{"$nin", closed}}, "not done or cancelled"});
      }
    }
  }
  if (display_id_) {
    std::string path = entity_cat_->category("displayBugNo") || entity_->collection == "workItem" ? "displayBugNo" : "bugNo";
    if (entity_->collection == "epic") path = "bugNo";
    plan.conditions.push_back({path, json::string(*display_id_), "number is " + *display_id_});
  }
  if (cycle_ && !entity_cat_->category("cycle.name")) return refuse(plan.plural + " do not belong to cycles in this data.");
  plan.cycle = cycle_;

  if (top_ && !group_)
    return refuse("\"Most\" of what? Say what to compare, e.g. \"which assignee has the most open " + plan.plural + "\".");
  if (group_) {
    // "status" and "state" are said for either: the one the entity has.
    if (*group_ == Role::state && !role_path(Role::state) && role_path(Role::status)) group_ = Role::status;
    auto path = role_path(*group_);
    if (!path) return refuse(plan.plural + " are not grouped by " + std::string(role_spec(*group_).label) + " in this data.");
    plan.operation = Operation::group;
    plan.group_path = *path;
    plan.group_label = std::string(role_spec(*group_).label);
    plan.top = top_;
    plan.ascending = ascending_;
    plan.limit = n_.value_or(top_ ? 1 : 50);
  } else if (count_ && order_ == Order::none) {
    plan.operation = Operation::count;
  } else {
    plan.operation = Operation::list;
    plan.limit = std::clamp<std::int64_t>(n_.value_or(display_id_ ? 1 : 10), 1, 50);
    std::string_view created = entity_->created.empty() || !entity_cat_->date(entity_->created) ? "" : entity_->created;
    std::string_view updated = entity_->updated.empty() || !entity_cat_->date(entity_->updated) ? "" : entity_->updated;
    if (order_ == Order::updated && !updated.empty()) {
      plan.sort = json::object{{updated, -1}};
      plan.order_text = "most recently updated first";
    } else if (order_ == Order::oldest && !created.empty()) {
      plan.sort = json::object{{created, 1}};
      plan.order_text = "oldest first";
    } else if (!created.empty()) {
      plan.sort = json::object{{created, -1}};
      plan.order_text = "newest first";
    } else if (order_ != Order::none) {
      return refuse(plan.plural + " have no date to order them by.");
    }
  }
  out_.plan = std::move(plan);
  return true;
}

// Questions it can answer, nearest first: built on what was understood of this one (its entity
// and the values it named), then general ones from the catalog.
std::vector<std::string> Parser::suggestions() const {
  std::vector<std::string> out;
  auto add = [&](std::string q) {
    if (out.size() < 5 && std::find(out.begin(), out.end(), q) == out.end()) out.push_back(std::move(q));
  };
  if (entity_ && !entity_assumed_ && entity_cat_) {
    std::string plural(entity_->plural);
    add("How many " + plural + " are there?");
    if (role_path(Role::state)) add(std::string(1, static_cast<char>(std::toupper(plural[0]))) + plural.substr(1) + " by state");
    if (!entity_->created.empty() && entity_cat_->date(entity_->created)) add("Latest " + plural);
  }
  for (auto& l : links_) {
    if (l.values.size() != 1 || l.negated) continue;
    const std::string& v = l.values.front();
    switch (l.role) {
      case Role::project: add("How many open work items are in " + v + "?"); add("Work items in " + v + " by state"); break;
      case Role::assignee: add("Open work items assigned to " + v); add("How many urgent work items does " + v + " have?"); break;
      case Role::label: add("Open work items labelled " + v); break;
      case Role::module: add("Open work items in the " + v + " module"); break;
      case Role::cycle: add("Work items in " + v + " by state"); break;
      default: break;
    }
  }
  auto* wi = cat_.collection("workItem");
  if (!wi) {
    for (auto& c : cat_.collections) add("How many " + c.name + " documents are there?");
    return out;
  }
  add("How many open work items are there?");
  if (wi->category("assignee.name")) add("Who has the most open work items?");
  add("Work items by state");
  if (auto* p = wi->category("project.name"); p && !p->values.empty()) add("Latest bugs in " + p->values.front().value);
  if (wi->category("priority")) add("Urgent work items created this week");
  if (wi->date("endDate")) add("Overdue work items");
  return out;
}

Understanding Parser::run() {
  if (w_.empty()) {
    out_.problem = "Ask a question about the project data, e.g. \"How many open bugs are there?\"";
    out_.suggestions = suggestions();
    return std::move(out_);
  }
  read_identity_and_intent();
  if (out_.problem.empty()) {
    read_display_id();
    read_times();
    read_operation();
    read_limit();
    read_grouping();
    read_cycle_lookup(true);
    read_entity();
    read_cycle_lookup(false);
    read_state_groups();
    read_missing_values();
    read_values();
    read_attribute_words();
  }
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!used_[i] && !is_stopword(word(i))) out_.not_understood.push_back(w_[i].original);
  }
  // Nothing but filler ("hi", "show me"): there is no question to answer.
  bool said_something = !entity_assumed_ || !links_.empty() || !times_.empty() || !extra_.empty() || count_ || group_ || top_ ||
                        order_ != Order::none || overdue_ || display_id_ || cycle_;
  if (!said_something && out_.problem.empty() && out_.not_understood.empty())
    out_.problem = "Ask me about the project data, e.g. how many open bugs there are or who has the most urgent work items.";
  bool planned = out_.problem.empty() && out_.not_understood.empty() && build_plan();
  // What was understood, for the answer and for a refusal.
  if (entity_ && !entity_assumed_) out_.understood.push_back(std::string(entity_->plural));
  for (auto& l : links_) {
    std::string values;
    for (std::size_t k = 0; k < l.values.size(); ++k) values += (k ? " or " : "") + l.values[k];
    out_.understood.push_back(l.text.empty() ? std::string(role_spec(l.role).label) + (l.negated ? " is not " : " is ") + values : l.text);
    json::value test = l.values.size() == 1 ? json::value(json::string(l.values[0])) : json::value(json::array(l.values.begin(), l.values.end()));
    out_.links.push_back({l.path, test, out_.understood.back()});
  }
  for (auto& t : times_) out_.understood.push_back(t.range.text);
  if (cycle_) out_.understood.push_back(cycle_->text);
  if (!planned) {
    out_.plan.reset();
    out_.suggestions = suggestions();
    if (!cat_.incomplete.empty()) out_.catalog_note = "The names and values I link questions to are " + cat_.incomplete + ": ask again in a moment.";
  }
  return std::move(out_);
}

}  // namespace

Understanding understand_question(std::string_view question, const ValueCatalog& catalog, std::int64_t now_ms) {
  Parser parser(question, catalog, now_ms);
  auto u = parser.run();
  // "how many admins?": nothing named the entity and some words only make sense for another one.
  // Taken only when exactly one other entity understands every word.
  if (!u.plan && parser.entity_assumed() && u.problem.empty() && !u.not_understood.empty()) {
    std::optional<Understanding> only;
    int understood = 0;
    for (auto& e : entity_specs()) {
      if (e.collection == "workItem" || !catalog.collection(e.collection)) continue;
      auto alt = Parser(question, catalog, now_ms, &e).run();
      if (alt.plan) {
        ++understood;
        only = std::move(alt);
      }
    }
    if (understood == 1) return std::move(*only);
  }
  return u;
}

std::string hints_for_model(const Understanding& u) {
  if (u.links.empty()) return {};
  std::string out = "Stored values for words of this question (use them exactly in filters):";
  for (auto& l : u.links) out += "\n- " + l.path + ": " + dump(l.test);
  return out;
}

std::string explain_refusal(const Understanding& u) {
  std::string out;
  if (!u.problem.empty()) {
    out = u.problem;
  } else {
    out = "I can't answer that with confidence.";
    if (!u.not_understood.empty()) {
      out += " I did not understand ";
      for (std::size_t i = 0; i < u.not_understood.size(); ++i)
        out += (i ? (i + 1 == u.not_understood.size() ? " and " : ", ") : "") + ("\"" + u.not_understood[i] + "\"");
      out += ".";
    }
  }
  if (!u.catalog_note.empty()) out += " " + u.catalog_note;
  if (!u.understood.empty()) {
    out += "\n\nWhat I understood: ";
    for (std::size_t i = 0; i < u.understood.size(); ++i) out += (i ? "; " : "") + u.understood[i];
    out += ".";
  }
  if (!u.suggestions.empty()) {
    out += "\n\nQuestions I can answer, for example:";
    for (auto& s : u.suggestions) out += "\n- " + s;
  }
  return out;
}

}  // namespace pms::understanding
