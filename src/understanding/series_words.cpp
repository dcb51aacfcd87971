// Series: "work items created per week", "bugs opened each month by priority", "monthly": the
// documents counted per period of one of their dates. Read after the times ("this week" is a
// time, "per week" a period) and before the grouping ("by priority" is then the second key).
#include "understanding/lexicon.hpp"
#include "understanding/question_reader.hpp"

#include <map>

namespace pms::understanding {

void QuestionReader::read_series() {
  static const std::map<std::string_view, std::string_view, std::less<>> units = {
      {"day", "day"}, {"days", "day"}, {"week", "week"}, {"weeks", "week"}, {"month", "month"},
      {"months", "month"}, {"year", "year"}, {"years", "year"}};
  static const std::map<std::string_view, std::string_view, std::less<>> adverbs = {
      {"daily", "day"}, {"weekly", "week"}, {"monthly", "month"}, {"yearly", "year"}, {"annually", "year"}};
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!free(i)) continue;
    std::string_view unit;
    std::size_t n = 0;
    if (auto a = adverbs.find(word(i)); a != adverbs.end()) {
      unit = a->second;
      n = 1;
    } else if ((word(i) == "per" || word(i) == "by" || word(i) == "each" || word(i) == "every") && free(i + 1)) {
      if (auto u = units.find(word(i + 1)); u != units.end()) unit = u->second, n = 2;
    } else if (auto u = units.find(word(i)); u != units.end() && (word(i + 1) == "by" || word(i + 1) == "over") &&
                                             units.contains(word(i + 2)) && free(i + 1) && free(i + 2)) {
      unit = u->second;  // "week by week", "month over month"
      n = 3;
    }
    if (!n) continue;
    r_.series_unit = std::string(unit);
    use(i, n);
    if (i > 0 && free(i - 1) && (word(i - 1) == "for" || word(i - 1) == "counted" || word(i - 1) == "count")) use(i - 1, 1);
    // Which date: the verb before ("opened per month", "due each week"); the creation date by default.
    for (std::size_t k = i; k-- > 0 && i - k <= 3;) {
      if (!free(k)) continue;
      if (created_verbs().contains(word(k)) && word(k) != "new") r_.series_kind = TimeCondition::created;
      else if (updated_verbs().contains(word(k))) r_.series_kind = TimeCondition::updated;
      else if (due_verbs().contains(word(k))) r_.series_kind = TimeCondition::due;
      else continue;
      use(k, 1);
      break;
    }
    return;
  }
}

}  // namespace pms::understanding
