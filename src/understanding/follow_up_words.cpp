// Pass 0 of the question reader: the words that make a message a follow-up of the answer before
// it. They are taken here so later passes do not read them ("next" of "next 10" is not a date,
// "more" of "show more" is not a comparison); what they mean is applied by follow_up.cpp.
#include "understanding/question_reader.hpp"

#include "understanding/lexicon.hpp"

#include <algorithm>

namespace pms::understanding {

namespace {

// A page size said as digits or a number word; "a"/"an" are articles here ("show a few more").
std::optional<std::int64_t> count_word(std::string_view w) {
  if (w == "a" || w == "an") return std::nullopt;
  auto n = number_word(w);
  return n ? std::optional<std::int64_t>(*n) : std::nullopt;
}

bool time_unit(std::string_view w) {
  static const WordSet units = {"day", "days", "week", "weeks", "month", "months", "quarter", "quarters", "year", "years",
                                "sprint", "sprints", "cycle", "cycles", "monday", "tuesday", "wednesday", "thursday",
                                "friday", "saturday", "sunday", "weekend", "hour", "hours"};
  return units.contains(w);
}

}  // namespace

void QuestionReader::read_follow_up() {
  // "not the done ones" is "not done ones": the article would keep the negation from its word.
  for (std::size_t i = 0; i + 2 < w_.size(); ++i)
    if (negations().contains(word(i)) && (word(i + 1) == "the" || word(i + 1) == "a") && free(i + 1)) {
      w_.erase(w_.begin() + static_cast<std::ptrdiff_t>(i + 1));
      used_.erase(used_.begin() + static_cast<std::ptrdiff_t>(i + 1));
    }
  auto& f = r_.follow;
  const std::size_t n = w_.size();
  auto at_end = [&](std::size_t i) { return i >= n || word(i) == "please" || word(i) == "pls"; };
  auto take = [&](std::size_t i, std::size_t k, bool strong = true) {
    use(i, k);
    f.cue = true;
    f.strong = f.strong || strong;
  };
  // Leading words that continue a conversation: "and ...", "now ...", "ok so only ...".
  for (std::size_t i = 0; i < n; ++i) {
    static const WordSet leading = {"and", "now", "but", "only", "just", "also"};
    if (!leading.contains(word(i))) break;
    f.also = f.also || word(i) == "also";
    take(i, 1, word(i) != "only" && word(i) != "just");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!free(i)) continue;
    if (std::size_t k = matches_at(i, "what about"); k || (k = matches_at(i, "how about"))) {
      take(i, k);
    } else if (word(i) == "same" || word(i) == "instead") {
      take(i, 1);
      if (free(i + 1) && (word(i + 1) == "thing" || word(i + 1) == "but" || word(i + 1) == "question")) use(i + 1, 1);
    } else if (word(i) == "also" || (word(i) == "too" && at_end(i + 1))) {
      f.also = true;
      take(i, 1);
    } else if (matches_at(i, "as well")) {
      f.also = true;
      take(i, 2);
    } else if (word(i) == "them" || word(i) == "those" || word(i) == "these" || word(i) == "ones" || word(i) == "they") {
      take(i, 1, false);
      // "list them", "show those", "which ones", "what are they": the items themselves.
      auto prev = i > 0 ? word(i - 1) : std::string_view();
      if (prev == "list" || prev == "show" || prev == "which" || prev == "are" || prev == "display") f.list = true;
    } else if ((word(i) == "is" || word(i) == "of" || word(i) == "about") && word(i + 1) == "that" && free(i + 1)) {
      take(i + 1, 1);  // "how many is that", "which of that"
    } else if (word(i) == "rest" || (word(i) == "remaining" && (at_end(i + 1) || word(i + 1) == "ones"))) {
      f.next_page = true;
      take(i, 1);
    } else if (word(i) == "more" && (at_end(i + 1) || word(i + 1) == "of" || word(i + 1) == "rows" || word(i + 1) == "results" ||
                                     word(i + 1) == "items")) {
      // "show more", "10 more", "more please"; not "more than one assignee".
      f.next_page = true;
      take(i, 1);
      if (i > 0 && free(i - 1))
        if (auto size = count_word(word(i - 1))) {
          f.page_size = size;
          use(i - 1, 1);
        }
    } else if (word(i) == "next" && (at_end(i + 1) || word(i + 1) == "page" || word(i + 1) == "ones" ||
                                     (count_word(word(i + 1)) && !time_unit(word(i + 2))))) {
      // "next 10", "next page"; not "next week" or "next 10 days".
      f.next_page = true;
      take(i, 1);
      if (auto size = count_word(word(i + 1))) {
        f.page_size = size;
        use(i + 1, 1);
      } else if (word(i + 1) == "page") {
        use(i + 1, 1);
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (word(i) == "all" || word(i) == "every" || word(i) == "everything") r_.all = true;
    if (word(i) == "everything" && free(i)) use(i, 1);
  }
  // "show 50", "show me the first 20": nothing but a number of rows to see.
  static const WordSet size_words = {"show", "list", "display", "give", "me", "us", "the", "first", "top", "please", "pls", "rows", "results"};
  std::optional<std::int64_t> size;
  bool only_size = std::all_of(w_.begin(), w_.end(), [&](auto& w) {
    if (auto k = count_word(w.text); k && !size) return (size = k), true;
    return size_words.contains(w.text);
  });
  if (only_size && size) {
    f.first = size;
    f.cue = f.strong = true;
    for (std::size_t i = 0; i < n; ++i) use(i, 1);
  }
  // "show all", "list everything": nothing but the wish to see all of the last answer.
  static const WordSet all_words = {"show", "list", "display", "give", "me", "us", "all", "everything", "of", "them", "the",
                                    "please", "pls", "results", "rows", "items", "entire", "whole", "full", "list", "see"};
  bool numbered = false;  // "show all 30": the number the last answer said
  if (r_.all && std::all_of(w_.begin(), w_.end(), [&](auto& w) {
        if (!numbered && count_word(w.text)) return numbered = true;
        return all_words.contains(w.text);
      })) {
    f.cue = f.strong = true;
    for (std::size_t i = 0; i < n; ++i) use(i, 1);
  }
  // A fragment has no question word: it only makes sense as a change of the last answer.
  static const WordSet asking = {"what", "whats", "which", "who", "whos", "whose", "how", "when", "where", "why", "list", "show",
                                 "give", "tell", "find", "get", "display", "is", "are", "was", "were", "does", "do", "did",
                                 "has", "have", "count", "many", "much", "any"};
  f.fragment = std::none_of(w_.begin(), w_.end(), [&](auto& w) { return asking.contains(w.text); });
}

}  // namespace pms::understanding
