#pragma once
// The PMS data model as questions talk about it (see ../shared/pms-schema.md and docs/data.md):
// the entities people ask about with the words they use for them, and the roles a field plays
// (state, priority, assignee, ...) with the words that introduce it and the paths that hold it.
// A role is only used for an entity whose catalog actually has one of its paths.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pms::understanding {

enum class Role {
  state, priority, assignee, project, label, cycle, module, epic, feature, user_story, created_by, lead, status, member_role,
  member_type, visibility, access, business, name,
  state_group,  // the schema's stateMaster: only grouped by ("by state group"), its words are the state vocabulary's
};

struct RoleSpec {
  Role role;
  std::string_view label;                  // how an answer names it: "state", "assignee"
  std::vector<std::string_view> paths;     // candidates, first present wins
  std::vector<std::string_view> nouns;     // words naming the role: "by priority", "which project"
  std::vector<std::string_view> cues;      // words before a value that select this role: "assigned to"
  bool bare_values = true;                 // a value may be named without a cue ("Priya's bugs")
  // Where names for this role also live, for values no document of the entity holds yet.
  std::string_view owner_collection, owner_path;
};

struct EntitySpec {
  std::string_view collection;
  std::string_view singular, plural;       // as answers say it
  std::vector<std::string_view> nouns;     // normalized words and phrases: "work items", "bugs"
  std::vector<std::string_view> columns;   // shown when listing
  std::string_view created, updated, due;  // date paths ("" when the entity has none)
  std::string_view number = "";            // the path of its display number ("MAA2-12"), when it has its own
  bool named = false;                      // asked about by its own name ("status of Billing Platform")
  std::string_view created_verb = "created";  // how its creation date is said: "joined" for members
};

// Where documents keep the group of their state (Backlog, Unstarted, Started, Completed,
// Cancelled), when they do: the schema's stateMaster reference.
inline constexpr std::string_view kStateGroupPath = "stateMaster.name";

// A collection whose documents are things references point at (a project, a cycle, a person):
// where each one keeps the id references use, its name, and its short id when it has one.
struct IdentitySpec {
  std::string_view collection;
  std::string_view id_path;        // "_id"; "memberId" for members (a membership row per person and project)
  std::string_view name_path;      // "name", "title"
  std::string_view short_id_path;  // "projectDisplayId" ("FLEET"), or ""
};

// A numeric field questions add up or average ("total estimate", "story points per assignee"):
// where it is kept and which entities have it (the schema's workItem.estimate).
struct MeasureSpec {
  std::string_view label;                      // as answers say it: "estimate"
  std::string_view path;                       // "estimate"
  std::vector<std::string_view> collections;   // "workItem"
  std::vector<std::string_view> nouns;         // normalized: "estimate", "story points", ...
};
std::span<const MeasureSpec> measure_specs();

// A true/false field of the schema and the words that say it is true ("archived projects",
// "favourite cycles", "locked pages"); the negated words say it is not ("unarchived").
struct FlagSpec {
  std::string_view label;                     // as answers say it: "archived"
  std::string_view path;                      // "isArchived"
  std::vector<std::string_view> words;        // "archived"
  std::vector<std::string_view> negated_words;  // "unarchived"
};
std::span<const FlagSpec> flag_specs();

std::span<const IdentitySpec> identity_specs();
const IdentitySpec* identity_spec(std::string_view collection);
// Where a reference keeps the id of what its name path names: "project.name" -> "project._id".
std::string reference_id_path(std::string_view name_path);

std::span<const RoleSpec> role_specs();
const RoleSpec& role_spec(Role role);
std::span<const EntitySpec> entity_specs();
const EntitySpec* entity_by_collection(std::string_view collection);

}  // namespace pms::understanding
