#pragma once
// The words the question reader knows that are not stored values: filler, synonyms of the PMS
// vocabulary (priorities, states, statuses, roles), the state names that mean finished or dropped
// work, and the verbs that say which date or intent a question has. Every list is written once
// here; the reader's passes (question_reader.hpp) and the plan builder use them.
#include "understanding/pms_model.hpp"

#include <set>
#include <string_view>
#include <vector>

namespace pms::understanding {

// Words that carry no meaning of their own in these questions.
bool is_stopword(std::string_view word);

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

const WordSet& negations();     // "not", "without", "other", ...
const WordSet& created_verbs();  // "created", "reported", "joined", ...: the creation date, or the creator
const WordSet& updated_verbs();  // "updated", "changed", ...
const WordSet& due_verbs();      // "due", "deadline", ...
const WordSet& write_verbs();    // "delete", "assign", ...: a change, which the assistant never makes
// Words after "I" that are only polite ("can I see", "I want"), not about the asker.
const WordSet& polite_after_i();

}  // namespace pms::understanding
