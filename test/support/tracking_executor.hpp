// TrackingExecutor — a standard (P0443-style) Asio executor for tests that
// wraps another executor (typically an io_context's) and records how it is
// used, so tests can prove the Asio rules of docs/design/api.md:
//  * every submission is counted, split by how Asio asked for it: blocking
//    never + relationship continuation = defer, blocking never = post,
//    blocking possibly = dispatch;
//  * every function it runs is counted, and while it runs the thread is
//    marked, so a handler can assert it was invoked *through* this executor
//    (running_in_this_thread()), not merely on the same thread;
//  * properties (blocking, outstanding_work, relationship, allocator,
//    context) are forwarded to the wrapped executor, so work tracking still
//    keeps io_context::run() from returning early.
// It converts to asio::any_io_executor, so it can be a handler's associated
// executor (bind_executor) or a Database's executor (Options::executor).
#pragma once

#include <boost/asio/execution.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/require.hpp>

#include <atomic>
#include <memory>
#include <type_traits>
#include <utility>

namespace strata::test {

/// Counters shared by every copy (and every require()d variant) of one
/// tracking executor. Atomic: a wrapped thread pool runs functions on many
/// threads at once.
struct ExecutorTally {
  std::atomic<long> executes{0};    // every execute() call
  std::atomic<long> posts{0};       // blocking.never, relationship.fork
  std::atomic<long> defers{0};      // blocking.never, relationship.continuation
  std::atomic<long> dispatches{0};  // blocking.possibly (may run inline)
  std::atomic<long> runs{0};        // functions that actually ran through us

  /// True while this thread is running a function submitted through an
  /// executor that shares this tally.
  bool running_in_this_thread() const noexcept {
    for (const Frame* f = current(); f; f = f->outer)
      if (f->tally == this) return true;
    return false;
  }

  /// Marks the thread as running through `tally` for the frame's lifetime
  /// (nested frames form a stack, so an inline dispatch inside a handler of
  /// another executor is still attributed correctly).
  struct Frame {
    explicit Frame(const ExecutorTally* t) : tally(t), outer(current()) { current() = this; }
    ~Frame() { current() = outer; }
    Frame(const Frame&) = delete;
    Frame& operator=(const Frame&) = delete;
    const ExecutorTally* tally;
    const Frame* outer;
  };

 private:
  static const Frame*& current() noexcept {
    thread_local const Frame* top = nullptr;
    return top;
  }
};

template <class Inner>
class BasicTrackingExecutor {
 public:
  BasicTrackingExecutor(Inner inner, std::shared_ptr<ExecutorTally> tally)
      : inner_(std::move(inner)), tally_(std::move(tally)) {}
  explicit BasicTrackingExecutor(Inner inner)
      : BasicTrackingExecutor(std::move(inner), std::make_shared<ExecutorTally>()) {}

  const std::shared_ptr<ExecutorTally>& tally() const noexcept { return tally_; }
  const Inner& inner() const noexcept { return inner_; }

  template <class F>
  void execute(F&& f) const {
    namespace ex = boost::asio::execution;
    ++tally_->executes;
    if (boost::asio::query(inner_, ex::blocking) != ex::blocking.never)
      ++tally_->dispatches;
    else if (boost::asio::query(inner_, ex::relationship) == ex::relationship.continuation)
      ++tally_->defers;
    else
      ++tally_->posts;
    inner_.execute([tally = tally_, f = std::forward<F>(f)]() mutable {
      ExecutorTally::Frame frame(tally.get());
      ++tally->runs;
      std::move(f)();
    });
  }

  // Properties: queried on, and required of, the wrapped executor. The
  // result of require() is a tracking executor again, sharing the tally.
  template <class Property>
  decltype(auto) query(const Property& p) const
    requires boost::asio::can_query<const Inner&, Property>::value
  {
    return boost::asio::query(inner_, p);
  }

  template <class Property>
  auto require(const Property& p) const
    requires boost::asio::can_require<const Inner&, Property>::value
  {
    using Next = std::decay_t<decltype(boost::asio::require(inner_, p))>;
    return BasicTrackingExecutor<Next>(boost::asio::require(inner_, p), tally_);
  }

  template <class Property>
  auto prefer(const Property& p) const
    requires boost::asio::can_prefer<const Inner&, Property>::value
  {
    using Next = std::decay_t<decltype(boost::asio::prefer(inner_, p))>;
    return BasicTrackingExecutor<Next>(boost::asio::prefer(inner_, p), tally_);
  }

  friend bool operator==(const BasicTrackingExecutor& a, const BasicTrackingExecutor& b) noexcept {
    return a.inner_ == b.inner_ && a.tally_ == b.tally_;
  }
  friend bool operator!=(const BasicTrackingExecutor& a, const BasicTrackingExecutor& b) noexcept {
    return !(a == b);
  }

 private:
  Inner inner_;
  std::shared_ptr<ExecutorTally> tally_;
};

/// Deduction helper: track(ioc.get_executor()).
template <class Inner>
BasicTrackingExecutor<Inner> track(Inner inner) {
  return BasicTrackingExecutor<Inner>(std::move(inner));
}

}  // namespace strata::test
