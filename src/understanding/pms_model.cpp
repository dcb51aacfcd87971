#include "understanding/pms_model.hpp"

#include <algorithm>

namespace pms::understanding {

std::span<const RoleSpec> role_specs() {
  static const std::vector<RoleSpec> roles = {
      {Role::state, "state", {"state.name"}, {"state", "states", "status", "statuses", "stage", "stages"}, {"state", "status", "stage"}, true, "", ""},
      {Role::priority, "priority", {"priority"}, {"priority", "priorities", "prio", "prios"}, {"priority", "prio"}, true, "", ""},
      {Role::assignee, "assignee", {"assignee.name"},
       {"assignee", "assignees", "person", "people", "member", "members", "user", "users", "owner", "owners", "developer",
        "developers", "engineer", "engineers", "who", "whom", "teammate", "teammates"},
       {"assigned to", "assignee", "assignee is", "owned by", "belonging to", "working on", "for", "of", "to"},
       true, "members", "name"},
      {Role::project, "project", {"project.name"}, {"project", "projects"}, {"project", "in project", "projects"}, true, "project", "name"},
      {Role::label, "label", {"label.name"}, {"label", "labels", "tag", "tags"},
       {"label", "labelled", "labeled", "tagged", "tag", "tagged as", "labelled as", "labeled as", "with label", "with tag"}, true, "", ""},
      {Role::cycle, "cycle", {"cycle.name", "linkedCycle.name"}, {"cycle", "cycles", "sprint", "sprints", "iteration", "iterations"},
       {"cycle", "sprint", "iteration"}, true, "cycle", "title"},
      {Role::module, "module", {"modules.name", "linkedModule.name"}, {"module", "modules", "component", "components"},
       {"module", "component"}, true, "module", "title"},
      {Role::epic, "epic", {"epic.name"}, {"epic", "epics"}, {"epic", "linked to epic", "linked to"}, true, "epic", "title"},
      {Role::feature, "feature", {"feature.name"}, {"feature", "features"}, {"feature", "linked to feature", "linked to"}, true, "features", "title"},
      {Role::user_story, "user story", {"userStory.name"}, {"story", "stories"}, {"user story", "story", "linked to user story", "linked to"},
       true, "userStory", "title"},
      {Role::created_by, "creator", {"createdBy.name"}, {"creator", "creators", "author", "authors", "reporter", "reporters"},
       {"created by", "reported by", "opened by", "raised by", "filed by", "written by", "authored by", "by"}, false, "members", "name"},
      {Role::lead, "lead", {"lead.name"}, {"lead", "leads"}, {"led by", "lead", "lead by", "lead is", "headed by"}, false, "members", "name"},
      {Role::status, "status", {"status"}, {"status", "statuses"}, {"status"}, true, "", ""},
      {Role::member_role, "role", {"role"}, {"role", "roles"}, {"role"}, true, "", ""},
      {Role::member_type, "type", {"type"}, {"type", "types"}, {"type"}, true, "", ""},
      {Role::visibility, "visibility", {"visibility"}, {"visibility"}, {"visibility"}, true, "", ""},
      {Role::access, "access", {"access"}, {"access"}, {"access"}, true, "", ""},
      {Role::business, "business", {"business.name"}, {"business", "businesses", "company", "companies", "organisation", "organization"},
       {"business", "company"}, true, "", ""},
      {Role::name, "name", {"name", "title"}, {"name", "names", "title", "titles"}, {"named", "called", "titled"}, true, "", ""},
      {Role::state_group, "state group", {"stateMaster.name"}, {}, {}, false, "", ""},
  };
  return roles;
}

const RoleSpec& role_spec(Role role) {
  auto roles = role_specs();
  return *std::find_if(roles.begin(), roles.end(), [&](auto& r) { return r.role == role; });
}

std::span<const EntitySpec> entity_specs() {
  static const std::vector<EntitySpec> entities = {
      {"workItem", "work item", "work items",
       {"work items", "work item", "workitems", "workitem", "items", "item", "issues", "issue", "tasks", "task", "tickets",
        "ticket", "tix", "bugs", "bug", "todos", "things", "work"},
       {"displayBugNo", "title", "state.name", "priority", "assignee.name"}, "createdTimeStamp", "updatedTimeStamp", "endDate",
       "displayBugNo"},
      {"project", "project", "projects", {"projects", "project"}, {"projectDisplayId", "name", "status", "lead.name"},
       "createdTimeStamp", "updatedTimeStamp", "", "", true},
      {"cycle", "cycle", "cycles", {"cycles", "cycle", "sprints", "sprint", "iterations", "iteration"},
       {"title", "project.name", "status", "startDate", "endDate"}, "createdTimeStamp", "updatedTimeStamp", "endDate", "", true},
      {"module", "module", "modules", {"modules", "module", "components", "component"},
       {"title", "project.name", "lead.name", "state.name"}, "createdTimeStamp", "", "", "", true},
      {"epic", "epic", "epics", {"epics", "epic"}, {"bugNo", "title", "state.name", "priority", "assignee.name", "project.name"},
       "createdTimeStamp", "updatedTimeStamp", "endDate", "bugNo", true},
      {"page", "page", "pages", {"pages", "page", "docs", "documents", "document", "wiki pages", "wiki", "notes"},
       {"title", "project.name", "createdBy.name", "visibility"}, "createdAt", "updatedAt", ""},
      {"members", "member", "members",
       {"team members", "team member", "members", "member", "memberships", "people", "persons", "users", "teammates"},
       {"name", "role", "project.name", "type"}, "joiningDate", "", "", "", true, "joined"},
      {"features", "feature", "features", {"features", "feature"}, {"title", "state.name", "priority", "project.name"},
       "createdTimeStamp", "", ""},
      {"userStory", "user story", "user stories", {"user stories", "user story", "stories", "story", "userstories"},
       {"title", "state.name", "priority", "project.name"}, "createdTimeStamp", "", ""},
  };
  return entities;
}

std::span<const MeasureSpec> measure_specs() {
  // Story points are how most teams fill the estimate field; the answer names the field it added.
  static const std::vector<MeasureSpec> specs = {
      {"estimate", "estimate", {"workItem"},
       {"story points", "story point", "estimates", "estimate", "estimated", "estimation", "estimations", "points", "effort"}},
  };
  return specs;
}

std::span<const FlagSpec> flag_specs() {
  // The schema's flags (project isActive, isArchived, favourite; cycle isDefault; isFavourite;
  // page locked); each applies where the entity's documents hold the field.
  static const std::vector<FlagSpec> specs = {
      {"archived", "isArchived", {"archived"}, {"unarchived"}},
      {"active", "isActive", {"active"}, {"inactive"}},
      {"favourite", "favourite", {"favourite", "favourites", "favorite", "favorites", "starred"}, {}},
      {"favourite", "isFavourite", {"favourite", "favourites", "favorite", "favorites", "starred"}, {}},
      {"default", "isDefault", {"default"}, {}},
      {"locked", "locked", {"locked"}, {"unlocked"}},
  };
  return specs;
}

std::span<const IdentitySpec> identity_specs() {
  static const std::vector<IdentitySpec> specs = {
      {"project", "_id", "name", "projectDisplayId"}, {"cycle", "_id", "title", ""},     {"module", "_id", "title", ""},
      {"epic", "_id", "title", ""},                    {"features", "_id", "title", ""}, {"userStory", "_id", "title", ""},
      {"members", "memberId", "name", ""},
  };
  return specs;
}

const IdentitySpec* identity_spec(std::string_view collection) {
  for (auto& s : identity_specs())
    if (s.collection == collection) return &s;
  return nullptr;
}

std::string reference_id_path(std::string_view name_path) {
  auto dot = name_path.rfind('.');
  if (dot == std::string_view::npos) return {};
  return std::string(name_path.substr(0, dot)) + "._id";
}

const EntitySpec* entity_by_collection(std::string_view collection) {
  for (auto& e : entity_specs())
    if (e.collection == collection) return &e;
  return nullptr;
}

}  // namespace pms::understanding
