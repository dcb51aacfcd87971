#pragma once
// A conversation limited to one project (the web's scope selector, a message's "project"): which
// project a client named, and the planner's plan limited to it. The store view that enforces the
// scope for every query, the model's included, is store::project_scope; this makes the plan say
// it ("project is Fleet Tracker") and refuses a question about another project rather than
// answering it with a confident zero.
#include "store/document_store.hpp"
#include "understanding/question_planner.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pms::understanding {

struct ProjectScope {
  json::value id;        // the project's _id as stored
  std::string short_id;  // its projectDisplayId ("FLEET"); may be empty
  std::string name;
  json::object to_json() const;  // {"id", "short_id", "name"}
};

// A project reference that names none of the tenant's projects.
class UnknownProject : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The projects `store` holds, by name. Blocking.
std::vector<ProjectScope> list_projects(store::DocumentStore& store);
// The project `ref` names: its projectDisplayId (ASCII case ignored) or its _id. Throws
// UnknownProject when none does. Blocking.
ProjectScope find_project(store::DocumentStore& store, std::string_view ref);

// Limits `u`'s plan to the project: a condition on the project (its `_id` for projects, the
// reference `project._id` for everything else), unless the plan already names it. A plan whose
// conditions on projects the scope's project does not meet becomes a refusal that says so.
void scope_to_project(Understanding& u, const ProjectScope& project);

}  // namespace pms::understanding
