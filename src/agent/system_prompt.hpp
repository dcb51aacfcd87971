#pragma once
// The compact system prompt: the database, its collections and how their values look, sampled
// from the data itself, so a 0.6B model writes filters that match what is stored.
#include "store/document_store.hpp"
#include "store/schema_sampler.hpp"

#include <set>
#include <string>
#include <vector>

namespace pms::agent {

// One line per collection: "workItem (300): title, priority [URGENT|HIGH|...], state.name [...]".
// A value list already in `values_shown` (an earlier line has it) is left out; the lists this
// line shows are added to it.
std::string summarize_schema(const store::CollectionSchema& schema, std::size_t max_chars,
                             std::set<std::string>& values_shown);

// The whole prompt. `today` is YYYY-MM-DD, so relative dates resolve.
std::string build_system_prompt(std::string_view database, const std::vector<store::CollectionSchema>& schemas,
                                std::string_view today);

// Samples every collection of `store`, work items first (blocking: run on a database thread).
std::vector<store::CollectionSchema> sample_all_schemas(store::DocumentStore& store);

}  // namespace pms::agent
