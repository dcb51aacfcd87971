#include "agent/system_prompt.hpp"

#include <algorithm>
#include <array>

namespace pms::agent {

namespace {

// Fields that cost prompt space without helping a filter: ids, containers (their sub-fields are
// listed), presentation and bookkeeping fields, and the tenant.
bool worth_showing(const store::FieldSummary& f) {
  static const std::array<std::string_view, 22> noisy = {
      "_class", "description", "content", "imageUrl", "icon", "color", "memberId", "leadMail", "stateMaster",
      "updatedBy", "business", "defaultAsignee", "favourite", "isFavourite", "isArchived", "isActive", "locked",
      "linkedPages", "linkedMembers", "updatedTimeStamp", "updatedAt", "isDefault"};
  std::string_view p = f.path;
  if (p == "_id" || p.ends_with("._id") || p.ends_with(".color")) return false;
  std::string_view root = p.substr(0, p.find('.'));
  for (auto n : noisy) if (root == n) return false;
  bool container = std::all_of(f.types.begin(), f.types.end(), [](auto& t) { return t == "object" || t == "array"; });
  return !container;
}

std::string value_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return dump(v);
}

}  // namespace

std::string summarize_schema(const store::CollectionSchema& schema, std::size_t max_chars,
                             std::set<std::string>& values_shown) {
  std::string line = schema.collection + " (" + std::to_string(schema.total) + "):";
  bool first = true;
  for (auto& f : schema.fields) {
    if (!worth_showing(f)) continue;
    std::string part = f.path;
    bool numeric = std::find(f.types.begin(), f.types.end(), "number") != f.types.end();
    if (f.categorical && !f.values.empty() && !numeric) {
      std::string list;
      std::size_t shown = std::min<std::size_t>(f.values.size(), 6);
      // At most six values and about 80 characters: enough to show how values are written.
      std::size_t i = 0;
      for (; i < shown && list.size() < 80; ++i) list += (i ? "|" : "") + value_text(f.values[i].first);
      if (f.values.size() > i) list += "|...";
      // The same field with the same values (project.name everywhere) is listed once.
      std::vector<std::string> sorted;
      for (auto& [v, n] : f.values) sorted.push_back(value_text(v));
      std::sort(sorted.begin(), sorted.end());
      std::string key = f.path;
      for (auto& v : sorted) key += "|" + v;
      if (values_shown.insert(key).second) part += " [" + list + "]";
    } else if (std::find(f.types.begin(), f.types.end(), "date") != f.types.end()) {
      part += " (date)";
    }
    if (line.size() + part.size() + 2 > max_chars) {
      line += ", ...";
      break;
    }
    line += (first ? " " : ", ") + part;
    first = false;
  }
  return line;
}

std::string build_system_prompt(std::string_view database, const std::vector<store::CollectionSchema>& schemas,
                                std::string_view today) {
  std::string p;
  p += "You are PMS Assistant: you answer questions about the project-management database \"";
  p += database;
  p += "\" using the tools, then reply briefly in Markdown. Today is ";
  p += today;
  p += ".\nRules: never invent data; call a tool first. Filters are MongoDB queries on the exact stored values "
       "listed below (case matters). Names are in \".name\" fields: {\"assignee.name\": \"...\"}. Dates are ISO "
       "strings: {\"createdTimeStamp\": {\"$gte\": \"2025-11-01\"}}. Tasks, bugs and issues are workItem "
       "documents. Count with count_documents; break down with aggregate and $group.\nCollections:\n";
  std::set<std::string> values_shown;
  for (auto& s : schemas) p += "- " + summarize_schema(s, s.collection == "workItem" ? 640 : 180, values_shown) + "\n";
  return p;
}

std::vector<store::CollectionSchema> sample_all_schemas(store::DocumentStore& store) {
  std::vector<store::CollectionSchema> schemas;
  auto collections = store.list_collections();
  // Work items first: most questions are about them.
  std::stable_sort(collections.begin(), collections.end(), [](auto& a, auto& b) { return a.name == "workItem" && b.name != "workItem"; });
  for (auto& c : collections) schemas.push_back(store::sample_schema(store, c.name, 200));
  return schemas;
}

}  // namespace pms::agent
