// The reader's passes for what to do with the documents (question_reader.hpp): count or list
// and in which order, how many, grouped by what, two values side by side.
#include "understanding/lexicon.hpp"
#include "understanding/question_reader.hpp"

#include <algorithm>

namespace pms::understanding {

void QuestionReader::read_operation() {
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i)) continue;
    auto t = word(i);
    if (auto n = matches_at(i, "how many") ? 2 : matches_at(i, "number of") ? 2 : (t == "count" || t == "total" || t == "tally") ? 1 : 0) {
      r_.count = true;
      use(i, n);
    } else if (matches_at(i, "most recent") || matches_at(i, "most recently")) {
      r_.order = Order::newest;
      use(i, 2);
      if (word(i + 2) == "updated") {
        r_.order = Order::updated;
        use(i + 2, 1);
      }
    } else if ((t == "recently" || t == "last" || t == "latest") && word(i + 1) == "updated") {
      r_.order = Order::updated;
      use(i, 2);
    } else if (t == "latest" || t == "newest" || t == "recent" || t == "recently" || t == "last" || t == "youngest") {
      r_.order = Order::newest;
      use(i, 1);
      if (word(i + 1) == "created" || word(i + 1) == "added") use(i + 1, 1);
    } else if (t == "oldest" || t == "earliest" || t == "first") {
      r_.order = Order::oldest;
      use(i, 1);
    } else if (t == "most" || t == "top" || t == "highest" || t == "biggest" || t == "largest" || t == "busiest" || t == "max" ||
               t == "maximum") {
      r_.top = true;
      use(i, 1);
      if (t == "busiest") r_.group = Role::assignee;
      if (word(i + 1) == "common" || word(i + 1) == "frequent" || word(i + 1) == "used" || word(i + 1) == "popular") use(i + 1, 1);
    } else if (t == "fewest" || (t == "least" && word(i - 1) != "at") || t == "minimum") {
      r_.top = true;
      r_.ascending = true;
      use(i, 1);
    }
  }
  // "oldest bugs ever created": with an ordering, a creation verb only says which date orders.
  if (r_.order == Order::newest || r_.order == Order::oldest) {
    for (std::size_t i = 0; i < w_.size(); ++i)
      if (free(i) && (word(i) == "created" || word(i) == "added" || word(i) == "reported" || word(i) == "opened")) use(i, 1);
  }
}

// A number next to an ordering, "top" or a noun is how many to show: "top 5", "latest 3", "show 20 bugs".
void QuestionReader::read_limit() {
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
    r_.limit = std::stoll(std::string(word(i)));
    use(i, 1);
    break;
  }
}

void QuestionReader::read_grouping() {
  // "who created|reported the most bugs", "who created the X tickets? count per person": grouped
  // by creator (the person counted is the one who created).
  auto per_person = [&]() -> std::optional<std::size_t> {
    for (std::size_t j = 0; j + 1 < w_.size(); ++j)
      if (free(j) && free(j + 1) && (word(j) == "per" || word(j) == "by" || word(j) == "each") &&
          (word(j + 1) == "person" || word(j + 1) == "people" || word(j + 1) == "user" || word(j + 1) == "users"))
        return j;
    return std::nullopt;
  };
  for (std::size_t i = 0; i + 1 < w_.size(); ++i) {
    if (r_.group || !free(i) || word(i) != "who" || !free(i + 1) || !created_verbs().contains(word(i + 1)) || word(i + 1) == "new")
      continue;
    auto per = per_person();
    if (!r_.top && !per) continue;
    r_.group = Role::created_by;
    use(i, 2);
    if (per) use(*per, 2);
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
        bool top_target = r_.top && (!r_.group || *r_.group == spec.role) &&
                          (noun == "who" || noun == "whom" ||
                           (prev && (word(*prev) == "which" || word(*prev) == "what" || word(*prev) == "top")) ||
                           (prev && *prev > 0 && !free(*prev) && r_.limit && word(*prev - 1) == "top") ||
                           word(i + 1) == "with" || (i > 0 && !free(i - 1) &&
                            (word(i - 1) == "common" || word(i - 1) == "top" || word(i - 1) == "busiest" || word(i - 1) == "frequent" || word(i - 1) == "used" || word(i - 1) == "popular")));
        if (!marker_before && !marker_after && !top_target) continue;
        if (r_.group && *r_.group != spec.role) continue;
        r_.group = spec.role;
        use(i, 1);
        // "by state group": the stateMaster group (Backlog, ..., Completed) where documents carry it.
        if (spec.role == Role::state && (word(i + 1) == "group" || word(i + 1) == "groups")) {
          r_.group = Role::state_group;
          use(i + 1, 1);
        }
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
  // "labels used on bugs in Mobile App", "priorities of open items": a role's plural noun opening
  // the question asks for its values, i.e. the documents grouped by it. Not for nouns that name an
  // entity of their own ("projects of ...").
  if (!r_.group && !r_.display_id) {
    std::size_t i = 0;
    while (i < w_.size() && (word(i) == "what" || word(i) == "which" || word(i) == "list" || word(i) == "show" || word(i) == "all" ||
                             word(i) == "the" || word(i) == "me"))
      ++i;
    auto then = word(i + 1) == "are" || word(i + 1) == "were" ? word(i + 2) : word(i + 1);
    bool entity_noun = false;
    for (auto& e : entity_specs())
      for (auto noun : e.nouns) entity_noun |= noun == word(i);
    if (free(i) && !entity_noun && word(i).ends_with("s") &&
        (then == "used" || then == "on" || then == "of" || then == "in" || then == "across" || then == "for"))
      for (auto& spec : role_specs())
        for (auto noun : spec.nouns)
          if (!r_.group && noun == word(i) && noun != "who" && spec.role != Role::name) {
            r_.group = spec.role;
            use(i, 1);
          }
  }
  for (std::size_t i = 0; i < w_.size(); ++i) {
    // "break down Fleet Tracker by state"
    if (r_.group && matches_at(i, "break down")) use(i, 2);
    if (free(i) && r_.group &&
        (word(i) == "breakdown" || word(i) == "distribution" || word(i) == "grouped" || word(i) == "distributed" || word(i) == "spread"))
      use(i, 1);
    // "top 3 assignees by open bugs": what the leaders are ranked by follows "by".
    if (free(i) && r_.top && r_.group && word(i) == "by") use(i, 1);
  }
}

// "urgent vs high in Fleet Tracker", "public versus private pages": the values were linked as one
// role's alternatives; side by side they are that role's groups, among those values. Said of two
// roles at once ("urgent vs high bugs of Mobile App vs Billing"), it stays not understood.
void QuestionReader::read_comparison() {
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < w_.size(); ++i)
    if (free(i) && (word(i) == "vs" || word(i) == "versus" || word(i) == "compare" || word(i) == "comparing")) at.push_back(i);
  if (at.size() != 1 || r_.group) return;
  const Link* compared = nullptr;
  for (auto& l : r_.links) {
    if (l.negated || l.values.size() < 2) continue;
    if (compared) return;
    compared = &l;
  }
  if (!compared) return;
  r_.group = compared->role;
  use(at.front(), 1);
}

}  // namespace pms::understanding
