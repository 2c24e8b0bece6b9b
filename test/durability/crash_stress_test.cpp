// Crash safety, long form (docs/design/reliability.md; CTest label "stress"): hundreds of
// SIGKILLs of a writer process, half in Strict and half in Buffered mode,
// with the checks of crash_harness.hpp after each reopen, for the KV
// workload, the multi-primitive one (KV + event + state + JSON) and the
// vector one (KV + vector upserts and deletes). Takes a few minutes. Reproduce a failure with STRATA_CRASH_SEED=<printed seed>.
#define BOOST_TEST_MODULE crash_stress
#include <boost/test/unit_test.hpp>

#include "durability/crash_harness.hpp"

#include <filesystem>
#include <iostream>

namespace {
const auto run = crash::run_and_report;
}  // namespace

BOOST_AUTO_TEST_CASE(strict_survives_hundreds_of_kills) {
  crash::Config c;
  c.mode = strata::Durability::Strict;
  c.kills = 120;
  crash::Summary s = run(c, "strict-stress");
  BOOST_TEST(s.kills == 120);
  BOOST_TEST(s.max_lost == 0);
}

BOOST_AUTO_TEST_CASE(buffered_survives_hundreds_of_kills) {
  crash::Config c;
  c.mode = strata::Durability::Buffered;
  c.kills = 120;
  c.commit_pause = std::chrono::microseconds(200);  // flat out, data (and verification) grows too fast
  c.full_check_every = 20;
  crash::Summary s = run(c, "buffered-stress");
  BOOST_TEST(s.kills == 120);
  BOOST_TEST(s.bound_checked > 0u);
}

// A short flush interval makes the loss bound tight relative to the kills.
BOOST_AUTO_TEST_CASE(buffered_with_a_short_interval_survives_kills) {
  crash::Config c;
  c.mode = strata::Durability::Buffered;
  c.flush_interval = std::chrono::milliseconds(5);
  c.long_delay_every = 2;
  c.long_delay_ms = 200;
  c.commit_pause = std::chrono::microseconds(200);
  c.kills = 40;
  crash::Summary s = run(c, "buffered-5ms-stress");
  BOOST_TEST(s.kills == 40);
  BOOST_TEST(s.bound_checked > 0u);
}

BOOST_AUTO_TEST_CASE(strict_multi_primitive_survives_hundreds_of_kills) {
  crash::Config c;
  c.mode = strata::Durability::Strict;
  c.workload = crash::Workload::Primitives;
  c.kills = 100;
  crash::Summary s = run(c, "strict-primitives-stress");
  BOOST_TEST(s.kills == 100);
  BOOST_TEST(s.max_lost == 0);
}

BOOST_AUTO_TEST_CASE(buffered_multi_primitive_survives_hundreds_of_kills) {
  crash::Config c;
  c.mode = strata::Durability::Buffered;
  c.workload = crash::Workload::Primitives;
  c.kills = 100;
  c.commit_pause = std::chrono::microseconds(200);
  c.full_check_every = 20;
  crash::Summary s = run(c, "buffered-primitives-stress");
  BOOST_TEST(s.kills == 100);
  BOOST_TEST(s.bound_checked > 0u);
}

BOOST_AUTO_TEST_CASE(buffered_multi_primitive_with_a_short_interval_survives_kills) {
  crash::Config c;
  c.mode = strata::Durability::Buffered;
  c.workload = crash::Workload::Primitives;
  c.flush_interval = std::chrono::milliseconds(5);
  c.long_delay_every = 2;
  c.long_delay_ms = 200;
  c.commit_pause = std::chrono::microseconds(200);
  c.kills = 40;
  crash::Summary s = run(c, "buffered-primitives-5ms-stress");
  BOOST_TEST(s.kills == 40);
  BOOST_TEST(s.bound_checked > 0u);
}

BOOST_AUTO_TEST_CASE(strict_vectors_survive_hundreds_of_kills) {
  crash::Config c;
  c.mode = strata::Durability::Strict;
  c.workload = crash::Workload::Vectors;
  c.kills = 100;
  crash::Summary s = run(c, "strict-vectors-stress");
  BOOST_TEST(s.kills == 100);
  BOOST_TEST(s.max_lost == 0);
}

BOOST_AUTO_TEST_CASE(buffered_vectors_survive_hundreds_of_kills) {
  crash::Config c;
  c.mode = strata::Durability::Buffered;
  c.workload = crash::Workload::Vectors;
  c.kills = 100;
  c.commit_pause = std::chrono::microseconds(200);
  c.full_check_every = 20;
  crash::Summary s = run(c, "buffered-vectors-stress");
  BOOST_TEST(s.kills == 100);
  BOOST_TEST(s.bound_checked > 0u);
}
