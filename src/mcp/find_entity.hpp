#pragma once
// find_entity: a name, short id ("FLEET"), display number ("MAA2-12") or id resolved to the
// projects, work items, people, cycles, modules, epics, features and user stories it names, with
// their ids, for agents that then filter the other tools on them. Names are matched as questions
// match them (text_match.hpp: case, accents, small typos), against the value catalog's entities;
// work items, and collections too large for the catalog, are looked up in the store.
#include "mcp/toolbox.hpp"

namespace pms::mcp {

const tools::ToolDefinition& find_entity_definition();
CallResult find_entity(const json::object& arguments, const ToolboxServices& services, const CancelToken* cancel);

}  // namespace pms::mcp
