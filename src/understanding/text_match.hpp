#pragma once
// How question words are compared with stored values: both are normalized (lowercase, Latin
// accents folded, '_' '-' '/' and other separators as spaces), then compared exactly or within
// a small edit distance that grows with the length of the word, so "in progres", "Muller" and
// "hihg" still find "In Progress", "Müller" and "HIGH" while short words must match exactly.
#include "core/edit_distance.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pms::understanding {

// "NOT_STARTED" -> "not started", "Müller" -> "muller", "In-Review" -> "in review".
std::string normalize_text(std::string_view text);

struct Word {
  std::string text;        // normalized
  std::string original;    // as typed
  std::size_t offset = 0;  // byte offset of `original` in the question
};

// A number said as a word or digits: "one" .. "twelve", "a"/"an" (1), "7"; up to 3650.
std::optional<int> number_word(std::string_view w);

// Whether `word` is one of the words of `normalized` (text_match's form: single spaces), without
// splitting it.
bool has_word(std::string_view normalized, std::string_view word);
// Whether `a` and `b` are equal once spaces are ignored ("to do" and "todo").
bool equal_without_spaces(std::string_view a, std::string_view b);

// The words of `text` (letters and digits; "it's" -> "it", "s"), normalized.
std::vector<Word> split_words(std::string_view text);

// Typos tolerated for a word or phrase of this many characters: 0 up to 4, 1 up to 8, then 2.
std::size_t typo_allowance(std::size_t length);

// Whether a normalized phrase names a normalized stored value, allowing for typos.
bool fuzzy_equal(std::string_view phrase, std::string_view value);

}  // namespace pms::understanding
