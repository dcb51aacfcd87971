#pragma once
#include <string>

namespace pms {
// A random (version 4) UUID in its canonical lower-case form.
std::string random_uuid();
}  // namespace pms
