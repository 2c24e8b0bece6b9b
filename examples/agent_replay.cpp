// agent_replay — record a toy agent's session, replay it into a fork, and
// compare digests (docs/guides/replay.md, "Recording an agent").
//
// The agent plans a trip: it reads the clock, calls a "flight search" tool
// whose answers change from call to call (prices drawn from the OS's
// entropy), draws a random number to break a tie, and keeps its state in
// every primitive. Its nondeterministic inputs go through a strata::Recorder,
// so a replay into a fork of the run — made at the point where the session
// began — gets the same inputs, makes the same writes and ends with the same
// run_digest. A changed agent that asks for something else is stopped with
// replay_divergence.
#include <strata/recorder.hpp>
#include <strata/strata.hpp>

#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

namespace {

/// The real world: a flight search whose prices differ on every call.
strata::Value search_flights(const strata::Value& request) {
  std::random_device entropy;
  strata::Array offers;
  for (const char* airline : {"Aurora", "Borealis", "Cirrus"})
    offers.push_back(strata::Value::object(
        {{"airline", airline}, {"to", request.as_object().at("to")}, {"price", 80 + static_cast<int>(entropy() % 120)}}));
  return strata::Value(std::move(offers));
}

/// The agent: everything it does depends only on the database and on what
/// the recorder hands it.
void plan_trip(strata::Strata& db, strata::Recorder& rec, const std::string& destination) {
  const std::int64_t started = rec.now_us();
  db.state_set("phase", "searching");
  const strata::Value offers = rec.tool("search_flights", strata::Value::object({{"to", destination}}), search_flights);
  db.event_append("tool_call", strata::Value::object({{"tool", "search_flights"}, {"offers", offers}}));
  // The cheapest offer; a random draw breaks ties.
  const strata::Array& list = offers.as_array();
  std::size_t best = rec.random() % list.size();
  for (std::size_t i = 0; i < list.size(); ++i)
    if (list[i].as_object().at("price").as_int() < list[best].as_object().at("price").as_int()) best = i;
  db.json_set("itinerary", "$", strata::Value::object({{"to", destination}, {"flight", list[best]}}));
  db.json_set("itinerary", "$.planned_at_us", started);
  db.kv_put("last_plan", destination);
  db.state_set("phase", "done");
}

}  // namespace

int main() {
  auto db = strata::Strata::open_temp();
  db.create_run("session");
  db.set_run("session");
  db.kv_put("user", "ada");  // the state before the session
  const strata::Version start = db.info().visible_version;
  const std::uint64_t first_event = db.event_len() + 1;

  auto recorder = strata::Recorder::record(db);
  plan_trip(db, recorder, "Lisbon");
  std::cout << "recorded " << recorder.position() << " inputs\n";

  // Replay into a fork of the session at the point where it began.
  db.fork_run("replayed", strata::AsOf::at_version(start));
  strata::Strata again(db.database());
  again.set_run("replayed");
  auto replay = strata::Recorder::replay(again, "session", first_event);
  plan_trip(again, replay, "Lisbon");
  replay.finish();

  const auto original = db.run_digest("session"), replayed = db.run_digest("replayed");
  std::cout << "session  " << original.sha256 << '\n' << "replayed " << replayed.sha256 << '\n';
  if (original.sha256 != replayed.sha256) {
    std::cerr << "digests differ\n";
    return EXIT_FAILURE;
  }

  // A changed agent (another destination) diverges at the tool call.
  db.fork_run("changed", strata::AsOf::at_version(start));
  strata::Strata changed(db.database());
  changed.set_run("changed");
  auto check = strata::Recorder::replay(changed, "session", first_event);
  try {
    plan_trip(changed, check, "Porto");
    std::cerr << "the changed agent was not stopped\n";
    return EXIT_FAILURE;
  } catch (const strata::Error& e) {
    if (e.code() != strata::errc::replay_divergence) throw;
    std::cout << "changed agent stopped: " << e.detail() << '\n';
  }
  std::cout << "digests equal\n";
  return EXIT_SUCCESS;
}
