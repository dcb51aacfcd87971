#include "core/url_template.hpp"

#include <array>
#include <cctype>

namespace pms {

namespace {

constexpr std::array<std::string_view, 4> kNames = {"displayBugNo", "id", "projectId", "projectDisplayId"};

bool known(std::string_view name) {
  for (auto n : kNames)
    if (n == name) return true;
  return false;
}

// RFC 3986 unreserved characters stay; everything else (including '/', '?', '#') is encoded.
std::string encode_segment(std::string_view v) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// Calls on_text for literal text and on_name for each placeholder; returns an error or "".
template <class Text, class Name>
std::string walk(std::string_view t, Text on_text, Name on_name) {
  std::size_t i = 0;
  while (i < t.size()) {
    auto open = t.find_first_of("{}", i);
    if (open == std::string_view::npos) {
      on_text(t.substr(i));
      break;
    }
    if (t[open] == '}') return "a '}' without its '{' at character " + std::to_string(open + 1);
    on_text(t.substr(i, open - i));
    auto close = t.find('}', open);
    if (close == std::string_view::npos) return "a '{' without its '}' at character " + std::to_string(open + 1);
    auto name = t.substr(open + 1, close - open - 1);
    if (!known(name)) return "unknown placeholder {" + std::string(name) + "}; use " + std::string(kItemUrlPlaceholders);
    if (!on_name(name)) return "-";
    i = close + 1;
  }
  return {};
}

}  // namespace

std::string item_url_template_error(std::string_view tmpl) {
  if (!tmpl.starts_with("https://") && !tmpl.starts_with("http://"))
    return "it must start with https:// or http:// (e.g. https://pms.example.com/{projectDisplayId}/{displayBugNo})";
  bool any = false;
  auto error = walk(tmpl, [](std::string_view) {}, [&](std::string_view) { return any = true; });
  if (!error.empty()) return error;
  if (!any) return "it has no placeholder, so every item would get the same link; use " + std::string(kItemUrlPlaceholders);
  return {};
}

std::optional<std::string> expand_url_template(std::string_view tmpl, const std::map<std::string, std::string, std::less<>>& values) {
  std::string out;
  auto error = walk(
      tmpl, [&](std::string_view s) { out += s; },
      [&](std::string_view name) {
        auto it = values.find(name);
        if (it == values.end() || it->second.empty()) return false;
        out += encode_segment(it->second);
        return true;
      });
  if (!error.empty()) return std::nullopt;
  return out;
}

std::optional<std::string> item_url(std::string_view tmpl, const ItemLinkFields& item) {
  return expand_url_template(tmpl, {{"displayBugNo", item.display_bug_no},
                                    {"id", item.id},
                                    {"projectId", item.project_id},
                                    {"projectDisplayId", item.project_display_id}});
}

}  // namespace pms
