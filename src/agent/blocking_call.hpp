#pragma once
// Runs blocking work (database calls) on another executor and resumes the calling coroutine on
// its own executor, so I/O threads never block.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>

namespace pms::agent {

template <class F>
boost::asio::awaitable<std::invoke_result_t<F>> run_blocking(boost::asio::any_io_executor where, F f) {
  using R = std::invoke_result_t<F>;
  co_return co_await boost::asio::co_spawn(
      where, [f = std::move(f)]() mutable -> boost::asio::awaitable<R> { co_return f(); }, boost::asio::use_awaitable);
}

}  // namespace pms::agent
