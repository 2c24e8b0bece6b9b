// Mailbox — the ownership token every actor (shard, coordinator) is built on.
//
// An actor's state is touched only by its current owner. Ownership is the
// mailbox's mutex; there are two ways to hold it:
//  * a message posted to the actor's strand holds it while it runs;
//  * the fast path (SPEC §2, "a documented, benchmarked fast path that keeps
//    the same single-owner guarantee"): a foreground operation takes it
//    inline on the caller's thread for one bounded in-memory step — no I/O,
//    no waiting on other operations happens while it is held. This saves the
//    ~17 µs thread hand-off per call measured in PERF-NOTES.md.
// run_or_post() combines both for async initiation: inline when the actor is
// free at once, otherwise the work is queued on the strand, so initiation
// never waits for the owner.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <mutex>
#include <utility>

namespace strata::actors {

class Mailbox {
 public:
  explicit Mailbox(const boost::asio::any_io_executor& ex) : strand_(boost::asio::make_strand(ex)) {}
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  /// Runs fn() as the owner, inline (waits for a current owner to finish its
  /// bounded step).
  template <class Fn>
  decltype(auto) with_owner(Fn&& fn) {
    std::lock_guard lock(owner_);
    return std::forward<Fn>(fn)();
  }

  /// Runs fn() inline if the actor is free at once, else as a message on the
  /// strand. Never waits.
  template <class Fn>
  void run_or_post(Fn fn) {
    if (owner_.try_lock()) {
      std::lock_guard lock(owner_, std::adopt_lock);
      fn();
      return;
    }
    post(std::move(fn));
  }

  /// Queues fn() as a message on the strand.
  template <class Fn>
  void post(Fn fn) {
    boost::asio::post(strand_, [this, fn = std::move(fn)]() mutable {
      std::lock_guard lock(owner_);
      fn();
    });
  }

 private:
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  std::mutex owner_;
};

}  // namespace strata::actors
