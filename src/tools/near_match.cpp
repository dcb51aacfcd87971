#include "tools/near_match.hpp"

#include "core/edit_distance.hpp"

#include <algorithm>
#include <cctype>

namespace pms::tools {

namespace {

// Base letters of U+00C0..U+00FF, '\0' where there is none (the signs at D7 and F7).
constexpr char kLatin1Base[] =
    "aaaaaaaceeeeiiii"
    "dnooooo\0ouuuuyts"
    "aaaaaaaceeeeiiii"
    "dnooooo\0ouuuuyty";


bool is_word_of(std::string_view word, std::string_view text) {
  for (auto at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    bool starts = at == 0 || text[at - 1] == ' ';
    bool ends = at + word.size() == text.size() || text[at + word.size()] == ' ';
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

std::string fold_text(std::string_view text) {
  std::string out;
  auto space = [&] {
    if (!out.empty() && out.back() != ' ') out += ' ';
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '\t') {
      space();
    } else if (c < 0x80) {
      out += static_cast<char>(std::tolower(c));
    } else if (c == 0xC3 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0xBF) {
      char base = kLatin1Base[static_cast<unsigned char>(text[i + 1]) - 0x80];
      if (base) out += base;
      else out.append(text.substr(i, 2));
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::optional<int> closeness(std::string_view written, std::string_view stored) {
  if (written.empty() || stored.empty()) return std::nullopt;
  if (written == stored) return 0;
  auto leading = [](std::string_view longer, std::string_view shorter) {
    return longer.size() > shorter.size() && longer.starts_with(shorter) && longer[shorter.size()] == ' ';
  };
  if (leading(stored, written) || leading(written, stored) || is_word_of(written, stored)) return 1;
  if (std::min(written.size(), stored.size()) >= 3 && (stored.starts_with(written) || written.starts_with(stored))) return 2;
  std::size_t shorter = std::min(written.size(), stored.size());
  std::size_t allowed = shorter < 4 ? 0 : shorter < 9 ? 1 : 2;
  if (allowed == 0) return std::nullopt;  // short words differ by one letter from many others
  if (std::size_t d = edit_distance(written, stored, allowed); d <= allowed) return 3 + static_cast<int>(d);
  auto common = std::mismatch(written.begin(), written.end(), stored.begin(), stored.end()).first - written.begin();
  if (common >= 5 && static_cast<std::size_t>(common) * 3 >= shorter * 2) return 6;
  return std::nullopt;
}

std::vector<std::size_t> nearest(std::string_view written, const std::vector<std::string>& candidates, std::size_t max) {
  std::string w = fold_text(written);
  std::vector<std::pair<int, std::size_t>> ranked;  // closeness, index
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (auto c = closeness(w, fold_text(candidates[i]))) ranked.emplace_back(*c, i);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::vector<std::size_t> out;
  for (auto& [c, i] : ranked) {
    if (out.size() == max) break;
    out.push_back(i);
  }
  return out;
}

}  // namespace pms::tools
