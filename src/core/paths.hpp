#pragma once
#include <string>

namespace pms {
// The embedded database both pms-assistant and pms-data use when no path is given:
// $XDG_DATA_HOME/pms-assistant/pms.db, else ~/.local/share/pms-assistant/pms.db.
std::string default_db_path();

// Where the built web UI is when no --web-root is given: next to the executable in an install
// (<prefix>/share/pms-assistant/web) or in the source tree of a build (<repo>/web/dist).
// Empty when neither exists.
std::string default_web_root();
}  // namespace pms
