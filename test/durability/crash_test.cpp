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

#include <chrono>

using crash::Workload;
using namespace std::chrono_literals;

// 300 µs between Buffered commits keeps the quick run quick.
constexpr auto kPause = 300us;

BOOST_AUTO_TEST_CASE(strict_loses_no_acknowledged_commit) {
  crash::expect_strict_keeps_every_ack(crash::with(Workload::Kv, 20), "strict");
}

BOOST_AUTO_TEST_CASE(buffered_loses_at_most_the_flush_interval) {
  crash::expect_buffered_within_bound(crash::with(Workload::Kv, 20, kPause), "buffered");
}

// Each transaction touches KV, the event log, a state cell and a JSON
// document: after any kill all four agree on the last committed n.
BOOST_AUTO_TEST_CASE(strict_multi_primitive_transactions_are_atomic_and_kept) {
  crash::expect_strict_keeps_every_ack(crash::with(Workload::Primitives, 10), "strict-primitives");
}

BOOST_AUTO_TEST_CASE(buffered_multi_primitive_transactions_are_atomic_within_the_bound) {
  crash::expect_buffered_within_bound(crash::with(Workload::Primitives, 10, kPause), "buffered-primitives");
}

// Each transaction puts KV keys, upserts a vector and every third one
// deletes an earlier vector: after any kill KV and vectors agree on the last
// committed n, every acknowledged vector is there bit for bit, and no
// deleted vector comes back.
BOOST_AUTO_TEST_CASE(strict_vector_transactions_are_atomic_and_kept) {
  crash::expect_strict_keeps_every_ack(crash::with(Workload::Vectors, 10), "strict-vectors");
}

// Each transaction forks "default", writes in the fork and merges it back:
// after any kill the forks, their parents and fork points, and everything
// merged agree with the last committed n (RunCreate records of forks, merge
// commits and their merge bases replayed from the WAL and snapshots).
BOOST_AUTO_TEST_CASE(strict_forks_and_merges_are_kept) {
  crash::expect_strict_keeps_every_ack(crash::with(Workload::Forks, 8), "strict-forks");
}

BOOST_AUTO_TEST_CASE(buffered_forks_and_merges_are_kept_within_the_bound) {
  crash::expect_buffered_within_bound(crash::with(Workload::Forks, 8, kPause), "buffered-forks");
}

BOOST_AUTO_TEST_CASE(buffered_vector_transactions_are_atomic_within_the_bound) {
  crash::expect_buffered_within_bound(crash::with(Workload::Vectors, 10, kPause), "buffered-vectors");
}
