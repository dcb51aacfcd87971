#include "server/spawn.hpp"

#include "core/log.hpp"

#include <boost/asio/co_spawn.hpp>

#include <exception>

namespace pms::server {

void spawn_logged(const boost::asio::any_io_executor& executor, boost::asio::awaitable<void> task, std::string what) {
  boost::asio::co_spawn(executor, std::move(task), [what = std::move(what)](std::exception_ptr failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      spdlog::error("{} ended with an exception: {}", what, e.what());
    } catch (...) {
      spdlog::error("{} ended with an unknown exception", what);
    }
  });
}

}  // namespace pms::server
