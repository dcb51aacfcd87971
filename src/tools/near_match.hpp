#pragma once
// How close a stored value or a field name is to the one a model wrote, for the hints of a filter
// that matched nothing: "backlog" is close to "Backlog" (case), "Muller" to "Müller" (accents),
// "Priya" to "Priya Rossi" (a word of it), "stage" to "state" (one edit). Pure, no store.
// (understanding/text_match.* compares question words the same way; it sits above this layer.)
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pms::tools {

// Lowercase, Latin-1 accents folded, '_' '-' '.' and spaces as one space: "In_Progress" -> "in progress".
std::string fold_text(std::string_view text);

// How far `stored` is from `written` (both folded): 0 equal once folded, 1 one is the other's
// leading words or `written` is one of its words, 2 a prefix of at least 3 characters, 3 + n for n
// typos (1 allowed from 4 characters, 2 from 9); nullopt when they are not close.
std::optional<int> closeness(std::string_view written, std::string_view stored);

// The indexes of the candidates closest to `written` (compared folded), closest first and then in
// the candidates' order, at most `max`.
std::vector<std::size_t> nearest(std::string_view written, const std::vector<std::string>& candidates, std::size_t max);

}  // namespace pms::tools
