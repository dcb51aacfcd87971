#pragma once
// What the edge (the route wrapper) resolved about a request before any handler runs: the tenant
// it may see, once, and the token that fires when its client goes away.
#include "core/cancel_token.hpp"

#include <string>

namespace pms::server {

struct RequestScope {
  std::string tenant;          // the business this request may see; empty: all of them
  CancelTokenPtr disconnected;  // fires when the client closes its connection; never null
};

}  // namespace pms::server
