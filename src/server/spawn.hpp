#pragma once
// Starts a coroutine that nobody awaits. Unlike `asio::detached`, an exception that escapes it is
// logged (what failed and why) instead of vanishing.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <string>

namespace pms::server {

// Runs `task` on `executor`; `what` names it in the log ("chat session writer", ...).
void spawn_logged(const boost::asio::any_io_executor& executor, boost::asio::awaitable<void> task, std::string what);

}  // namespace pms::server
