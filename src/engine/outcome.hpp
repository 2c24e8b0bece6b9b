// Outcome<T>: what every engine operation returns — a value, or an error
// code plus a detail message naming the offending key/run/limit. The sync
// facade turns it into a thrown Error (or an error_code&), the async front
// end into a completion.
#pragma once

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
  explicit operator bool() const noexcept { return !ec; }
};

/// Throwing form: returns the value or throws Error(ec, detail).
template <class T>
T value_or_throw(Outcome<T>&& o) {
  if (o.ec) throw Error(o.ec, o.detail);
  return std::move(o.value);
}

/// error_code& form: sets ec and returns the value (default on error).
template <class T>
T value_or_code(Outcome<T>&& o, error_code& ec) {
  ec = o.ec;
  return std::move(o.value);
}

}  // namespace strata::detail
