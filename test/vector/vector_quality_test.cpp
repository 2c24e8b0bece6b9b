// Quality properties of vector search, on small data (the benchmarks
// measure them on large): no ghosts after deletes, filtered searches that
// return k whenever k matches exist (checked against brute force at
// selectivities 50 %, 10 %, 1 % and 0.1 %), recall@10 >= 0.95 against brute
// force on a 20K-vector clustered set, and searches that stay exact while
// the index catches up.
#define BOOST_TEST_MODULE vector_quality
#include <boost/test/unit_test.hpp>

#include "bench/vector_data.hpp"
#include "support/fixtures.hpp"

#include <algorithm>
#include <atomic>
#include <random>
#include <set>
#include <thread>

using namespace strata;

namespace {

using Data = strata_bench::ClusteredVectors;

std::vector<float> row(const Data& d, std::size_t i) { return {d.vector(i), d.vector(i) + d.dim}; }
std::vector<float> query(const Data& d, std::size_t i) { return {d.query(i), d.query(i) + d.dim}; }

float cosine(const float* a, const float* b, std::size_t n) {
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < n; ++i) ab += a[i] * b[i], aa += a[i] * a[i], bb += b[i] * b[i];
  return static_cast<float>(ab / std::sqrt(aa * bb));
}

/// The exact top-k keys among the vectors `keep(i)` admits.
template <class Keep>
std::vector<std::string> brute_force(const Data& d, const float* q, std::size_t k, Keep keep) {
  std::vector<std::pair<float, std::size_t>> all;
  for (std::size_t i = 0; i < d.size(); ++i)
    if (keep(i)) all.emplace_back(cosine(q, d.vector(i), d.dim), i);
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min(k, all.size())), all.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < std::min(k, all.size()); ++i) out.push_back("v" + std::to_string(all[i].second));
  return out;
}

double overlap(const std::vector<VectorMatch>& got, const std::vector<std::string>& want) {
  std::set<std::string> w(want.begin(), want.end());
  std::size_t hit = 0;
  for (const auto& m : got) hit += w.count(m.key);
  return want.empty() ? 1.0 : static_cast<double>(hit) / static_cast<double>(want.size());
}

/// Loads `d` into collection "c" in batches; metadata {"sel": i % 1000}.
void load(Strata& db, const Data& d, const CollectionOptions& options) {
  db.vector_create_collection("c", d.dim, Metric::Cosine, options);
  std::vector<VectorRecord> batch;
  for (std::size_t i = 0; i < d.size(); ++i) {
    batch.push_back({"v" + std::to_string(i), row(d, i), Value::object({{"sel", static_cast<std::int64_t>(i % 1000)}})});
    if (batch.size() == 1000 || i + 1 == d.size()) {
      db.vector_upsert_batch("c", batch);
      batch.clear();
    }
  }
}

const CollectionOptions kSmallGraph{.hnsw_threshold = 1000, .m = 16, .ef_construction = 100, .ef_search = 64};

}  // namespace

BOOST_FIXTURE_TEST_CASE(recall_at_10_is_at_least_0_95_on_20k_clustered_vectors, test::DbFixture) {
  const Data d = strata_bench::make_clustered(20000, 100, 32, 200);
  load(db, d, kSmallGraph);
  db.vector_wait_indexed();
  BOOST_TEST(db.vector_collection_info("c").index == "hnsw");
  double total = 0;
  for (std::size_t q = 0; q < 100; ++q) {
    const auto got = db.vector_search("c", query(d, q), 10);
    BOOST_TEST_REQUIRE(got.size() == 10u);
    total += overlap(got, brute_force(d, d.query(q), 10, [](std::size_t) { return true; }));
  }
  const double recall = total / 100;
  BOOST_TEST_MESSAGE("recall@10 = " << recall);
  BOOST_TEST(recall >= 0.95);
  // exact = true is the brute force itself.
  for (std::size_t q = 0; q < 5; ++q)
    BOOST_TEST(overlap(db.vector_search("c", query(d, q), 10, {.exact = true}),
                       brute_force(d, d.query(q), 10, [](std::size_t) { return true; })) == 1.0);
}

BOOST_FIXTURE_TEST_CASE(filtered_searches_return_k_whenever_k_matches_exist, test::DbFixture) {
  const Data d = strata_bench::make_clustered(20000, 40, 16, 100);
  load(db, d, kSmallGraph);
  db.vector_wait_indexed();
  // sel < 500, 100, 10, 1 of 1000: 50 %, 10 %, 1 %, 0.1 % (20 vectors).
  for (std::int64_t bound : {500, 100, 10, 1}) {
    BOOST_TEST_CONTEXT("selectivity " << bound / 10.0 << " %") {
      const VectorSearchOptions filter{.filter = Value::object({{"sel", Value::object({{"$lt", bound}})}})};
      double total = 0;
      for (std::size_t q = 0; q < 40; ++q) {
        const auto got = db.vector_search("c", query(d, q), 10, filter);
        const auto want =
            brute_force(d, d.query(q), 10, [&](std::size_t i) { return static_cast<std::int64_t>(i % 1000) < bound; });
        BOOST_TEST_REQUIRE(got.size() == std::min<std::size_t>(10, want.size()));  // never short
        for (const auto& m : got) BOOST_TEST(m.metadata->as_object().at("sel").as_int() < bound);
        total += overlap(got, want);
      }
      BOOST_TEST_MESSAGE("filtered recall@10 = " << total / 40);
      BOOST_TEST(total / 40 >= 0.9);
    }
  }
}

BOOST_FIXTURE_TEST_CASE(deleted_vectors_never_come_back_and_searches_still_return_k, test::DbFixture) {
  const Data d = strata_bench::make_clustered(10000, 30, 16, 100);
  load(db, d, kSmallGraph);
  db.vector_wait_indexed();
  for (std::size_t i = 0; i < d.size(); i += 2) BOOST_TEST(db.vector_delete("c", "v" + std::to_string(i)));
  // Right after the deletes (index not caught up) and after it caught up.
  for (int round = 0; round < 2; ++round) {
    for (std::size_t q = 0; q < 30; ++q) {
      const auto got = db.vector_search("c", query(d, q), 10);
      BOOST_TEST_REQUIRE(got.size() == 10u);
      for (const auto& m : got) BOOST_TEST(std::stoul(m.key.substr(1)) % 2 == 1u, "ghost " << m.key);
      BOOST_TEST(overlap(got, brute_force(d, d.query(q), 10, [](std::size_t i) { return i % 2 == 1; })) >= 0.7);
    }
    db.vector_wait_indexed();
  }
  BOOST_TEST(db.vector_collection_info("c").count == 5000u);
}

BOOST_FIXTURE_TEST_CASE(a_vector_acknowledged_before_a_search_is_found_while_the_index_catches_up, test::DbFixture) {
  const Data d = strata_bench::make_clustered(3000, 20, 16, 50);
  load(db, d, kSmallGraph);
  // No wait: each upsert is searched for at once, its own vector as query.
  for (std::size_t q = 0; q < 20; ++q) {
    const std::string key = "new" + std::to_string(q);
    db.vector_upsert("c", key, query(d, q));
    const auto got = db.vector_search("c", query(d, q), 1);
    BOOST_TEST_REQUIRE(got.size() == 1u);
    BOOST_TEST(got[0].key == key);
    db.vector_delete("c", key);
    const auto after = db.vector_search("c", query(d, q), 3);
    for (const auto& m : after) BOOST_TEST(m.key != key);
  }
}

BOOST_FIXTURE_TEST_CASE(churn_is_compacted_so_memory_does_not_grow_with_it, test::DbFixture) {
  const Data d = strata_bench::make_clustered(4000, 1, 16, 50);
  load(db, d, kSmallGraph);
  db.vector_wait_indexed();
  const auto first = db.vector_collection_info("c").memory_bytes;
  for (int round = 0; round < 5; ++round) {  // rewrite every vector five times
    std::vector<VectorRecord> batch;
    for (std::size_t i = 0; i < d.size(); ++i) batch.push_back({"v" + std::to_string(i), row(d, (i + round) % d.size()), {}});
    db.vector_upsert_batch("c", batch);
    db.vector_wait_indexed();
  }
  const auto last = db.vector_collection_info("c").memory_bytes;
  BOOST_TEST_MESSAGE("index bytes " << first << " -> " << last);
  BOOST_TEST(last < first * 2);  // without rebuilds it would hold 6x the slots
  BOOST_TEST(db.vector_collection_info("c").count == d.size());
}

// Exact scans over >= 2M floats are split with the scan helper thread when it
// is idle; a search that finds it busy must scan everything itself (it once
// scanned only half). Searches from several threads at once must all return
// the same exact top-10 as a search alone.
BOOST_FIXTURE_TEST_CASE(concurrent_large_exact_scans_are_all_exact, test::DbFixture) {
  const Data d = strata_bench::make_clustered(8'200, 20, 256, 50, 7);  // 2.1M floats
  CollectionOptions o;
  o.hnsw_threshold = 100'000;  // exact scans only
  load(db, d, o);
  db.vector_wait_indexed();
  std::vector<std::vector<VectorMatch>> alone;
  for (std::size_t q = 0; q < 20; ++q) alone.push_back(db.vector_search("c", query(d, q), 10));
  for (std::size_t q = 0; q < 20; ++q)
    BOOST_TEST(overlap(alone[q], brute_force(d, d.query(q), 10, [](std::size_t) { return true; })) == 1.0);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t)
    threads.emplace_back([&] {
      for (int round = 0; round < 10; ++round)
        for (std::size_t q = 0; q < 20; ++q)
          if (db.vector_search("c", query(d, q), 10) != alone[q]) ++mismatches;
    });
  for (auto& t : threads) t.join();
  BOOST_TEST(mismatches.load() == 0);
}
