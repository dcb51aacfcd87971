#include "understanding/project_scope.hpp"

#include "store/query/filter.hpp"

#include <algorithm>

namespace pms::understanding {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

std::string string_field(const json::object& doc, std::string_view key) {
  auto v = string_member(doc, key);
  return v ? std::string(*v) : std::string();
}

// The fields of a plan's documents that say which project they belong to, and the project's
// values of them: a condition on one of these must hold for the scope's project.
json::object project_fields(const QueryPlan& plan, const ProjectScope& p) {
  if (plan.collection == "project") return {{"_id", p.id}, {"name", p.name}, {"projectDisplayId", p.short_id}};
  return {{"project", json::object{{"_id", p.id}, {"name", p.name}}}};
}

bool about_project(const QueryPlan& plan, std::string_view path) {
  if (plan.collection == "project") return path == "_id" || path == "name" || path == "projectDisplayId";
  return path.starts_with("project.");
}

}  // namespace

json::object ProjectScope::to_json() const { return {{"id", id}, {"short_id", short_id}, {"name", name}}; }

std::vector<ProjectScope> list_projects(store::DocumentStore& store) {
  std::vector<ProjectScope> out;
  store::FindRequest req{"project", nullptr, json::object{{"_id", 1}, {"name", 1}, {"projectDisplayId", 1}}, nullptr, 0, 0};
  for (auto& doc : store.find(req)) {
    auto* o = doc.if_object();
    if (!o || !o->contains("_id")) continue;
    out.push_back({o->at("_id"), string_field(*o, "projectDisplayId"), string_field(*o, "name")});
  }
  std::stable_sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return out;
}

ProjectScope find_project(store::DocumentStore& store, std::string_view ref) {
  auto projects = list_projects(store);
  for (auto& p : projects)
    if (!p.short_id.empty() && iequals(p.short_id, ref)) return p;
  for (auto& p : projects)
    if (p.id.is_string() && p.id.get_string() == ref) return p;
  throw UnknownProject("there is no project \"" + std::string(ref) +
                       "\" here: choose one of the projects offered, or all projects");
}

void scope_to_project(Understanding& u, const ProjectScope& project) {
  if (!u.plan) return;
  auto& plan = *u.plan;
  const auto fields = project_fields(plan, project);
  bool named = false;
  for (auto& c : plan.conditions) {
    if (!about_project(plan, c.path)) continue;
    if (!store::Filter::compile(json::object{{c.path, c.test}}).matches(fields)) {
      u.problem = "This conversation is limited to the project " + project.name +
                  (project.short_id.empty() ? "" : " (" + project.short_id + ")") + "; the question asks about another (" + c.text +
                  "). Choose all projects above the question box to ask across projects.";
      u.plan.reset();  // `c` with it
      u.context.reset();
      return;
    }
    named = true;
  }
  if (named) return;
  const std::string path = plan.collection == "project" ? "_id" : "project._id";
  plan.conditions.push_back({path, project.id, "project is " + project.name});
}

}  // namespace pms::understanding
