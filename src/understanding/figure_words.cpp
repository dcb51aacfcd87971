// The reader's passes for figures other than a count (question_reader.hpp): a numeric field's
// total or average, how many values an array field holds, and a share.
#include "understanding/lexicon.hpp"
#include "understanding/question_reader.hpp"

#include <algorithm>
#include <array>

namespace pms::understanding {

namespace {

bool is_copula(std::string_view w) { return w == "is" || w == "are" || w == "was" || w == "were" || w == "has" || w == "have" || w == "got"; }

}  // namespace

// "total estimate", "average story points per assignee", "how many points in Sprint 23": the
// measure and whether it is added up (the default) or averaged. Said of one item ("estimate of
// FLEET-12") it is that item's field.
void QuestionReader::read_measure() {
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i) || in_stored_name(i)) continue;
    const MeasureSpec* spec = nullptr;
    std::size_t n = 0;
    for (auto& m : measure_specs())
      for (auto noun : m.nouns)
        if (auto k = matches_at(i, noun); k > n) {
          n = k;
          spec = &m;
        }
    if (!spec && word(i) == "unestimated") spec = &measure_specs().front(), n = 1;
    if (!spec) continue;
    // "without an estimate", "no story points", "unestimated": a missing value, not a figure;
    // "with an estimate" the opposite. Null matches a missing field too.
    std::size_t before = i;
    while (before > 0 && free(before - 1) && (word(before - 1) == "a" || word(before - 1) == "an" || word(before - 1) == "any")) --before;
    auto quantifier = before > 0 && free(before - 1) ? word(before - 1) : std::string_view();
    bool missing = word(i) == "unestimated" || quantifier == "without" || quantifier == "no" || quantifier == "missing";
    if (missing || quantifier == "with") {
      std::string label(spec->label);
      std::size_t from = word(i) == "unestimated" ? i : before - 1;
      r_.conditions.push_back({std::string(spec->path), missing ? json::value(nullptr) : json::value(json::object{{"$ne", nullptr}}),
                               (missing ? "no " : "with ") + label});
      use(from, i + n - from);
      continue;
    }
    use(i, n);
    if (r_.display_id) {
      r_.extra_columns.emplace_back(spec->path);
      return;
    }
    r_.measure = spec;
    // The word saying how, before the measure ("the sum of the", "average") or "on average" anywhere.
    for (std::size_t j = i; j-- > 0 && !used_[j];) {
      auto t = word(j);
      if (t == "the" || t == "of" || t == "all") continue;
      if (t == "average" || t == "avg" || t == "mean") r_.measure_kind = Measure::average;
      if (t == "average" || t == "avg" || t == "mean" || t == "total" || t == "sum" || t == "overall" || t == "combined") use(j, 1);
      break;
    }
    for (std::size_t j = 0; j + 1 < w_.size(); ++j)
      if (matches_at(j, "on average")) {
        r_.measure_kind = Measure::average;
        use(j, 2);
      }
    return;
  }
}

// "archived projects", "not archived", "favourite cycles", "locked pages": a true/false field the
// entity's documents hold. After the values, so a stored value ("ACTIVE" cycles) wins.
void QuestionReader::read_flags() {
  if (!r_.entity_catalog) return;
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i)) continue;
    for (auto& f : flag_specs()) {
      bool yes = std::find(f.words.begin(), f.words.end(), word(i)) != f.words.end();
      bool no = std::find(f.negated_words.begin(), f.negated_words.end(), word(i)) != f.negated_words.end();
      if ((!yes && !no) || !r_.entity_catalog->has_flag(f.path)) continue;
      bool negated = i > 0 && free(i - 1) && negations().contains(word(i - 1));
      bool is_true = yes != negated;
      r_.conditions.push_back({std::string(f.path), is_true ? json::value(true) : json::value(json::object{{"$ne", true}}),
                               (is_true ? "" : "not ") + std::string(f.label)});
      use(i, 1);
      if (negated) use(i - 1, 1);
      break;
    }
  }
}

// "how many different people have open bugs", "distinct labels in Fleet Tracker": the values of a
// role counted once each (read before the entity, so "people" is the assignees, not the members).
void QuestionReader::read_distinct() {
  for (std::size_t i = 0; i + 1 < w_.size(); ++i) {
    auto t = word(i);
    if (!free(i) || !(t == "distinct" || t == "different" || t == "unique" || t == "individual")) continue;
    for (auto& spec : role_specs())
      for (auto noun : spec.nouns)
        if (!r_.distinct && noun != "who" && noun != "whom" && spec.role != Role::name && free(i + 1) && word(i + 1) == noun) {
          r_.distinct = spec.role;
          use(i, 2);
        }
  }
}

// "more than one assignee", "at least 2 labels", "several assignees": the array of the role holds
// that many, i.e. its element at that index exists.
void QuestionReader::read_array_sizes() {
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i)) continue;
    std::optional<int> at_least;
    std::size_t n = 0;
    if ((word(i) == "more" && word(i + 1) == "than") || word(i) == "over") {
      std::size_t k = word(i) == "over" ? 1 : 2;
      if (auto x = number_word(word(i + k))) at_least = *x + 1, n = k + 1;
    } else if (word(i) == "at" && word(i + 1) == "least") {
      if (auto x = number_word(word(i + 2))) at_least = *x, n = 3;
    } else if (auto x = number_word(word(i)); x && word(i + 1) == "or" && word(i + 2) == "more") {
      at_least = *x, n = 3;
    } else if (word(i) == "multiple" || word(i) == "several") {
      at_least = 2, n = 1;
    }
    if (!at_least || *at_least < 1) continue;
    for (auto role : {Role::assignee, Role::label}) {
      auto path = r_.role_path(role);
      auto& spec = role_spec(role);
      bool named = std::any_of(spec.nouns.begin(), spec.nouns.end(), [&](auto noun) { return noun != "who" && noun != "whom" && matches_at(i + n, noun); });
      if (!path || !named) continue;
      std::string array = path->substr(0, path->find('.'));
      std::string text = "at least " + std::to_string(*at_least) + " " + std::string(spec.label) + (*at_least == 1 ? "" : "s");
      r_.conditions.push_back({array + "." + std::to_string(*at_least - 1), json::object{{"$exists", true}}, text});
      use(i, n + 1);
      break;
    }
  }
}

// "what percentage of bugs are done", "percent done in Sprint 12", "% of items that are urgent":
// the documents asked about are the whole; the link said after the verb (or right next to the
// word) is the part counted, not a filter. Without one clear part the question is not guessed at.
void QuestionReader::read_share() {
  std::optional<std::size_t> cue;
  for (std::size_t i = 0; i < w_.size() && !cue; ++i) {
    auto t = word(i);
    if (free(i) && (t == "percentage" || t == "percent" || t == "pct" || t == "proportion" || t == "fraction" || t == "share")) {
      cue = i;
      use(i, 1);
    } else if (matches_at(i, "how much of")) {
      cue = i;
      use(i, 3);
    }
  }
  if (!cue) {
    auto sign = q_.find('%');
    if (sign == std::string::npos) return;
    // "what % of ...": the words after the sign.
    std::size_t k = 0;
    while (k < w_.size() && w_[k].offset < sign) ++k;
    cue = k == 0 ? 0 : k - 1;
  }
  r_.share = true;
  std::optional<std::size_t> verb;
  for (std::size_t i = *cue + 1; i < w_.size() && !verb; ++i)
    if (is_copula(word(i))) verb = i;
  std::vector<Link*> part;
  for (auto& l : r_.links) {
    bool after_verb = verb && l.at > *verb;
    bool next_to_cue = !verb && l.n > 0 && (l.at == *cue + 1 || l.at + l.n == *cue);
    if (after_verb || next_to_cue) part.push_back(&l);
  }
  if (part.size() != 1) {
    refuse("Say what the share counts, e.g. \"what percentage of " + std::string(r_.entity->plural) + " are done\" or \"percentage of " +
           std::string(r_.entity->plural) + " that are urgent\".");
    return;
  }
  part.front()->share = true;
}

}  // namespace pms::understanding
