// Outcome<T>: what every operation returns — a value, or an error code plus
// a detail message naming the offending key/run/limit. The three front ends
// turn it into the same error: a thrown Error, an error_code& (both through
// with_detail, so the code carries the detail), or a completion.
#pragma once

#include <strata/detail/completion.hpp>
#include <strata/error.hpp>

#include <string>
#include <utility>

namespace strata::detail {

template <class T>
struct Outcome {
  error_code ec;
  std::string detail;
  T value{};

  Outcome() = default;
  Outcome(T v) : value(std::move(v)) {}  // NOLINT: implicit on purpose
  static Outcome fail(error_code ec, std::string detail) {
    Outcome o;
    o.ec = ec;
    o.detail = std::move(detail);
    return o;
  }
  /// The same error as another outcome's, for a different result type.
  template <class U>
  static Outcome fail(Outcome<U>&& other) {
    return fail(other.ec, std::move(other.detail));
  }
  explicit operator bool() const noexcept { return !ec; }
};

template <class T>
Outcome<T> fail(errc e, std::string detail) {
  return Outcome<T>::fail(make_error_code(e), std::move(detail));
}

/// Throwing form: returns the value or throws Error(ec, detail).
template <class T>
T value_or_throw(Outcome<T>&& o) {
  if (o.ec) throw Error(o.ec, o.detail);
  return std::move(o.value);
}

/// error_code& form: sets ec (carrying the detail) and returns the value
/// (default on error).
template <class T>
T value_or_code(Outcome<T>&& o, error_code& ec) {
  ec = o.ec ? with_detail(o.ec, o.detail) : error_code();
  return std::move(o.value);
}

/// Async form: completes `c` with the outcome.
template <class T>
void complete(Completion<T>& c, Outcome<T>&& o) {
  c(o.ec, std::move(o.detail), std::move(o.value));
}

}  // namespace strata::detail
