// StrataDB's vector store (docs/benchmarks.md, "Vector benchmarks"), on the
// clustered data of vector_suite.hpp, every result checked against the exact
// ground truth:
//  * inmemory.vector_upsert.sync.1t — one 128-d upsert per op (the commit;
//    the index catches up on its own thread; the catch-up time is reported).
//  * vector.exact_search.10k_384 — a collection under the HNSW threshold:
//    every search is an exact scan (recall must be 1).
//  * vector.ann.100k_128[.recall99] — HNSW search on 1 thread at the
//    smallest ef whose recall@10 reaches 0.95 (0.99).
//  * vector.ann_build.100k_128 — batches of 1,000 upserts until the graph
//    holds all of them (vector_wait_indexed); memory per vector.
//  * vector.filtered.100k_128.{10pct,1pct,0_1pct} — metadata filters;
//    full_k_fraction is the share of searches that returned k results.
//  * vector.reopen.100k_128 — Buffered directory reopened: seconds until a
//    search returns the exact top-10.
// The 100K collection is loaded once per process and shared by the search
// rows (a search does not change what the next one sees).
#include "peer_util.hpp"
#include "vector_suite.hpp"
#include "workloads.hpp"

#include <strata/strata.hpp>

#include <malloc.h>

#include <memory>
#include <optional>
#include <span>
#include <stdexcept>

namespace strata_bench {

namespace {

constexpr const char* kCollection = "bench";

std::span<const float> row(const ClusteredVectors& d, std::size_t i) { return {d.vector(i), d.dim}; }
std::span<const float> query(const ClusteredVectors& d, std::size_t q) { return {d.query(q), d.dim}; }

std::vector<std::uint32_t> ids_of(const std::vector<strata::VectorMatch>& matches) {
  std::vector<std::uint32_t> ids;
  for (const auto& m : matches) ids.push_back(vector_id(m.key));
  return ids;
}

/// Loads `d` in batches of 1,000 (one commit each), optionally with the
/// {"sel": i % 1000} metadata of the filtered rows, and waits until indexed.
void load(strata::Strata& db, const ClusteredVectors& d, bool metadata, const strata::CollectionOptions& o = {}) {
  db.vector_create_collection(kCollection, d.dim, strata::Metric::Cosine, o);
  std::vector<strata::VectorRecord> batch;
  for (std::size_t i = 0; i < d.size(); ++i) {
    strata::VectorRecord r{vector_key(i), {d.vector(i), d.vector(i) + d.dim}, std::nullopt};
    if (metadata) r.metadata = strata::Value::object({{"sel", static_cast<std::int64_t>(i) % kSelModulus}});
    batch.push_back(std::move(r));
    if (batch.size() == 1000 || i + 1 == d.size()) {
      db.vector_upsert_batch(kCollection, batch);
      batch.clear();
    }
  }
  db.vector_wait_indexed();
}

/// The 100K × 128 collection with metadata, built once.
strata::Strata& ann_db(const Config& cfg) {
  static std::optional<strata::Strata> db;
  if (!db) {
    db.emplace(strata::Strata::open_temp(strata_options(cfg)));
    load(*db, ann_data(), true);
  }
  return *db;
}

/// Times one search per op over the queries (cycled `rounds` times) and
/// reports recall_at_10 and full_k_fraction against `truth`.
RunSample timed_searches(strata::Strata& db, const ClusteredVectors& d, const GroundTruth& truth,
                         const strata::VectorSearchOptions& o, std::size_t rounds) {
  const std::size_t nq = truth.size();
  double recall = 0;
  std::size_t full = 0;
  auto r = timed_ops(nq * rounds, [&](std::size_t i) {
    const auto got = db.vector_search(kCollection, query(d, i % nq), kRecallK, o);
    if (i < nq) {
      recall += recall_at_k(ids_of(got), truth[i]);
      full += got.size() == std::min(kRecallK, truth[i].size()) ? 1 : 0;
    }
  });
  r.extra.emplace_back("recall_at_10", recall / static_cast<double>(nq));
  r.extra.emplace_back("full_k_fraction", static_cast<double>(full) / static_cast<double>(nq));
  return r;
}

// ---- rows -------------------------------------------------------------------------

RunSample upsert(const Config& cfg, const Dataset&) {
  const auto& d = ann_data();
  const std::size_t n = std::min(cfg.num, d.size());
  auto db = strata::Strata::open_temp(strata_options(cfg));
  db.vector_create_collection(kCollection, d.dim, strata::Metric::Cosine);
  auto r = timed_ops(n, [&](std::size_t i) { db.vector_upsert(kCollection, vector_key(i), row(d, i)); });
  const auto t0 = Clock::now();
  db.vector_wait_indexed();
  r.extra.emplace_back("index_catchup_s", std::chrono::duration<double>(Clock::now() - t0).count());
  const auto info = db.vector_collection_info(kCollection);
  if (info.count != n) throw std::runtime_error("vector_upsert: " + std::to_string(info.count) + " vectors, expected " + std::to_string(n));
  r.extra.emplace_back("dim", static_cast<double>(d.dim));
  db.close();
  return r;
}

RunSample exact_search(const Config& cfg, const Dataset&) {
  static std::optional<strata::Strata> db;
  const auto& d = exact_data();
  if (!db) {
    db.emplace(strata::Strata::open_temp(strata_options(cfg)));
    load(*db, d, false);
    if (db->vector_collection_info(kCollection).index != "exact")
      throw std::runtime_error("exact_search: the 10K collection is not searched exactly");
  }
  auto r = timed_searches(*db, d, ground_truth(d, "all"), {}, 3);
  if (r.extra[0].second < 0.999) throw std::runtime_error("exact_search: recall below 1: " + std::to_string(r.extra[0].second));
  return r;
}

/// With a peer registered (hnswlib), both are timed in alternating blocks
/// (paired_searches) and the peer's sample is kept for its own row.
RunSample ann(const Config& cfg, double target) {
  auto& db = ann_db(cfg);
  const auto& d = ann_data();
  const auto& truth = ground_truth(d, "all");
  const AnnSearch mine = [&](std::size_t q, std::size_t ef) {
    return ids_of(db.vector_search(kCollection, query(d, q), kRecallK, {.ef = ef}));
  };
  auto recall_with = [&](const AnnSearch& s) {
    return [&](std::size_t ef, std::size_t q) { return recall_at_k(s(q, ef), truth[q]); };
  };
  const std::size_t ef = choose_ef(target, 200, recall_with(mine));
  if (const AnnPeer* peer = ann_peer()) {
    const std::size_t peer_ef = choose_ef(target, 200, recall_with(peer->search));
    auto [r, theirs] = paired_searches(mine, ef, peer->search, peer_ef, truth, kAnnRounds);
    keep_peer_sample(target, std::move(theirs));
    return r;
  }
  auto r = timed_searches(db, d, truth, {.ef = ef}, kAnnRounds);
  r.extra.emplace_back("ef", static_cast<double>(ef));
  return r;
}

RunSample ann_build(const Config& cfg, const Dataset&) {
  const auto& d = ann_data();
  ::malloc_trim(0);
  const double rss0 = resident_bytes();
  auto db = strata::Strata::open_temp(strata_options(cfg));
  RunSample r;
  const double cpu0 = process_cpu_seconds();
  r.start = Clock::now();
  load(db, d, false);
  const auto end = Clock::now();
  r.seconds = std::chrono::duration<double>(end - r.start).count();
  r.cpu_seconds = process_cpu_seconds() - cpu0;
  r.ops = d.size();
  // One figure per build: p50/p99 print the mean time per vector.
  r.lat_ns = {static_cast<std::uint32_t>(r.seconds * 1e9 / static_cast<double>(d.size()))};
  const auto info = db.vector_collection_info(kCollection);
  if (info.count != d.size() || info.index != "hnsw") throw std::runtime_error("ann_build: the collection is not a full HNSW index");
  ::malloc_trim(0);
  const double n = static_cast<double>(d.size());
  r.extra.emplace_back("bytes_per_vector", (resident_bytes() - rss0) / n);
  r.extra.emplace_back("index_bytes_per_vector", static_cast<double>(info.memory_bytes) / n);
  r.extra.emplace_back("raw_bytes_per_vector", static_cast<double>(d.dim * sizeof(float)));
  db.close();
  return r;
}

/// sel < bound (or sel == 0 for bound 1).
RunSample filtered(const Config& cfg, std::int64_t bound) {
  auto& db = ann_db(cfg);
  const auto& d = ann_data();
  const auto& truth = ground_truth(d, "sel<" + std::to_string(bound),
                                   [bound](std::size_t i) { return static_cast<std::int64_t>(i) % kSelModulus < bound; });
  strata::VectorSearchOptions o;
  o.filter = bound == 1 ? strata::Value::object({{"sel", std::int64_t{0}}})
                        : strata::Value::object({{"sel", strata::Value::object({{"$lt", bound}})}});
  auto r = timed_searches(db, d, truth, o, 1);
  r.extra.emplace_back("selectivity", static_cast<double>(bound) / static_cast<double>(kSelModulus));
  return r;
}

RunSample reopen(const Config& cfg, const Dataset&) {
  static std::unique_ptr<ScratchDir> dir;
  const auto& d = ann_data();
  if (!dir) {
    dir = std::make_unique<ScratchDir>("strata-vectors");
    auto db = strata::Strata::open(dir->path(), strata_options(cfg, strata::Durability::Buffered, dir->path()));
    load(db, d, false);
    db.close();
  }
  const auto& truth = ground_truth(d, "all");
  RunSample r;
  const double cpu0 = process_cpu_seconds();
  r.start = Clock::now();
  auto db = strata::Strata::open(dir->path(), strata_options(cfg, strata::Durability::Buffered, dir->path()));
  const auto opened = Clock::now();
  // The first search whose top-10 is the exact one (searches are exact
  // about the committed state while the graph is rebuilt, so the first
  // search already qualifies unless it is wrong).
  std::size_t searches = 0;
  for (;; ++searches) {
    const auto got = db.vector_search(kCollection, query(d, searches % truth.size()), kRecallK);
    if (recall_at_k(ids_of(got), truth[searches % truth.size()]) >= 1.0) break;
    if (searches > 100000) throw std::runtime_error("reopen: no correct search after 100000 tries");
  }
  const auto correct = Clock::now();
  db.vector_wait_indexed();
  const auto indexed = Clock::now();
  r.cpu_seconds = process_cpu_seconds() - cpu0;
  r.seconds = std::chrono::duration<double>(correct - r.start).count();
  r.ops = 1;
  r.lat_ns = {elapsed_ns(r.start, correct)};
  auto secs = [&](auto t) { return std::chrono::duration<double>(t - r.start).count(); };
  r.extra.emplace_back("seconds", r.seconds);
  r.extra.emplace_back("open_s", secs(opened));
  r.extra.emplace_back("wrong_searches_before", static_cast<double>(searches));
  r.extra.emplace_back("fully_indexed_s", secs(indexed));
  db.close();
  return r;
}

}  // namespace

void add_strata_vector_workloads(std::vector<Workload>& out) {
  out.push_back({"inmemory.vector_upsert.sync.1t", "strata", upsert});
  out.push_back({"vector.exact_search.10k_384", "strata", exact_search});
  out.push_back({"vector.ann_build.100k_128", "strata", ann_build});
  out.push_back({"vector.ann.100k_128", "strata", [](const Config& c, const Dataset&) { return ann(c, 0.95); }});
  out.push_back({"vector.ann.100k_128.recall99", "strata", [](const Config& c, const Dataset&) { return ann(c, 0.99); }});
  out.push_back({"vector.filtered.100k_128.10pct", "strata", [](const Config& c, const Dataset&) { return filtered(c, 100); }});
  out.push_back({"vector.filtered.100k_128.1pct", "strata", [](const Config& c, const Dataset&) { return filtered(c, 10); }});
  out.push_back({"vector.filtered.100k_128.0_1pct", "strata", [](const Config& c, const Dataset&) { return filtered(c, 1); }});
  out.push_back({"vector.reopen.100k_128", "strata", reopen});
}

}  // namespace strata_bench
