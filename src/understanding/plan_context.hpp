#pragma once
// A conversation's last plan, as it is kept with the conversation: the question it was read from
// and the follow-ups applied to it since, each with the time it was asked. Readings are
// deterministic, so re-reading them in order (follow_up.hpp) gives the same plan after a restart
// or a reload, and a relative date ("last month") keeps the meaning it had when it was said.
#include "core/json_util.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pms::understanding {

struct PlanContext {
  struct Message {
    std::string text;
    std::int64_t now_ms = 0;
    // The question's plan as the model filled it (model_plan.hpp), read instead of the text, which
    // the planner did not understand.
    std::string model_plan;
  };
  std::vector<Message> messages;  // the question, then its follow-ups in order

  json::object to_json() const;
  // nullopt for anything that is not a context this version wrote.
  static std::optional<PlanContext> from_json(const json::value& v);
};

}  // namespace pms::understanding
