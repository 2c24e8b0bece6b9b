// Recorder — record/replay of an agent's nondeterministic inputs
// (docs/guides/replay.md, "Recording an agent").
//
// An agent is deterministic given its inputs: the tool responses it got, the
// random numbers it drew, the clock readings it took. A Recorder in record
// mode produces those live and stores each as an event of the run
// (type "recorder.input"); in replay mode it hands the recorded ones back in
// the same order instead — the tool is not called, the clock not read — and
// appends the same events to the run it replays into, so a replay of a
// deterministic agent ends with the same content and the same run_digest.
//
//   auto rec = strata::Recorder::record(db);               // db's current run
//   Value page = rec.tool("fetch", Value::object({{"url", u}}), [&](const Value& req) { return fetch(req); });
//   std::uint64_t die = rec.random();
//   std::int64_t now = rec.now_us();
//
//   db.fork_run("again", AsOf::at_version(start));          // the state before the session
//   auto again = strata::Strata(db.database()); again.set_run("again");
//   auto rep = strata::Recorder::replay(again, "session", first_sequence);
//   ... the same agent code, with rep ...
//   rep.finish();                                           // every recorded input was used
//
// A request that differs from the recorded one (another tool, other
// arguments, a clock read where a random number was recorded, more inputs
// than were recorded, or fewer at finish()) is errc::replay_divergence, whose
// message names the input's position, what was asked and what was recorded.
// A Recorder is used by one agent at a time (not thread-safe).
#pragma once

#include <strata/facade.hpp>
#include <strata/value.hpp>

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

class Recorder {
 public:
  /// The event type of every recorded input.
  static constexpr std::string_view kEventType = "recorder.input";

  /// Record mode: inputs are produced live and appended to `db`'s current run.
  static Recorder record(Strata db);
  /// Replay mode: inputs come from the events of run `source` with sequence
  /// >= `from_sequence`, in order; each one handed back is appended to
  /// `db`'s current run. Errors: run_not_found.
  static Recorder replay(Strata db, std::string_view source, std::uint64_t from_sequence = 1);

  bool replaying() const noexcept { return replaying_; }
  /// Inputs handed out so far.
  std::size_t position() const noexcept { return position_; }

  /// A tool call: record mode calls `call(request)` and records the
  /// response; replay mode checks name and request against the recording
  /// and returns the recorded response without calling. A call that threw
  /// is recorded too, and rethrown — in replay as std::runtime_error with
  /// the recorded message.
  Value tool(std::string_view name, const Value& request, const std::function<Value(const Value&)>& call);
  /// A random 64-bit number (record mode: std::mt19937_64 seeded from
  /// std::random_device).
  std::uint64_t random();
  /// A wall-clock reading, µs since the Unix epoch.
  std::int64_t now_us();
  /// Any other nondeterministic input, named by `kind` ("user_message", ...).
  Value input(std::string_view kind, const std::function<Value()>& produce);

  /// Replay mode: errc::replay_divergence when recorded inputs were left
  /// unused (the agent stopped early). Record mode: nothing to check.
  void finish();

 private:
  Recorder(Strata db, bool replaying) : db_(std::move(db)), replaying_(replaying) {}
  /// The recorded input at the current position, checked against what the
  /// agent asks for now (kind, name, request); appends it to db_, moves on
  /// and returns its answer (rethrowing a recorded tool failure).
  Value take(std::string_view kind, std::string_view name, const Value* request);
  /// take() of a random number or clock reading (an Int, else a divergence).
  std::int64_t take_integer(std::string_view kind, std::string_view what);
  /// Record mode: produce() recorded as an input of `kind`; replay: take().
  Value answer(std::string_view kind, const std::function<Value()>& produce);
  /// Appends a live input to db_ (record mode).
  void keep(Object payload);

  Strata db_;
  bool replaying_;
  std::size_t position_ = 0;
  std::vector<Event> recorded_;  // replay: the source's recorded inputs, in order
  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace strata
