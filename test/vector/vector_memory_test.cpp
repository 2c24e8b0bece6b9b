// Memory of the vector indexes (include/strata/vector.hpp CollectionInfo::memory_bytes,
// DatabaseInfo::vector_index_bytes): what is loaded shows up, and what is
// removed goes away again —
//  * dropping a collection frees its index (and its stored vectors), and
//    leaves the other collections' memory as it was;
//  * deleting a run frees the indexes of its collections;
//  * deleting every vector of a collection shrinks its index back to that
//    of an empty collection;
//  * churn — upserting and deleting the same keys round after round — does
//    not grow memory: after 10 rounds it is within 1.5x of the first round.
// The indexes settle in the background; Strata::vector_wait_indexed waits
// for that (and a timeout guards every wait).
#define BOOST_TEST_MODULE vector_memory
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"

#include <chrono>
#include <future>
#include <random>
#include <string>
#include <vector>

using namespace strata;

namespace {

constexpr std::size_t kDim = 64;
constexpr std::size_t kRawBytesPerVector = kDim * sizeof(float);
// Vectors of the "big" collections: three times the graph threshold below,
// and small enough for the ASan build to link a graph of them in seconds.
constexpr std::size_t kBig = 6000;
/// A graph above 2,000 vectors, cheap to build.
const CollectionOptions kGraph{.hnsw_threshold = 2000, .m = 8, .ef_construction = 40, .ef_search = 32};

std::vector<float> random_vector(std::mt19937& rng) {
  std::normal_distribution<float> g;
  std::vector<float> v(kDim);
  for (auto& x : v) x = g(rng);
  return v;
}

void load(Strata& db, const std::string& collection, std::size_t n, unsigned seed, const std::string& prefix = "v") {
  std::mt19937 rng(seed);
  std::vector<VectorRecord> batch;
  for (std::size_t i = 0; i < n; ++i) {
    batch.push_back({prefix + std::to_string(i), random_vector(rng), std::nullopt});
    if (batch.size() == 1000 || i + 1 == n) {
      db.vector_upsert_batch(collection, batch);
      batch.clear();
    }
  }
}

/// Deletes keys in transactions of 1,000.
template <class Keys>
void delete_all(Strata& db, const std::string& collection, const Keys& keys) {
  for (std::size_t from = 0; from < keys.size(); from += 1000) {
    db.transaction([&](Transaction& tx) {
      for (std::size_t i = from; i < std::min(keys.size(), from + 1000); ++i)
        BOOST_TEST_REQUIRE(tx.vector_delete(collection, keys[i]));
    });
  }
}

/// vector_wait_indexed, bounded: fails the test instead of hanging.
void settle(Strata& db) {
  auto done = std::async(std::launch::async, [&] { db.vector_wait_indexed(); });
  BOOST_TEST_REQUIRE((done.wait_for(std::chrono::seconds(120)) == std::future_status::ready),
                     "the vector indexes did not settle within 120 s");
  done.get();
}

std::uint64_t index_bytes(Strata& db) { return db.info().vector_index_bytes; }

/// info().vector_index_bytes is the sum over every collection of every run.
void check_total_is_the_sum(Strata& db) {
  std::uint64_t sum = 0;
  for (const auto& run : db.list_runs()) {
    Strata h(db.database());
    h.set_run(run.name);
    for (const auto& c : h.vector_list_collections()) sum += c.memory_bytes;
  }
  BOOST_TEST(index_bytes(db) == sum);
}

std::vector<std::string> keys(const std::string& prefix, std::size_t n) {
  std::vector<std::string> k;
  for (std::size_t i = 0; i < n; ++i) k.push_back(prefix + std::to_string(i));
  return k;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(dropping_a_collection_frees_its_index, test::DbFixture) {
  BOOST_TEST(index_bytes(db) == 0u);  // no collection, no index
  db.vector_create_collection("keep", kDim, Metric::Cosine);
  load(db, "keep", 50, 1, "k");
  settle(db);
  const std::uint64_t base = index_bytes(db);
  BOOST_TEST(base > 50 * kRawBytesPerVector);

  for (bool graph : {false, true}) {
    BOOST_TEST_CONTEXT((graph ? "hnsw" : "exact")) {
      db.vector_create_collection("big", kDim, Metric::Cosine, graph ? kGraph : CollectionOptions{.hnsw_threshold = 100000,
                                                                                               .m = 16,
                                                                                               .ef_construction = 200,
                                                                                               .ef_search = 64});
      load(db, "big", kBig, 2);
      settle(db);
      const CollectionInfo info = db.vector_collection_info("big");
      BOOST_TEST(info.index == (graph ? "hnsw" : "exact"));
      BOOST_TEST(info.count == kBig);
      // The index holds the vectors (and, for hnsw, the graph): at least the
      // raw floats, and not absurdly more.
      BOOST_TEST(info.memory_bytes >= kBig * kRawBytesPerVector);
      BOOST_TEST(info.memory_bytes <= kBig * kRawBytesPerVector * 4);
      const std::uint64_t loaded = index_bytes(db);
      BOOST_TEST(loaded == base + info.memory_bytes);
      check_total_is_the_sum(db);
      BOOST_TEST(db.info().keys.at("vector") == kBig + 50);
      BOOST_TEST_MESSAGE((graph ? "hnsw" : "exact") << ": " << kBig << " x 64 index bytes " << info.memory_bytes);

      db.vector_delete_collection("big");
      settle(db);
      BOOST_TEST(index_bytes(db) == base);                    // only "keep" is left, as it was
      BOOST_TEST(db.info().keys.at("vector") == 50u);         // the stored vectors went too
      BOOST_TEST(db.vector_collection_info("keep").memory_bytes == base);
      std::mt19937 rng(3);
      BOOST_TEST(db.vector_search("keep", random_vector(rng), 5).size() == 5u);
    }
  }
}

BOOST_FIXTURE_TEST_CASE(deleting_a_run_frees_the_indexes_of_its_collections, test::DbFixture) {
  db.vector_create_collection("keep", kDim, Metric::Euclidean);
  load(db, "keep", 50, 4, "k");
  settle(db);
  const std::uint64_t base = index_bytes(db);
  for (int attempt = 0; attempt < 2; ++attempt) {  // the run name is reusable, and frees again
    BOOST_TEST_CONTEXT("attempt " << attempt) {
      db.create_run("scratch");
      Strata scratch(db.database());
      scratch.set_run("scratch");
      scratch.vector_create_collection("big", kDim, Metric::Euclidean, kGraph);
      scratch.vector_create_collection("small", kDim, Metric::DotProduct);
      load(scratch, "big", kBig, 5);
      load(scratch, "small", 500, 6);
      settle(db);
      const std::uint64_t loaded = index_bytes(db);
      BOOST_TEST(loaded >= base + (kBig + 500) * kRawBytesPerVector);
      BOOST_TEST(scratch.vector_collection_info("big").index == "hnsw");
      check_total_is_the_sum(db);
      BOOST_TEST(db.delete_run("scratch") > 0u);
      settle(db);
      BOOST_TEST(index_bytes(db) == base);
      BOOST_TEST(db.info().keys.at("vector") == 50u);
      check_total_is_the_sum(db);
    }
  }
}

BOOST_FIXTURE_TEST_CASE(deleting_every_vector_shrinks_the_index_to_an_empty_one, test::DbFixture) {
  for (bool graph : {false, true}) {
    BOOST_TEST_CONTEXT((graph ? "hnsw" : "exact")) {
      const std::string name = graph ? "g" : "e";
      db.vector_create_collection(name, kDim, Metric::Cosine, graph ? kGraph : CollectionOptions{});
      settle(db);
      const std::uint64_t empty = db.vector_collection_info(name).memory_bytes;
      load(db, name, kBig, 7);
      settle(db);
      const std::uint64_t loaded = db.vector_collection_info(name).memory_bytes;
      BOOST_TEST(loaded >= empty + kBig * kRawBytesPerVector);
      delete_all(db, name, keys("v", kBig));
      BOOST_TEST(db.vector_collection_info(name).count == 0u);
      BOOST_TEST(db.vector_search(name, std::vector<float>(kDim, 1.0f), 10).empty());  // at once, before the rebuild
      settle(db);
      const CollectionInfo after = db.vector_collection_info(name);
      BOOST_TEST_MESSAGE("empty " << empty << ", loaded " << loaded << ", after deleting all " << after.memory_bytes);
      BOOST_TEST(after.memory_bytes <= empty + 4096);
      BOOST_TEST(after.index == "exact");  // an empty collection has no graph
      BOOST_TEST(db.vector_search(name, std::vector<float>(kDim, 1.0f), 10).empty());
      // And it fills again.
      load(db, name, 100, 8);
      BOOST_TEST(db.vector_search(name, std::vector<float>(kDim, 1.0f), 10).size() == 10u);
      db.vector_delete_collection(name);
    }
  }
}

BOOST_FIXTURE_TEST_CASE(churn_does_not_grow_memory_without_bound, test::DbFixture) {
  // 5,000 keys over an HNSW threshold of 2,000; every round rewrites all of
  // them and deletes half (another half each round). Without compaction of
  // the superseded slots each round would add 5,000 slots to the index.
  constexpr std::size_t kKeys = 5000;
  db.vector_create_collection("churn", kDim, Metric::Cosine, kGraph);
  std::mt19937 rng(9);
  std::vector<std::uint64_t> per_round, total_per_round;
  for (int round = 0; round < 10; ++round) {
    std::vector<VectorRecord> batch;
    for (std::size_t i = 0; i < kKeys; ++i) {
      batch.push_back({"c" + std::to_string(i), random_vector(rng), Value::object({{"round", round}})});
      if (batch.size() == 1000) db.vector_upsert_batch("churn", batch), batch.clear();
    }
    std::vector<std::string> doomed;
    for (std::size_t i = static_cast<std::size_t>(round % 2); i < kKeys; i += 2) doomed.push_back("c" + std::to_string(i));
    delete_all(db, "churn", doomed);
    settle(db);
    const CollectionInfo info = db.vector_collection_info("churn");
    BOOST_TEST_REQUIRE(info.count == kKeys / 2);
    per_round.push_back(info.memory_bytes);
    total_per_round.push_back(index_bytes(db));
    // Still searchable, with this round's vectors only.
    const auto found = db.vector_search("churn", random_vector(rng), 10, [] {
      VectorSearchOptions o;
      o.filter = Value::object({{"round", Value::object({{"$ne", 0}})}});
      return o;
    }());
    BOOST_TEST(found.size() == (round == 0 ? 0u : 10u));
  }
  std::string trace;
  for (auto b : per_round) trace += std::to_string(b) + " ";
  BOOST_TEST_MESSAGE("index bytes per round: " << trace);
  for (std::size_t r = 1; r < per_round.size(); ++r) {
    BOOST_TEST(per_round[r] * 2 <= per_round[0] * 3, "round " << r << ": " << per_round[r] << " > 1.5 x " << per_round[0]);
    BOOST_TEST(total_per_round[r] * 2 <= total_per_round[0] * 3, "round " << r);
  }
  // The live data of a round is kKeys / 2 vectors: the index is within a
  // small factor of that, not of the 50,000 vectors written.
  BOOST_TEST(per_round.back() <= (kKeys / 2) * kRawBytesPerVector * 4);
}
