#pragma once
// A deterministic generator of a realistic PMS database shaped like the Java application's data
// (see docs/data.md): businesses (tenants) with projects, members, cycles, modules, epics,
// features, user stories, pages and work items whose state, priority, assignees and dates follow
// skewed distributions. The same options always produce the same documents.
#include "core/json_util.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pms::store::demo {

struct DemoOptions {
  std::uint64_t seed = 42;
  std::int64_t work_items = 300;  // spread over all projects
  int businesses = 2;
  int projects_per_business = 3;
  // Dates are laid out relative to this day (YYYY-MM-DD); empty means today (UTC).
  std::string reference_date;
};

// The collections generate() writes, in the order it writes them.
const std::vector<std::string>& demo_collections();

// Calls `sink(collection, document)` for every generated document. Throws std::invalid_argument
// for options out of range.
void generate(const DemoOptions& options, const std::function<void(std::string_view, json::value&&)>& sink);

}  // namespace pms::store::demo
