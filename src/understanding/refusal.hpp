#pragma once
// Refusals: the questions offered instead of an answer, nearest to what was understood first.
// The reply text itself is explain_refusal (question_planner.hpp).
#include "understanding/question_reader.hpp"
#include "understanding/value_catalog.hpp"

#include <string>
#include <vector>

namespace pms::understanding {

// At most five questions that can be answered: built on the reading's entity and the values it
// named, then general ones from the catalog.
std::vector<std::string> suggestions(const Reading& reading, const ValueCatalog& catalog);

}  // namespace pms::understanding
