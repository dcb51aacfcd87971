#pragma once
// The words the question reader knows that are not stored values: filler, synonyms of the PMS
// vocabulary (priorities, states, statuses, roles), the state names that mean finished or dropped
// work, and the verbs that say which date or intent a question has. Every list is written once
// here; the reader's passes (question_reader.hpp) and the plan builder use them.
#include "understanding/pms_model.hpp"
#include "understanding/value_catalog.hpp"

#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pms::understanding {

// Words that carry no meaning of their own in these questions.
bool is_stopword(std::string_view word);

// The word of the PMS vocabulary (entity and role nouns, state, priority and status words, the
// question's own words) a word not understood was most likely meant as: one edit away (a
// transposition, a letter missing, extra or wrong, never the first), the word at least 4 letters,
// and only one such word ("taks" -> "task", "backlgo" -> "backlog", "wich" -> "which"). Where two
// are one edit away, a transposition decides ("taks" is "task", not "tags"), or all of them are
// words without meaning ("wich": "which" or "with"); otherwise none.
std::optional<std::string_view> vocabulary_typo(std::string_view word);

// A phrase that stands for a stored value of a role. The canonical form is then looked up among
// the stored values like a typed value would be.
struct Synonym {
  Role role;
  std::string_view phrase, canonical;
};
const std::vector<Synonym>& synonyms();

using WordSet = std::set<std::string_view>;

// The PMS state vocabulary, normalized: words (and state names) for finished work, state names
// for dropped work, and words for work not finished yet.
const WordSet& done_words();
const WordSet& cancelled_states();
const WordSet& open_words();
bool done_like(std::string_view normalized_state);
bool cancelled_like(std::string_view normalized_state);
// Verbs for a change of state ("closed", "released", "started", ...): before a time they ask when
// the change happened, which the documents do not record.
const WordSet& transition_verbs();
// Words for dropped work: "cancelled", "dropped", ...
const WordSet& cancelled_words();
// Phrases for work being done: "in progress", "started", "wip", ... (the Started group where
// documents carry groups). "progress" alone is not one: "sprint 12 progress" asks how it goes.
const WordSet& started_phrases();

// The state groups of the PMS schema (stateMaster.name), normalized. Every per-project state name
// ("Released", "Won't Do", "Doing") belongs to one, so where documents carry their group, "done"
// is the Completed group whatever the state is called.
namespace state_group {
inline constexpr std::string_view backlog = "backlog", unstarted = "unstarted", started = "started", completed = "completed",
                                  cancelled = "cancelled";
}
// The stored spellings in `field` ("COMPLETED", "Completed") of the groups named.
std::vector<std::string> stored_groups(const CategoryField& field, std::initializer_list<std::string_view> groups);

const WordSet& negations();     // "not", "without", "other", ...
const WordSet& created_verbs();  // "created", "reported", "joined", ...: the creation date, or the creator
const WordSet& updated_verbs();  // "updated", "changed", ...
const WordSet& due_verbs();      // "due", "deadline", ...
const WordSet& write_verbs();    // "delete", "assign", ...: a change, which the assistant never makes
// Words after "I" that are only polite ("can I see", "I want"), not about the asker.
const WordSet& polite_after_i();

}  // namespace pms::understanding
