#include "core/paths.hpp"

#include <cstdlib>
#include <filesystem>

namespace pms {

std::string default_db_path() {
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::filesystem::path(home) / ".local" / "share";
  } else {
    base = std::filesystem::current_path();
  }
  return (base / "pms-assistant" / "pms.db").string();
}

}  // namespace pms
