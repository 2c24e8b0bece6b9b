// Internal plumbing for the async API; not part of the public contract.
//
// Completion<T> is a move-only, type-erased `void(error_code, detail, T)`
// that the compiled engine invokes exactly once. The header-side initiation
// wraps the user's handler in it so that the engine is compiled once for
// every token type (no template bloat per operation x token), and attaches
// the detail to the error code the user's handler receives (with_detail),
// so an async caller sees the same message as a synchronous one.
#pragma once

#include <strata/error.hpp>

#include <memory>
#include <string>
#include <utility>

namespace strata::detail {

template <class T>
class Completion {
 public:
  Completion() = default;
  template <class F>
  explicit Completion(F f) : impl_(std::make_unique<Impl<F>>(std::move(f))) {}

  explicit operator bool() const noexcept { return impl_ != nullptr; }

  /// Invokes the wrapped function once; later calls are no-ops.
  void operator()(error_code ec, std::string detail, T value) {
    if (auto impl = std::move(impl_)) impl->call(ec, std::move(detail), std::move(value));
  }
  void operator()(error_code ec, T value) { (*this)(ec, std::string(), std::move(value)); }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual void call(error_code ec, std::string&& detail, T&& value) = 0;
  };
  template <class F>
  struct Impl final : Base {
    explicit Impl(F&& f) : fn(std::move(f)) {}
    void call(error_code ec, std::string&& detail, T&& value) override {
      fn(ec, std::move(detail), std::move(value));
    }
    F fn;
  };
  std::unique_ptr<Base> impl_;
};

}  // namespace strata::detail
