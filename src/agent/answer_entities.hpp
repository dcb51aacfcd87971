#pragma once
// The things an answer names, so a client can make them links: work items and epics by their
// display number (the schema's displayBugNo, bugNo: looked up in the tenant's store), projects,
// cycles, modules, epics and people by their name or short id (the tenant's value catalog). Only texts the answer contains, each once per thing it names:
//   {"text": "FLEET-214", "kind": "workItem", "id": "<_id>", "url": "https://pms/..."}
// `kind` is the thing's collection; `id` what references to it hold in `_id` (members: memberId).
// A name several things share ("Sprint 12" of six projects) is kept only when the answer says
// which: the one thing in the answer's only project, or, in a table row, the one in the project
// that row names, with `with`: that row's cell naming the project (docs/protocol.md#entities).
#include "agent/agent.hpp"
#include "core/json_util.hpp"
#include "store/document_store.hpp"
#include "understanding/value_catalog.hpp"


#include <string>
#include <string_view>

namespace pms::agent {

// Blocking (one indexed query per kind with a display number); `item_url_template`
// (--item-url-template, valid) gives work items their `url`, when set.
json::array answer_entities(std::string_view answer, store::DocumentStore& store, const understanding::ValueCatalog& catalog,
                            const std::string& item_url_template, const CancelToken* cancel = nullptr);

// The turn's answer's entities into `out.entities` and its saved message (the last of `to_save`,
// when it is the answer). Blocking: run on the database pool, where the turn is saved right after;
// `store` is the turn's (tenant-scoped) store.
void name_answer_entities(const AgentServices& services, store::DocumentStore& store, const std::string& tenant, TurnOutcome& out,
                          std::vector<json::object>& to_save);

}  // namespace pms::agent
