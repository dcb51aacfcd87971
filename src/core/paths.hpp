#pragma once
#include <string>

namespace pms {
// The embedded database both pms-assistant and pms-data use when no path is given:
// $XDG_DATA_HOME/pms-assistant/pms.db, else ~/.local/share/pms-assistant/pms.db.
std::string default_db_path();
}  // namespace pms
