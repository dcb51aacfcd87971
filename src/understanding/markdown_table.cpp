#include "understanding/markdown_table.hpp"

#include "core/time_util.hpp"
#include "store/query/field_path.hpp"

#include <algorithm>
#include <cctype>

namespace pms::understanding {

namespace {

std::string scalar_text(const json::value& v) {
  if (auto* s = v.if_string()) {
    std::string_view t = *s;
    if (t.size() == 24 && t[10] == 'T' && parse_iso8601_ms(t)) return std::string(t.substr(0, 10));
    return std::string(truncate_utf8(t, 120)) + (t.size() > 120 ? "…" : "");
  }
  if (auto* o = v.if_object()) {
    if (auto name = string_member(*o, "name")) return std::string(*name);
    if (auto title = string_member(*o, "title")) return std::string(*title);
  }
  auto text = dump(v);
  return std::string(truncate_utf8(text, 120)) + (text.size() > 120 ? "…" : "");
}

std::string escape(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace

std::string cell_text(const json::value& doc, std::string_view path) {
  std::vector<const json::value*> found;
  store::FieldPath(path).collect(doc, found);
  std::string out;
  for (auto* v : found) {
    if (!v) continue;
    if (auto* a = v->if_array()) {
      for (auto& x : *a) out += (out.empty() ? "" : ", ") + scalar_text(x);
    } else if (!v->is_null()) {
      out += (out.empty() ? "" : ", ") + scalar_text(*v);
    }
  }
  return escape(out);
}

std::string markdown_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::string out = "|";
  for (auto& h : header) out += " " + escape(h) + " |";
  out += "\n|";
  for (std::size_t i = 0; i < header.size(); ++i) out += " --- |";
  out += "\n";
  for (auto& row : rows) {
    out += "|";
    for (auto& c : row) out += " " + (c.empty() ? std::string("—") : c) + " |";
    out += "\n";
  }
  return out;
}

std::string text_excerpt(std::string_view html, std::size_t max_chars) {
  static const std::pair<std::string_view, std::string_view> kEntities[] = {
      {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", " "}};
  std::string out;
  bool space = false;
  auto put = [&](char c) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      return;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  };
  for (std::size_t i = 0; i < html.size() && out.size() <= max_chars; ++i) {
    if (html[i] == '<') {
      auto end = html.find('>', i);
      if (end == std::string_view::npos) break;
      space = !out.empty();  // a tag separates words ("<p>a</p><p>b</p>")
      i = end;
      continue;
    }
    bool decoded = false;
    if (html[i] == '&')
      for (auto& [entity, text] : kEntities)
        if (html.substr(i, entity.size()) == entity) {
          for (char c : text) put(c);
          i += entity.size() - 1;
          decoded = true;
          break;
        }
    if (!decoded) put(html[i]);
  }
  if (out.size() > max_chars) {
    auto cut = out.rfind(' ', max_chars);
    out.resize(cut == std::string::npos ? max_chars : cut);
    out += " …";
  }
  return out;
}

std::string column_heading(std::string_view path) {
  static const std::vector<std::pair<std::string_view, std::string_view>> kNames = {
      {"displayBugNo", "Number"}, {"bugNo", "Number"}, {"projectDisplayId", "Key"}, {"assignee.name", "Assignees"},
      {"createdBy.name", "Author"}, {"startDate", "Start"}, {"endDate", "End"}, {"createdTimeStamp", "Created"},
      {"updatedTimeStamp", "Updated"}, {"_id", "Id"}, {"modules.name", "Module"}, {"label.name", "Labels"},
      {"userStory.name", "User story"}, {"estimate", "Estimate"}};
  for (auto& [p, n] : kNames)
    if (p == path) return std::string(n);
  auto dot = path.find('.');
  std::string head(path.substr(0, dot));
  if (!head.empty()) head[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(head[0])));
  return head;
}

std::vector<std::string> columns_of(const std::vector<json::value>& docs, std::size_t max_columns) {
  std::vector<std::string> cols;
  for (auto& d : docs) {
    auto* o = d.if_object();
    if (!o) continue;
    for (auto& [k, v] : *o) {
      if (k == "_class" || k == "description" || k == "content" || cols.size() >= max_columns) continue;
      if (std::find(cols.begin(), cols.end(), std::string(k)) == cols.end()) cols.emplace_back(k);
    }
  }
  return cols;
}

}  // namespace pms::understanding
