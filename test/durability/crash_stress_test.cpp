// Crash safety, long form (docs/design/reliability.md; CTest label "stress"): hundreds of
// SIGKILLs of a writer process, half in Strict and half in Buffered mode,
// with the checks of crash_harness.hpp after each reopen, for the KV
// workload, the multi-primitive one (KV + event + state + JSON) and the
// vector one (KV + vector upserts and deletes). Takes a few minutes. Reproduce a failure with STRATA_CRASH_SEED=<printed seed>.
#define BOOST_TEST_MODULE crash_stress
#include <boost/test/unit_test.hpp>

#include "durability/crash_harness.hpp"

#include <chrono>

using crash::Workload;
using namespace std::chrono_literals;

// Buffered runs flat out pile up data (and verification) too fast: 200 µs
// between commits, and a full check every 20th kill.
constexpr auto kPause = 200us;

crash::Config buffered(Workload w, int kills) {
  crash::Config c = crash::with(w, kills, kPause);
  c.full_check_every = 20;
  return c;
}

// A short flush interval makes the loss bound tight relative to the kills.
crash::Config buffered_5ms(Workload w) {
  crash::Config c = crash::with(w, 40, kPause);
  c.flush_interval = std::chrono::milliseconds(5);
  c.long_delay_every = 2;
  c.long_delay_ms = 200;
  return c;
}

BOOST_AUTO_TEST_CASE(strict_survives_hundreds_of_kills) {
  crash::expect_strict_keeps_every_ack(crash::with(Workload::Kv, 120), "strict-stress");
}

BOOST_AUTO_TEST_CASE(buffered_survives_hundreds_of_kills) {
  crash::expect_buffered_within_bound(buffered(Workload::Kv, 120), "buffered-stress");
}

BOOST_AUTO_TEST_CASE(buffered_with_a_short_interval_survives_kills) {
  crash::expect_buffered_within_bound(buffered_5ms(Workload::Kv), "buffered-5ms-stress");
}

BOOST_AUTO_TEST_CASE(strict_multi_primitive_survives_hundreds_of_kills) {
  crash::expect_strict_keeps_every_ack(crash::with(Workload::Primitives, 100), "strict-primitives-stress");
}

BOOST_AUTO_TEST_CASE(buffered_multi_primitive_survives_hundreds_of_kills) {
  crash::expect_buffered_within_bound(buffered(Workload::Primitives, 100), "buffered-primitives-stress");
}

BOOST_AUTO_TEST_CASE(buffered_multi_primitive_with_a_short_interval_survives_kills) {
  crash::expect_buffered_within_bound(buffered_5ms(Workload::Primitives), "buffered-primitives-5ms-stress");
}

BOOST_AUTO_TEST_CASE(strict_vectors_survive_hundreds_of_kills) {
  crash::expect_strict_keeps_every_ack(crash::with(Workload::Vectors, 100), "strict-vectors-stress");
}

BOOST_AUTO_TEST_CASE(buffered_vectors_survive_hundreds_of_kills) {
  crash::expect_buffered_within_bound(buffered(Workload::Vectors, 100), "buffered-vectors-stress");
}
