// Internal plumbing for the async API; not part of the public contract.
//
// initiate<T>(token, default_executor, start) is the one place where a user's
// completion token becomes a call into the compiled engine. It enforces the
// Asio rules for every operation:
//  * the handler always runs on its associated executor (default: the
//    database's), through asio::post — never inline inside initiation, even
//    when the result is known at once;
//  * outstanding work is tracked on that executor until the handler ran, so
//    io_context::run() does not return early;
//  * an error reaches the handler carrying its detail (with_detail).
#pragma once

#include <strata/detail/completion.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>

#include <utility>

namespace strata::detail {

template <class T, class Token, class Start>
auto initiate(Token&& token, const boost::asio::any_io_executor& default_ex, Start&& start) {
  namespace asio = boost::asio;
  auto init = [default_ex](auto handler, auto start) {
    auto ex = asio::prefer(asio::get_associated_executor(handler, default_ex),
                           asio::execution::outstanding_work.tracked);
    std::move(start)(Completion<T>(
        [h = std::move(handler), ex = std::move(ex)](error_code ec, std::string detail, T value) mutable {
          if (ec) ec = with_detail(ec, detail);
          auto target = ex;
          asio::post(std::move(target), [h = std::move(h), ec, v = std::move(value)]() mutable {
            std::move(h)(ec, std::move(v));
          });
        }));
  };
  return asio::async_initiate<Token, void(error_code, T)>(std::move(init), token,
                                                          std::forward<Start>(start));
}

}  // namespace strata::detail
