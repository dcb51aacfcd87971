#pragma once
// The planner's last step, shared by questions and follow-ups: a Reading -> its plan (or why
// there is none) and what was understood of it. question_planner.cpp defines both.
#include "understanding/question_planner.hpp"
#include "understanding/question_reader.hpp"

namespace pms::understanding {

Understanding understanding_of(const Reading& reading, const ValueCatalog& catalog, std::int64_t now_ms);

// understand_question, with the reading its plan came from (the entity another one may be).
struct ReadQuestion {
  Understanding understanding;
  Reading reading;
};
ReadQuestion read_question(std::string_view question, const ValueCatalog& catalog, std::int64_t now_ms);

}  // namespace pms::understanding
