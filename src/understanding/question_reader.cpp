#include "understanding/question_reader.hpp"

#include "understanding/lexicon.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace pms::understanding {

std::optional<std::string> Reading::role_path(Role role) const {
  if (!entity_catalog) return std::nullopt;
  if (role == Role::name && !entity->named) return std::nullopt;
  // Things known by identity are named by their own records, also where their names are too
  // varied to be a category (sprint titles).
  if (auto* id = identity_spec(entity->collection); role == Role::name && id && !entity_catalog->entities.empty())
    return std::string(id->name_path);
  if (role == Role::project && entity->collection == "project") return std::nullopt;  // its own name is Role::name
  for (auto p : role_spec(role).paths)
    if (entity_catalog->category(p)) return std::string(p);
  return std::nullopt;
}

bool Reading::said_something() const {
  return !entity_assumed || !links.empty() || !times.empty() || !conditions.empty() || count || group || top || order != Order::none ||
         overdue || display_id || cycle;
}

void QuestionReader::read_before_entity() {
  if (before_entity_read_) return;
  read_follow_up();
  read_identity_and_intent();
  refused_early_ = !r_.problem.empty();
  if (!refused_early_) {
    read_display_id();
    read_measure();
    read_times();
    read_series();
    read_operation();
    read_limit();
    read_grouping();
    read_distinct();
    read_cycle_lookup(true);
  }
  before_entity_read_ = true;
}

QuestionReader QuestionReader::about(const EntitySpec* entity) const {
  QuestionReader copy(*this);
  copy.forced_ = entity;
  return copy;
}

Reading QuestionReader::read() {
  read_passes();
  // Words no pass understood may be typos of the vocabulary ("backlgo", "prority"): corrected,
  // the question is read again. A word of a stored name ("Mira") is never corrected, nor a question
  // a pass already found a reason to refuse ("close all done bugs" is a change, not "closed").
  bool corrected = false;
  for (std::size_t i = 0; i < w_.size() && r_.problem.empty(); ++i) {
    if (used_[i] || is_stopword(word(i)) || in_stored_value(word(i)) || write_verbs().contains(word(i))) continue;
    if (auto meant = vocabulary_typo(word(i))) {
      w_[i].text = std::string(*meant);
      corrected = true;
    }
  }
  if (corrected) {
    r_ = Reading{};
    workload_ = false;
    used_.assign(w_.size(), false);
    read_passes();
  }
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!used_[i] && !is_stopword(word(i))) r_.not_understood.push_back(w_[i].original);
  }
  resolve_identities();
  return std::move(r_);
}

void QuestionReader::read_passes() {
  read_before_entity();
  before_entity_read_ = false;  // the words change before passes run again (typos corrected)
  if (!refused_early_) {
    read_entity();
    read_array_sizes();
    read_text_search();
    read_cycle_lookup(false);
    read_state_groups();
    read_missing_values();
    read_values();
    read_flags();
    read_attribute_words();
    read_comparison();
    read_share();
    bool of_someone = std::any_of(r_.links.begin(), r_.links.end(), [](auto& l) { return l.role == Role::assignee; });
    if (workload_ && !r_.group && !of_someone) r_.group = Role::assignee;
  }
}

bool QuestionReader::in_stored_value(std::string_view w) const { return words_.has(w); }

std::string QuestionReader::phrase(std::size_t from, std::size_t n) const {
  std::string s;
  for (std::size_t i = from; i < from + n; ++i) s += (i > from ? " " : "") + w_[i].text;
  return s;
}

std::size_t QuestionReader::matches_at(std::size_t at, std::string_view p) const {
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

bool QuestionReader::in_stored_name(std::size_t at) const {
  for (std::size_t from = at >= 2 ? at - 2 : 0; from <= at; ++from) {
    if (!words_.short_name_starts.contains(word(from))) continue;
    for (std::size_t n = std::max<std::size_t>(2, at - from + 1); n <= 3 && from + n <= w_.size(); ++n)
      if (words_.short_names.contains(phrase(from, n))) return true;
  }
  return false;
}

std::optional<std::size_t> QuestionReader::previous_content(std::size_t at) const {
  for (std::size_t i = at; i-- > 0;) {
    if (word(i) == "the" || word(i) == "a" || word(i) == "an") continue;
    return i;
  }
  return std::nullopt;
}

void QuestionReader::read_identity_and_intent() {
  for (std::size_t i = 0; i < w_.size(); ++i) {
    auto t = word(i);
    bool mine = t == "my" || t == "mine" || t == "myself" || (t == "me" && i > 0 && (word(i - 1) == "to" || word(i - 1) == "by"));
    // "what did I work on", "bugs I reported": about the asker, whom the data does not know. ("can I
    // see", "I want" are only polite.)
    bool by_me = t == "i" && i + 1 < w_.size() && !polite_after_i().contains(word(i + 1));
    if (mine || by_me) {
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
void QuestionReader::read_display_id() {
  for (std::size_t i = 0; i + 1 < w_.size(); ++i) {
    auto& a = w_[i];
    auto& b = w_[i + 1];
    bool letters_first = !a.text.empty() && std::isalpha(static_cast<unsigned char>(a.text[0]));
    // "MAA2-12"; "FLEET-214" where FLEET is a project's short id.
    bool has_digit = a.text.find_first_of("0123456789") != std::string::npos;
    if (auto* projects = cat_.collection("project"); projects && !has_digit && letters_first)
      has_digit = std::any_of(projects->entities.begin(), projects->entities.end(), [&](auto& e) { return e.short_id.normalized == a.text; });
    bool dash = b.offset == a.offset + a.original.size() + 1 && q_[a.offset + a.original.size()] == '-';
    bool number = !b.text.empty() && b.text.find_first_not_of("0123456789") == std::string::npos;
    bool epic_number = b.text.size() > 1 && b.text[0] == 'e' && b.text.find_first_not_of("0123456789", 1) == std::string::npos;
    if (letters_first && has_digit && dash && (number || epic_number)) {
      std::string id = a.original + "-" + b.original;
      std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      r_.display_id = id;
      use(i, 2);
      // "status of MAA2-12", "details for MAA2-12", "who is WMS-55 assigned to": the whole item is
      // shown; "which sprint is FLEET-214 in" also shows its cycle.
      struct Asked {
        std::string_view word, column;
      };
      static const std::array<Asked, 18> kAsked = {{{"status", ""}, {"state", ""}, {"details", ""}, {"detail", ""}, {"info", ""}, {"everything", ""},
                                                    {"about", ""}, {"who", ""}, {"assigned", ""}, {"assignee", ""},
                                                    {"sprint", "cycle.name"}, {"cycle", "cycle.name"}, {"iteration", "cycle.name"},
                                                    {"module", "modules.name"}, {"component", "modules.name"}, {"epic", "epic.name"},
                                                    {"project", "project.name"}, {"feature", "feature.name"}}};
      for (std::size_t k = 0; k < w_.size(); ++k) {
        for (auto& a : kAsked) {
          if (!free(k) || !(word(k) == a.word || (a.word.size() > 6 && fuzzy_equal(word(k), a.word)))) continue;
          use(k, 1);
          if (!a.column.empty()) r_.extra_columns.emplace_back(a.column);
          if (a.word == "details" || a.word == "detail" || a.word == "about" || a.word == "info" || a.word == "everything") r_.details = true;
          break;
        }
      }
      // "details of FLEET-214", "tell me about PAC-0042": every field an item has worth reading.
      if (r_.details)
        for (auto c : {"project.name", "cycle.name", "modules.name", "epic.name", "feature.name", "userStory.name", "label.name", "estimate",
                       "startDate", "endDate", "createdBy.name", "createdTimeStamp", "updatedTimeStamp"})
          r_.extra_columns.emplace_back(c);
      return;
    }
  }
}

void QuestionReader::read_times() {
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i)) continue;
    // "overdue", "past due", "late", "behind schedule"
    if (word(i) == "overdue" || word(i) == "late" || (word(i) == "past" && word(i + 1) == "due") ||
        (word(i) == "behind" && word(i + 1) == "schedule") || (word(i) == "missed" && word(i + 1).starts_with("deadline"))) {
      r_.overdue = true;
      use(i, word(i) == "overdue" || word(i) == "late" ? 1 : 2);
      continue;
    }
    if (std::size_t n = read_not_updated(i)) {
      i += n - 1;
      continue;
    }
    auto t = read_time_phrase(w_, i, now_);
    if (!t) continue;
    // A stored name wins over a date: "November Release" is a cycle, not November.
    bool named = false;
    for (std::size_t k = i; k < i + t->words; ++k) named |= in_stored_name(k);
    if (named) continue;
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
      if (transition_verbs().contains(v)) {
        refuse("The data records when work items were created, updated and due, but not when they were " + std::string(v) +
               ", so I can't tell what was " + std::string(v) + " " + t->range.text + ".");
        return;
      }
      if (!is_stopword(v)) break;
    }
    // A due date looks ahead: "due in December" (or "due before December") in November is this
    // December, not last year's.
    if (tc.kind == TimeCondition::due)
      if (auto ahead = read_time_phrase(w_, i, now_, true); ahead && ahead->words == t->words) tc.range = ahead->range;
    r_.times.push_back(std::move(tc));
    i += t->words - 1;
  }
}

// "not updated in 30 days", "stale for 2 weeks", "no updates in the last 10 days": updated before
// the span "the last N days" starts (the complement of "updated in the last N days").
std::size_t QuestionReader::read_not_updated(std::size_t at) {
  std::size_t k = at;
  bool stale = word(k) == "stale" || word(k) == "untouched" || word(k) == "inactive";
  if (stale) ++k;
  else if ((word(k) == "not" || word(k) == "never") && updated_verbs().contains(word(k + 1))) k += 2;
  else if (word(k) == "no" && (word(k + 1) == "updates" || word(k + 1) == "update" || word(k + 1) == "activity")) k += 2;
  else return 0;
  for (auto filler : {"in", "for", "within", "since", "the", "last", "past"})  // "in the last", "for"
    if (word(k) == filler) ++k;
  if (k + 1 >= w_.size()) return 0;
  std::vector<Word> span{{"last", "last", 0}, w_[k], w_[k + 1]};
  auto t = read_time_phrase(span, 0, now_);
  if (!t || t->words != 3 || !t->range.from_ms || t->range.to_ms) return 0;
  for (std::size_t j = at; j < k + 2; ++j)
    if (!free(j)) return 0;
  TimeRange before;
  before.to_ms = t->range.from_ms;
  before.text = "before " + format_day(*before.to_ms) + " (not in the last " + w_[k].text + " " + w_[k + 1].text + ")";
  r_.times.push_back({TimeCondition::updated, std::move(before)});
  use(at, k + 2 - at);
  return k + 2 - at;
}

// "tickets that mention barcode", "items talking about WhatsApp": one word in the title or the
// description, case-insensitively. Only these verbs say so ("about" alone may name a project).
void QuestionReader::read_text_search() {
  for (std::size_t i = 0; i + 1 < w_.size(); ++i) {
    if (!free(i)) continue;
    std::size_t n = 0;
    for (auto cue : {"mention", "mentions", "mentioning", "mentioned", "talk about", "talks about", "talking about", "contain",
                     "contains", "containing"})
      n = std::max(n, matches_at(i, cue));
    if (!n || !free(i + n)) continue;
    auto& w = w_[i + n];
    // The word as typed, letters and digits only (split_words): nothing to escape in a pattern.
    json::object test{{"$regex", w.original}, {"$options", "i"}};
    json::array either{json::object{{"title", test}}, json::object{{"description", test}}};
    r_.conditions.push_back({"$or", either, "title or description mentions \"" + w.original + "\""});
    use(i, n + 1);
    return;
  }
}

bool QuestionReader::asks_who_is_on() {
  // "who are the admins of Fleet Tracker": a membership role or type names people.
  auto* members = cat_.collection("members");
  auto membership_word = [&](std::string_view w) {
    for (auto& s : synonyms())
      if ((s.role == Role::member_role || s.role == Role::member_type) && s.phrase == w) return true;
    for (auto path : {"role", "type"})
      if (auto* f = members->category(path))
        for (auto& v : f->values)
          if (v.normalized == w) return true;
    return false;
  };
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i) || word(i) != "who") continue;
    for (std::size_t k = i + 1; k < w_.size(); ++k) {
      if (free(k) && membership_word(word(k))) {
        use(i, 1);
        return true;
      }
    }
    for (auto p : {"is on", "are on", "is in", "are in", "works on", "work on", "is part of", "are part of"}) {
      if (std::size_t n = matches_at(i + 1, p)) {
        use(i, n + 1);
        return true;
      }
    }
  }
  return false;
}

void QuestionReader::read_entity() {
  struct Mention {
    const EntitySpec* entity;
    std::size_t at, n;
  };
  static const auto kFirstWords = [] {  // of the nouns: most words start none
    std::set<std::string_view, std::less<>> out;
    for (auto& e : entity_specs())
      for (auto noun : e.nouns) out.insert(noun.substr(0, noun.find(' ')));
    return out;
  }();
  std::vector<Mention> mentions;
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i) || !kFirstWords.contains(word(i)) || in_stored_name(i)) continue;
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
  auto said = [&](std::initializer_list<std::string_view> words) {
    return std::any_of(w_.begin(), w_.end(), [&](auto& w) { return std::find(words.begin(), words.end(), w.text) != words.end(); });
  };
  // In "bug tickets" the first noun qualifies the second: it is left for the value linker (label "bug").
  std::vector<Mention> heads;
  for (std::size_t k = 0; k < mentions.size(); ++k) {
    bool modifier = k + 1 < mentions.size() && mentions[k + 1].at == mentions[k].at + mentions[k].n;
    if (!modifier) heads.push_back(mentions[k]);
  }
  if (forced_) {
    r_.entity = forced_;
  } else if (heads.empty() && cat_.collection("members") && asks_who_is_on()) {
    r_.entity = entity_by_collection("members");  // "who is on the Mobile App team": its people
  } else if (heads.empty() && cat_.collection("members") && said({"team", "teams"}) && !said({"workload", "workloads"})) {
    r_.entity = entity_by_collection("members");  // "list the team of Warehouse Scanner": its people ("team workload": their work)
  } else if (heads.empty()) {
    r_.entity = entity_by_collection("workItem");
    r_.entity_assumed = true;
  } else {
    r_.entity = heads.front().entity;
  }
  // Later mentions of the entity are the same thing said again, unless a cue makes them a value
  // ("bugs labelled bug").
  bool first = true;
  for (auto& m : heads) {
    if (m.entity != r_.entity) continue;
    auto prev = previous_content(m.at);
    bool cued = prev && (word(*prev) == "labelled" || word(*prev) == "labeled" || word(*prev) == "tagged" ||
                         word(*prev) == "label" || word(*prev) == "tag" || word(*prev) == "as");
    if (first || !cued) use(m.at, m.n);
    if (word(m.at) == "memberships" || word(m.at) == "membership") r_.memberships = true;
    first = false;
  }
  r_.entity_catalog = cat_.collection(r_.entity->collection);
  // "who are the people on Fleet Tracker": asking who, of people, is asking for them.
  if (r_.entity->collection == "members")
    for (std::size_t i = 0; i < w_.size(); ++i)
      if (free(i) && word(i) == "who") use(i, 1);
}

// "in the current sprint", "active cycle", "next sprint": documents of the cycles with that status.
// Before the entity is known only "in|during|for the current sprint" is read, so that in "what's in
// the current sprint" the sprint is where the work items are, not what is asked about.
void QuestionReader::read_cycle_lookup(bool need_preposition) {
  if (r_.cycle || (r_.entity && r_.entity->collection == "cycle")) return;
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
      r_.cycle = CycleLookup{v.value, "cycle._id", "in the " + wanted + " " + std::string(noun)};
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

// "who leads Mobile App?", "when does Sprint 12 end?", "status of Billing Platform": a question about
// one project, cycle, module... named in it is answered by listing that one, whose row shows the field.
void QuestionReader::read_attribute_words() {
  if (std::none_of(r_.links.begin(), r_.links.end(), [](auto& l) { return l.role == Role::name && !l.negated; })) return;
  struct Attribute {
    std::string_view word, column;
  };
  // Who owns a thing is its lead where it has one (a module), else its assignee (an epic).
  static const std::array<Attribute, 27> kAttributes = {{
      {"owns", "lead.name"}, {"owner", "lead.name"}, {"owned", "lead.name"},
      {"owns", "assignee.name"}, {"owner", "assignee.name"}, {"owned", "assignee.name"},
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
      if (word(i) == a.word && std::find(r_.entity->columns.begin(), r_.entity->columns.end(), a.column) != r_.entity->columns.end()) {
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

}  // namespace pms::understanding
