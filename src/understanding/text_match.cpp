#include "understanding/text_match.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace pms::understanding {

namespace {

// Base letters of U+00C0..U+00FF (Latin-1 Supplement letters), '\0' where there is none.
constexpr char kLatin1Base[] =
    "aaaaaaaceeeeiiii"  // C0-CF
    "dnooooo\0ouuuuyts"  // D0-DF (D7 is the multiplication sign, DE thorn, DF sharp s)
    "aaaaaaaceeeeiiii"  // E0-EF
    "dnooooo\0ouuuuyty";  // F0-FF

bool is_word_char(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

// Appends the normalized form of the UTF-8 sequence at text[i] and returns its length.
std::size_t fold_char(std::string_view text, std::size_t i, std::string& out) {
  auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) {
    out += is_word_char(c) ? static_cast<char>(std::tolower(c)) : ' ';
    return 1;
  }
  if (c == 0xC3 && i + 1 < text.size()) {
    auto d = static_cast<unsigned char>(text[i + 1]);
    if (d >= 0x80 && d <= 0xBF) {
      char base = kLatin1Base[d - 0x80];  // code point 0xC0 + (d - 0x80)
      if (base) out += base;
      else out.append(text.substr(i, 2));
      return 2;
    }
  }
  std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  len = std::min(len, text.size() - i);
  out.append(text.substr(i, len));
  return len;
}

std::string collapse_spaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

std::string normalize_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) i += fold_char(text, i, out);
  return collapse_spaces(out);
}

std::optional<int> number_word(std::string_view w) {
  static constexpr std::array<std::string_view, 13> kWords = {"zero", "one", "two", "three", "four", "five", "six",
                                                              "seven", "eight", "nine", "ten", "eleven", "twelve"};
  for (std::size_t i = 0; i < kWords.size(); ++i)
    if (w == kWords[i]) return static_cast<int>(i);
  if (w == "a" || w == "an") return 1;
  int n = 0;
  auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), n);
  if (ec != std::errc() || p != w.data() + w.size() || n < 0 || n > 3650) return std::nullopt;
  return n;
}

bool has_word(std::string_view normalized, std::string_view word) {
  if (word.empty()) return false;
  for (auto at = normalized.find(word); at != std::string_view::npos; at = normalized.find(word, at + 1)) {
    bool starts = at == 0 || normalized[at - 1] == ' ';
    bool ends = at + word.size() == normalized.size() || normalized[at + word.size()] == ' ';
    if (starts && ends) return true;
  }
  return false;
}

bool equal_without_spaces(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (true) {
    while (i < a.size() && a[i] == ' ') ++i;
    while (j < b.size() && b[j] == ' ') ++j;
    if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
    if (a[i++] != b[j++]) return false;
  }
}

std::vector<Word> split_words(std::string_view text) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !is_word_char(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    while (i < text.size() && is_word_char(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) {
      auto original = text.substr(start, i - start);
      words.push_back({normalize_text(original), std::string(original), start});
    }
  }
  return words;
}

std::size_t typo_allowance(std::size_t length) { return length <= 4 ? 0 : length <= 8 ? 1 : 2; }

bool fuzzy_equal(std::string_view phrase, std::string_view value) {
  if (phrase == value) return true;
  std::size_t allowed = typo_allowance(std::min(phrase.size(), value.size()));
  if (allowed == 0) return false;
  // A typo is rarely in the first letter; requiring it keeps "bug" from reaching "mug" and
  // unrelated words of equal length apart.
  if (phrase.front() != value.front()) return false;
  return edit_distance(phrase, value, allowed) <= allowed;
}

}  // namespace pms::understanding
