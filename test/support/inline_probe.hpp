// InlineProbe — records whether a completion handler ran before the call
// that initiated its operation returned (an async API must never complete
// inline, SPEC §4). Handlers run on whatever thread drives the io_context.
#pragma once

#include <strata/error.hpp>

#include <memory>

namespace strata::test {

struct InlineProbe {
  int started = 0;
  int completed = 0;
  int inline_calls = 0;

  /// Calls start(handler) and counts the handler's run, and whether it ran
  /// before start returned.
  template <class Start>
  void check(Start start) {
    auto returned = std::make_shared<bool>(false);
    ++started;
    start([this, returned](error_code, auto&&) {
      ++completed;
      if (!*returned) ++inline_calls;
    });
    *returned = true;
  }
};

}  // namespace strata::test
