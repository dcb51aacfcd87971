#include "core/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace pms {

void init_logging(std::string_view level) {
  auto logger = spdlog::stderr_color_mt("pms");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ %v", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(std::string(level)));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace pms
