// Crash safety, quick form (docs/design/reliability.md): ~20 SIGKILLs of a writer process per
// durability mode, each followed by reopen and the checks of
// crash_harness.hpp, plus ~10 per mode of the multi-primitive workload
// (KV + event + state cell + JSON in every transaction), and ~10 per mode of
// the vector workload (KV writes, a vector upsert and sometimes a vector
// delete in every transaction). crash_stress_test.cpp runs the same with hundreds of
// kills. Reproduce a failure with STRATA_CRASH_SEED=<printed seed>.
#define BOOST_TEST_MODULE crash
#include <boost/test/unit_test.hpp>

#include "durability/crash_harness.hpp"

#include <filesystem>
#include <iostream>

namespace {
const auto run = crash::run_and_report;
}  // namespace

BOOST_AUTO_TEST_CASE(strict_loses_no_acknowledged_commit) {
  crash::Config c;
  c.mode = strata::Durability::Strict;
  c.kills = 20;
  crash::Summary s = run(c, "strict");
  BOOST_TEST(s.kills == 20);
  BOOST_TEST(s.acks > 0u);
  BOOST_TEST(s.max_lost == 0);
}

BOOST_AUTO_TEST_CASE(buffered_loses_at_most_the_flush_interval) {
  crash::Config c;
  c.mode = strata::Durability::Buffered;
  c.kills = 20;
  c.commit_pause = std::chrono::microseconds(300);  // keeps the quick run quick
  crash::Summary s = run(c, "buffered");
  BOOST_TEST(s.kills == 20);
  BOOST_TEST(s.acks > 0u);
  BOOST_TEST(s.bound_checked > 0u);  // some kill came late enough for the bound to bite
}

// Each transaction touches KV, the event log, a state cell and a JSON
// document: after any kill all four agree on the last committed n.
BOOST_AUTO_TEST_CASE(strict_multi_primitive_transactions_are_atomic_and_kept) {
  crash::Config c;
  c.mode = strata::Durability::Strict;
  c.workload = crash::Workload::Primitives;
  c.kills = 10;
  crash::Summary s = run(c, "strict-primitives");
  BOOST_TEST(s.kills == 10);
  BOOST_TEST(s.acks > 0u);
  BOOST_TEST(s.max_lost == 0);
}

BOOST_AUTO_TEST_CASE(buffered_multi_primitive_transactions_are_atomic_within_the_bound) {
  crash::Config c;
  c.mode = strata::Durability::Buffered;
  c.workload = crash::Workload::Primitives;
  c.kills = 10;
  c.commit_pause = std::chrono::microseconds(300);
  crash::Summary s = run(c, "buffered-primitives");
  BOOST_TEST(s.kills == 10);
  BOOST_TEST(s.acks > 0u);
  BOOST_TEST(s.bound_checked > 0u);
}

// Each transaction puts KV keys, upserts a vector and every third one
// deletes an earlier vector: after any kill KV and vectors agree on the last
// committed n, every acknowledged vector is there bit for bit, and no
// deleted vector comes back.
BOOST_AUTO_TEST_CASE(strict_vector_transactions_are_atomic_and_kept) {
  crash::Config c;
  c.mode = strata::Durability::Strict;
  c.workload = crash::Workload::Vectors;
  c.kills = 10;
  crash::Summary s = run(c, "strict-vectors");
  BOOST_TEST(s.kills == 10);
  BOOST_TEST(s.acks > 0u);
  BOOST_TEST(s.max_lost == 0);
}

BOOST_AUTO_TEST_CASE(buffered_vector_transactions_are_atomic_within_the_bound) {
  crash::Config c;
  c.mode = strata::Durability::Buffered;
  c.workload = crash::Workload::Vectors;
  c.kills = 10;
  c.commit_pause = std::chrono::microseconds(300);
  crash::Summary s = run(c, "buffered-vectors");
  BOOST_TEST(s.kills == 10);
  BOOST_TEST(s.acks > 0u);
  BOOST_TEST(s.bound_checked > 0u);
}
