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

std::string default_web_root() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  auto bin = exe.parent_path();
  for (auto candidate : {bin / ".." / "share" / "pms-assistant" / "web", bin / ".." / ".." / "web" / "dist"}) {
    if (std::filesystem::is_regular_file(candidate / "index.html", ec)) return std::filesystem::weakly_canonical(candidate, ec).string();
  }
  return {};
}

}  // namespace pms
