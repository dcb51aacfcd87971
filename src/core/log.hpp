#pragma once
#include <spdlog/spdlog.h>

#include <string_view>

namespace pms {
// Configures the default spdlog logger: stderr, ISO timestamps, `level` (trace..off).
void init_logging(std::string_view level);
}  // namespace pms
