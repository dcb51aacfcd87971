// Pass 14 of the reader (question_reader.hpp): the names a question links to are resolved to the
// things they name, in their own collection (the catalog's entities, read from the same
// tenant-scoped store), so documents are matched on the reference id and a reference that lost
// its name ({_id} or "name": "") still counts. A name that fits two things is asked about.
#include "understanding/question_reader.hpp"

#include <algorithm>

namespace pms::understanding {

namespace {

// The collection holding what a link's role names, when the catalog has its entities.
const CollectionCatalog* owner_of(const Reading& r, const ValueCatalog& catalog, Role role) {
  if (role == Role::name) return r.entity_catalog && !r.entity_catalog->entities.empty() ? r.entity_catalog : nullptr;
  auto owner = role_spec(role).owner_collection;
  if (owner.empty()) return nullptr;
  auto* c = catalog.collection(owner);
  return c && !c->entities.empty() ? c : nullptr;
}

// The path that holds the id of what the link names: the reference's `_id`, or for the entity's
// own name its id.
std::string id_path_of(const Reading& r, const Link& l) {
  if (l.role == Role::name) {
    auto* spec = identity_spec(r.entity->collection);
    return spec ? std::string(spec->id_path) : std::string();
  }
  std::string path = reference_id_path(l.path);
  return !path.empty() && r.entity_catalog->has_reference(path) ? path : std::string();
}

bool in_any(const std::vector<std::string>& ids, const std::vector<std::string>& scope) {
  return std::any_of(ids.begin(), ids.end(), [&](auto& id) { return std::find(scope.begin(), scope.end(), id) != scope.end(); });
}

}  // namespace

void QuestionReader::resolve_identities() {
  if (!r_.entity_catalog || !r_.problem.empty()) return;
  auto* projects = cat_.collection("project");
  auto project_name = [&](const std::string& id) -> std::string {
    auto* p = projects ? projects->entity(id) : nullptr;
    return p ? p->name.value : std::string();
  };
  // How a candidate is told apart from the others of its name: by its project.
  auto label = [&](const EntityRecord& e) {
    if (!e.short_id.value.empty()) return e.name.value + " (" + e.short_id.value + ")";
    std::string where;
    for (auto& p : e.projects)
      if (auto name = project_name(p); p != e.id && !name.empty()) where += (where.empty() ? "" : ", ") + name;
    if (where.empty()) return e.name.value;
    return e.name.value + (e.projects.size() == 1 ? " of " + where : " (" + where + ")");
  };

  // Listed columns of reference names show the name of what an id points at where the reference
  // lost it (only for lists: copying names into every plan would slow questions on big catalogs).
  bool lists = !r_.group && !(r_.count && r_.order == Order::none);
  std::vector<std::string> columns(r_.entity->columns.begin(), r_.entity->columns.end());
  columns.insert(columns.end(), r_.extra_columns.begin(), r_.extra_columns.end());
  for (auto& column : lists ? columns : std::vector<std::string>{}) {
    for (auto& spec : role_specs()) {
      if (spec.role == Role::name || std::find(spec.paths.begin(), spec.paths.end(), column) == spec.paths.end()) continue;
      auto* owner = owner_of(r_, cat_, spec.role);
      if (!owner || !r_.entity_catalog->has_reference(reference_id_path(column))) continue;
      auto& names = r_.reference_names[column];
      for (auto& e : owner->entities) names.emplace(e.id, e.name.value);
      break;
    }
  }

  // "per project", "by sprint": on the reference id, so items whose reference lost its name are
  // in their group; the answer shows the names.
  if (r_.group) {
    auto path = r_.role_path(*r_.group);
    auto* owner = *r_.group == Role::name ? nullptr : owner_of(r_, cat_, *r_.group);
    if (path && owner) {
      auto id_path = reference_id_path(*path);
      if (!id_path.empty() && r_.entity_catalog->has_reference(id_path)) {
        r_.group_id_path = id_path;
        for (auto& e : owner->entities) r_.group_names.emplace(e.id, std::pair{e.name.value, label(e)});
      }
    }
  }

  // Projects first: a project named in the question scopes the cycles, modules, ... it names.
  std::vector<std::string> scope;
  std::optional<std::size_t> scoping;
  std::vector<std::size_t> order;
  for (std::size_t k = 0; k < r_.links.size(); ++k)
    if (r_.links[k].role == Role::project) order.push_back(k);
  for (std::size_t k = 0; k < r_.links.size(); ++k)
    if (r_.links[k].role != Role::project) order.push_back(k);
  bool scoped = false;

  for (auto k : order) {
    Link& l = r_.links[k];
    auto* owner = owner_of(r_, cat_, l.role);
    if (!owner || l.values.empty()) continue;
    std::string id_path = id_path_of(r_, l);
    if (id_path.empty()) continue;
    std::vector<std::string> ids, names;
    bool resolved = true;
    for (auto& value : l.values) {
      auto found = owner->entities_named(normalize_text(value));
      // A name only references hold (its thing is gone, or another tenant's): matched by name.
      if (found.empty()) {
        resolved = false;
        break;
      }
      bool may_scope = l.role != Role::project && !l.negated && !scope.empty();
      if (may_scope) {
        std::vector<const EntityRecord*> inside;
        for (auto* e : found)
          if (in_any(e->projects, scope)) inside.push_back(e);
        // A cycle, module, epic, ... belongs to its project, which then goes without saying; a
        // person is only told apart by a membership: "Maria's bugs in Driver App" keeps the project.
        bool belongs = owner->name != "members";
        if (!inside.empty() && (belongs || found.size() > 1)) {
          found = std::move(inside);
          scoped |= belongs;
        }
      }
      // The entity's own name ("when does Sprint 12 end"): each thing of that name is listed or
      // counted as itself, nothing of theirs is summed.
      if (found.size() > 1 && l.role != Role::name) {
        if (!r_.not_understood.empty()) return;
        // Never summed: say what it could mean and ask.
        std::string list;
        for (std::size_t i = 0; i < found.size(); ++i) {
          std::string option = label(*found[i]);
          list += (i ? (i + 1 == found.size() ? " or " : ", ") : "") + option;
          if (l.n > 0 && l.at + l.n <= w_.size()) {
            auto from = w_[l.at].offset;
            auto to = w_[l.at + l.n - 1].offset + w_[l.at + l.n - 1].original.size();
            r_.clarifications.push_back(q_.substr(0, from) + option + q_.substr(to));
          }
        }
        refuse("\"" + value + "\" is more than one " + std::string(role_spec(l.role).label) + ": " + list +
               ". Which one do you mean?");
        return;
      }
      for (auto* e : found) {
        ids.push_back(e->id);
        if (std::find(names.begin(), names.end(), e->name.value) == names.end()) names.push_back(e->name.value);
      }
    }
    if (!resolved) continue;
    l.id_path = std::move(id_path);
    l.ids = std::move(ids);
    l.values = std::move(names);
    if (l.role == Role::project && !l.negated && !scoping) {
      scope = l.ids;
      scoping = k;
    }
  }
  // "Sprint 23 of Fleet Tracker": the project only said which sprint; the sprint's items count
  // whether or not their own project reference is there.
  if (scoped && scoping) r_.links.erase(r_.links.begin() + static_cast<std::ptrdiff_t>(*scoping));
}

}  // namespace pms::understanding
