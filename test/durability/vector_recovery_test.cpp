// Durability of the vector store (docs/guides/vectors.md, docs/guides/durability.md): for
// Buffered and Strict, after close + reopen, after compact() + more writes
// + reopen, after a compact() just before closing (everything from the
// snapshot), and after reopens of reopens:
//  * collections come back with their dimension, metric and options; a
//    dropped collection stays dropped, a dropped-and-recreated one is the
//    new one, without the old vectors;
//  * every vector comes back with the exact float bits (−0, subnormals,
//    huge values), its metadata, version and timestamp; deleted vectors
//    stay deleted, also those deleted in a transaction with a KV write;
//  * exact searches return exactly what they returned before the close,
//    also right after open while the index is still being built;
//  * an HNSW-sized collection (2,000 vectors above a threshold of 200)
//    searches the same after reopen, its graph searches return live keys
//    only, and rebuild their recall;
//  * work continues: versions above the recovered ones, recovered vectors
//    can be replaced and deleted, names of dropped collections reused;
//  * a collection dropped just before a compaction leaves nothing behind
//    for a new collection to inherit, and no stray keys.
#define BOOST_TEST_MODULE durability_vector_recovery
#include <boost/test/unit_test.hpp>

#include "bench/vector_data.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

#include <strata/strata.hpp>

#include <unistd.h>

#include <cfloat>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace strata;

namespace {

/// What is checked is what recovery rebuilds from the bytes, which does not
/// depend on the filesystem: tmpfs keeps Strict mode fast when present.
struct TempDir : test::TempDir {
  TempDir() : test::TempDir("vectors", bytes_only_base()) {}
};

Options opts(Durability d) { return test::reopen_options(d); }

using test::is;

VectorSearchOptions exact_search(std::optional<Value> filter = std::nullopt) {
  VectorSearchOptions o;
  o.exact = true;
  o.filter = std::move(filter);
  return o;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

Strata handle(Strata& db, const std::string& run) {
  if (run != "default" && !db.run_exists(run)) db.create_run(run);
  Strata h(db.database());
  h.set_run(run);
  return h;
}

bool exists(Strata& h, const std::string& collection) {
  error_code ec;
  h.vector_collection_info(collection, ec);
  return !ec;
}

const std::vector<std::string> kRuns{"default", "side"};

/// Every key the workload may ever write, so a deleted one is probed too.
const std::vector<std::string>& probe_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k{"tx0", "tx1", "tx2", "x", "y", "a", "r0", "r1", "r2", "after0", "after1"};
    for (int i = 0; i < 130; ++i) k.push_back("k" + std::to_string(i));
    for (int i = 0; i < 12; ++i) k.push_back("p" + std::to_string(i));
    return k;
  }();
  return keys;
}

/// Floats whose bits must survive exactly (stored as given, whatever the metric).
float special(int i) {
  switch (i % 8) {
    case 0: return -0.0f;
    case 1: return FLT_TRUE_MIN;
    case 2: return -FLT_MIN;
    case 3: return 0.1f;
    case 4: return 3.0e38f;
    case 5: return -1.0f / 3.0f;
    case 6: return std::nextafter(1.0f, 2.0f);
    default: return 1e-20f;
  }
}

std::vector<float> vector_for(std::mt19937& rng, std::size_t dim, int i) {
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> v(dim);
  for (auto& x : v) x = u(rng);
  if (i % 3 == 0) v[static_cast<std::size_t>(i) % dim] = special(i);
  return v;
}

std::optional<Value> metadata_for(int round, int i) {
  switch (i % 5) {
    case 0: return std::nullopt;
    case 1:
      return Value::object({{"round", round},
                            {"i", i},
                            {"tags", Value::array({"t" + std::to_string(i % 3), "ünï"})},
                            {"score", 0.1 * i}});
    case 2: return Value(i);
    case 3: return Value::object({{"nested", Value::object({{"deep", Value::array({Value(nullptr), true, -0.5})}})},
                                  {"raw", Value::bytes(std::string("\0\x01\xff", 3))}});
    default: return Value("plain string " + std::to_string(i));
  }
}

// ---- the workload -----------------------------------------------------------------------

const CollectionOptions kDocsOptions{.hnsw_threshold = 50, .m = 8, .ef_construction = 40, .ef_search = 20};

/// Round r: batches that overwrite part of the previous round, single
/// upserts, deletes, a transaction mixing KV and vectors, a collection
/// created and dropped, and one dropped and created again.
void write_run(Strata& h, int round) {
  std::mt19937 rng(static_cast<unsigned>(round * 1000 + h.current_run().size()));
  if (!exists(h, "docs")) h.vector_create_collection("docs", 5, Metric::Cosine, kDocsOptions);
  if (!exists(h, "l2")) h.vector_create_collection("l2", 3, Metric::Euclidean);
  if (!exists(h, "one")) h.vector_create_collection("one", 1, Metric::DotProduct);
  // docs: keys [40r, 40r + 80) in batches of 20; the first half overwrites
  // the previous round's second half.
  std::vector<VectorRecord> batch;
  for (int i = round * 40; i < round * 40 + 80; ++i) {
    batch.push_back({"k" + std::to_string(i), vector_for(rng, 5, i), metadata_for(round, i)});
    if (batch.size() == 20) h.vector_upsert_batch("docs", batch), batch.clear();
  }
  for (int i = round * 40; i < round * 40 + 80; i += 5) BOOST_TEST(h.vector_delete("docs", "k" + std::to_string(i)));
  h.vector_upsert("docs", "k1", vector_for(rng, 5, round), Value::object({{"rewritten", round}}));
  // l2: single upserts with special components everywhere.
  for (int i = 0; i < 12; ++i) {
    std::vector<float> v{special(i), special(i + 1), special(i + round + 2)};
    h.vector_upsert("l2", "p" + std::to_string(i), v, i % 2 ? metadata_for(round, i) : std::nullopt);
  }
  h.vector_delete("l2", "p" + std::to_string(round + 3));
  // A transaction: a KV write, an upsert and a delete, atomically.
  h.transaction([&](Transaction& tx) {
    tx.kv_put("tx" + std::to_string(round), Value(round));
    tx.vector_upsert("docs", "tx" + std::to_string(round), vector_for(rng, 5, 7), Value::object({{"tx", round}}));
    BOOST_TEST(tx.vector_delete("docs", "k" + std::to_string(round * 40 + 2)));
    tx.vector_upsert("one", "x", std::vector<float>{3.5f + static_cast<float>(round)});
  });
  h.vector_upsert("one", "y", std::vector<float>{-0.0f});
  // Created, filled and dropped in this round.
  const std::string dropped = "dropped" + std::to_string(round);
  h.vector_create_collection(dropped, 2, Metric::Cosine);
  for (int i = 0; i < 30; ++i) h.vector_upsert(dropped, "k" + std::to_string(i), std::vector<float>{1, static_cast<float>(i)});
  h.vector_delete_collection(dropped);
  // Dropped and created again, each round with another shape.
  if (exists(h, "reborn")) h.vector_delete_collection("reborn");
  h.vector_create_collection("reborn", 2, Metric::Euclidean);
  h.vector_upsert("reborn", "a", std::vector<float>{1, 2});
  h.vector_delete_collection("reborn");
  h.vector_create_collection("reborn", static_cast<std::size_t>(3 + round), round % 2 ? Metric::DotProduct : Metric::Cosine,
                             CollectionOptions{.hnsw_threshold = static_cast<std::size_t>(7 + round), .m = 4,
                                               .ef_construction = 10, .ef_search = 10});
  h.vector_upsert("reborn", "r" + std::to_string(round), std::vector<float>(static_cast<std::size_t>(3 + round), 0.5f));
}

void write_all(Strata& db, int round) {
  for (const auto& run : kRuns) {
    Strata h = handle(db, run);
    write_run(h, round);
  }
}

// ---- what is observable -------------------------------------------------------------------

struct CollectionView {
  CollectionInfo info;  // memory_bytes zeroed (capacity-dependent); index compared only when settled
  std::map<std::string, std::optional<VectorEntry>> entries;
  std::vector<std::vector<VectorMatch>> searches;  // exact
};

struct RunView {
  std::map<std::string, CollectionView> collections;
  std::map<std::string, std::optional<Value>> kv;
};

struct View {
  std::map<std::string, RunView> runs;
  std::map<std::string, std::uint64_t> key_counts;
  Version visible = 0;
};

std::vector<std::vector<float>> queries_for(std::size_t dim) {
  std::mt19937 rng(static_cast<unsigned>(dim));
  std::vector<std::vector<float>> q;
  for (int i = 0; i < 4; ++i) q.push_back(vector_for(rng, dim, i + 1));
  q.push_back(std::vector<float>(dim, 0.0f));  // zero query: cosine ties every score, by key
  return q;
}

/// `settled`: after vector_wait_indexed (index kinds and key counts are
/// final); otherwise only what must hold at any time.
View observe(Strata& db, bool settled) {
  if (settled) db.vector_wait_indexed();
  View v;
  for (const auto& run : db.list_runs()) {
    Strata h(db.database());
    h.set_run(run.name);
    RunView& r = v.runs[run.name];
    for (const auto& c : {"tx0", "tx1", "tx2"}) r.kv[c] = h.kv_get(c);
    for (CollectionInfo info : h.vector_list_collections()) {
      CollectionView& c = r.collections[info.name];
      for (const auto& key : probe_keys()) c.entries[key] = h.vector_get(info.name, key);
      for (const auto& q : queries_for(info.dimension)) {
        c.searches.push_back(h.vector_search(info.name, q, 1000, exact_search()));
        c.searches.push_back(h.vector_search(info.name, q, 3, exact_search(Value::object({{"round", 0}}))));
        c.searches.push_back(h.vector_search(info.name, q, 5, exact_search(Value::object({{"$not", Value::object({{"i", 3}})}}))));
      }
      info.memory_bytes = 0;
      if (!settled) info.index.clear();
      c.info = info;
    }
  }
  const DatabaseInfo info = db.info();
  if (settled) v.key_counts = info.keys;
  v.visible = info.visible_version;
  return v;
}

void check_same_collection(const CollectionView& got, const CollectionView& want) {
  BOOST_TEST((got.info == want.info), "info: count " << got.info.count << " vs " << want.info.count << ", index "
                                                     << got.info.index << " vs " << want.info.index);
  for (const auto& [key, entry] : want.entries) {
    BOOST_TEST_CONTEXT("vector " << key) {
      const auto& g = got.entries.at(key);
      BOOST_TEST_REQUIRE(g.has_value() == entry.has_value());
      if (!entry) continue;
      BOOST_TEST(same_bits(g->vector, entry->vector));
      BOOST_TEST((g->metadata == entry->metadata));
      BOOST_TEST(g->version == entry->version);
      BOOST_TEST(g->timestamp_us == entry->timestamp_us);
    }
  }
  BOOST_TEST_REQUIRE(got.searches.size() == want.searches.size());
  for (std::size_t i = 0; i < want.searches.size(); ++i)
    BOOST_TEST((got.searches[i] == want.searches[i]), "exact search " << i << " differs");
}

void check_same(const View& got, const View& want) {
  BOOST_TEST_REQUIRE(got.runs.size() == want.runs.size());
  for (const auto& [name, run] : want.runs) {
    BOOST_TEST_CONTEXT("run " << name) {
      BOOST_TEST_REQUIRE(got.runs.count(name) == 1u);
      const RunView& g = got.runs.at(name);
      BOOST_TEST((g.kv == run.kv));
      std::vector<std::string> got_names, want_names;
      for (const auto& [c, unused] : g.collections) got_names.push_back(c);
      for (const auto& [c, unused] : run.collections) want_names.push_back(c);
      BOOST_TEST_REQUIRE(got_names == want_names, boost::test_tools::per_element());
      for (const auto& [c, view] : run.collections)
        BOOST_TEST_CONTEXT("collection " << c) check_same_collection(g.collections.at(c), view);
    }
  }
  BOOST_TEST((got.key_counts == want.key_counts));
  BOOST_TEST(got.visible == want.visible);
}

/// What the workload promises, whatever the shape: checked on the view.
void check_workload_facts(const View& v, int rounds) {
  for (const auto& run : kRuns) {
    BOOST_TEST_CONTEXT("run " << run) {
      const RunView& r = v.runs.at(run);
      for (int round = 0; round < rounds; ++round) {
        BOOST_TEST(r.collections.count("dropped" + std::to_string(round)) == 0u);
        BOOST_TEST(r.kv.at("tx" + std::to_string(round)).has_value());
      }
      BOOST_TEST_REQUIRE(r.collections.count("reborn") == 1u);
      const CollectionView& reborn = r.collections.at("reborn");
      BOOST_TEST(reborn.info.dimension == static_cast<std::size_t>(3 + rounds - 1));
      BOOST_TEST(reborn.info.count == 1u);
      BOOST_TEST(!reborn.entries.at("a").has_value());  // the old incarnation's vector
      BOOST_TEST(reborn.entries.at("r" + std::to_string(rounds - 1)).has_value());
      const CollectionView& docs = r.collections.at("docs");
      BOOST_TEST((docs.info.options == kDocsOptions));
      BOOST_TEST((docs.info.metric == Metric::Cosine));
      const int last = rounds - 1;
      BOOST_TEST(!docs.entries.at("k" + std::to_string(last * 40)).has_value());      // deleted
      BOOST_TEST(!docs.entries.at("k" + std::to_string(last * 40 + 2)).has_value());  // deleted in the transaction
      BOOST_TEST(docs.entries.at("tx" + std::to_string(last)).has_value());
      BOOST_TEST(docs.entries.at("k" + std::to_string(last * 40 + 79)).has_value());
      BOOST_TEST((docs.entries.at("k1")->metadata == Value::object({{"rewritten", last}})));
      BOOST_TEST(r.collections.at("one").entries.at("x")->vector == std::vector<float>{3.5f + static_cast<float>(last)});
      BOOST_TEST(std::signbit(r.collections.at("one").entries.at("y")->vector.at(0)));  // −0 kept
    }
  }
}

// ---- the lifecycle ---------------------------------------------------------------------------

enum class Shape { Reopen, CompactThenWrite, CompactBeforeClose };

const char* shape_name(Shape s) {
  return s == Shape::Reopen ? "reopen" : s == Shape::CompactThenWrite ? "compact + write" : "compact before close";
}

/// Work after the first reopen: versions continue above the recovered ones,
/// recovered vectors can be replaced and deleted, dropped names reused.
void resume(Strata& db, const View& before) {
  for (const auto& run : kRuns) {
    BOOST_TEST_CONTEXT("resume, run " << run) {
      Strata h = handle(db, run);
      const Version v = h.vector_upsert("docs", "k1", std::vector<float>{1, 2, 3, 4, 5}, Value("resumed"));
      BOOST_TEST(v > before.visible);
      BOOST_TEST(h.vector_get("docs", "k1")->version == v);
      BOOST_TEST(h.vector_delete("docs", "k41"));
      BOOST_TEST(!h.vector_delete("docs", "k40"));  // deleted before the close
      h.vector_upsert("docs", "after0", std::vector<float>{-1, 0, 0, 0, 0});
      const auto best = h.vector_search("docs", std::vector<float>{-1, 0, 0, 0, 0}, 1);
      BOOST_TEST_REQUIRE(best.size() == 1u);
      BOOST_TEST(best[0].key == "after0");
      // A dropped collection's name is free, and the new collection is empty.
      error_code ec;
      h.vector_get("dropped0", "k1", ec);
      BOOST_TEST(is(ec, errc::collection_not_found));
      h.vector_create_collection("dropped0", 2, Metric::Cosine);
      BOOST_TEST(h.vector_collection_info("dropped0").count == 0u);
      BOOST_TEST(h.vector_search("dropped0", std::vector<float>{1, 1}, 10).empty());
      BOOST_TEST(!h.vector_get("dropped0", "k1").has_value());
      h.vector_upsert("dropped0", "fresh", std::vector<float>{1, 1});
    }
  }
}

void lifecycle(Durability mode, Shape shape) {
  TempDir dir;
  View want;
  const int rounds = shape == Shape::CompactThenWrite ? 2 : 1;
  {
    auto db = Strata::open(dir.db(), opts(mode));
    write_all(db, 0);
    if (shape == Shape::CompactThenWrite) {
      db.compact();
      write_all(db, 1);
    }
    if (shape == Shape::CompactBeforeClose) db.compact();
    want = observe(db, true);
    check_workload_facts(want, rounds);
    db.close();
  }
  {
    auto db = Strata::open(dir.db(), opts(mode));
    // Right after open, before the indexes caught up: searches are exact
    // about the recovered state already.
    View early = observe(db, false);
    View want_early = want;
    want_early.key_counts.clear();
    for (auto& [run, r] : want_early.runs)
      for (auto& [c, view] : r.collections) view.info.index.clear();
    BOOST_TEST_CONTEXT("first reopen, before indexing") check_same(early, want_early);
    BOOST_TEST_CONTEXT("first reopen") check_same(observe(db, true), want);
    resume(db, want);
    want = observe(db, true);
  }
  for (int i = 0; i < 2; ++i) {
    auto db = Strata::open(dir.db(), opts(mode));
    BOOST_TEST_CONTEXT("reopen " << i + 2) check_same(observe(db, true), want);
    if (i == 0) db.compact();  // the next reopen loads the resumed state from a snapshot
  }
}

template <class Fn>
void for_each_setup(Fn fn) {
  for (Durability mode : {Durability::Buffered, Durability::Strict})
    for (Shape shape : {Shape::Reopen, Shape::CompactThenWrite, Shape::CompactBeforeClose})
      BOOST_TEST_CONTEXT((mode == Durability::Strict ? "strict, " : "buffered, ") << shape_name(shape)) fn(mode, shape);
}

// ---- the HNSW-sized collection ---------------------------------------------------------------

using Data = strata_bench::ClusteredVectors;

std::vector<float> row(const Data& d, std::size_t i) { return {d.vector(i), d.vector(i) + d.dim}; }
std::vector<float> query(const Data& d, std::size_t i) { return {d.query(i), d.query(i) + d.dim}; }

struct GraphView {
  std::vector<std::vector<VectorMatch>> exact, exact_filtered;
  std::set<std::string> live;
};

const VectorSearchOptions kFiltered = exact_search(Value::object({{"sel", Value::object({{"$lt", 3}})}}));

GraphView observe_graph(Strata& db, const Data& d) {
  GraphView g;
  for (std::size_t q = 0; q < 20; ++q) {
    g.exact.push_back(db.vector_search("big", query(d, q), 10, exact_search()));
    g.exact_filtered.push_back(db.vector_search("big", query(d, q), 10, kFiltered));
  }
  for (const auto& m : db.vector_search("big", query(d, 0), kMaxSearchK, exact_search())) g.live.insert(m.key);
  return g;
}

/// Graph searches: k results, live keys only, best first, and the share of
/// the exact top-10 they find.
double check_graph_searches(Strata& db, const Data& d, const GraphView& want) {
  double hits = 0;
  for (std::size_t q = 0; q < 20; ++q) {
    const auto got = db.vector_search("big", query(d, q), 10);
    BOOST_TEST_REQUIRE(got.size() == 10u);
    std::set<std::string> exact;
    for (const auto& m : want.exact[q]) exact.insert(m.key);
    for (std::size_t i = 0; i < got.size(); ++i) {
      BOOST_TEST(want.live.count(got[i].key) == 1u, "graph search " << q << " returned " << got[i].key << ", not live");
      if (i > 0) BOOST_TEST(got[i - 1].score >= got[i].score);
      // No score better than the exact i-th best.
      BOOST_TEST(got[i].score <= want.exact[q][i].score + 1e-6f);
      hits += static_cast<double>(exact.count(got[i].key));
    }
  }
  return hits / 200;
}

}  // namespace

BOOST_AUTO_TEST_CASE(collections_vectors_and_drops_survive_every_reopen) {
  for_each_setup([](Durability mode, Shape shape) { lifecycle(mode, shape); });
}

BOOST_AUTO_TEST_CASE(an_hnsw_collection_searches_the_same_after_reopen) {
  const Data d = strata_bench::make_clustered(2000, 20, 16, 40);
  for (Durability mode : {Durability::Buffered, Durability::Strict}) {
    for (bool compact : {false, true}) {
      BOOST_TEST_CONTEXT((mode == Durability::Strict ? "strict" : "buffered") << (compact ? ", compact before close" : "")) {
        TempDir dir;
        GraphView want;
        {
          auto db = Strata::open(dir.db(), opts(mode));
          db.vector_create_collection("big", d.dim, Metric::Cosine,
                                      CollectionOptions{.hnsw_threshold = 200, .m = 12, .ef_construction = 80, .ef_search = 64});
          std::vector<VectorRecord> batch;
          for (std::size_t i = 0; i < d.size(); ++i) {
            batch.push_back({"v" + std::to_string(i), row(d, i), Value::object({{"sel", static_cast<std::int64_t>(i % 10)}})});
            if (batch.size() == 250) db.vector_upsert_batch("big", batch), batch.clear();
          }
          for (std::size_t i = 0; i < d.size(); i += 7) db.vector_delete("big", "v" + std::to_string(i));
          db.vector_wait_indexed();
          BOOST_TEST_REQUIRE(db.vector_collection_info("big").index == "hnsw");
          want = observe_graph(db, d);
          BOOST_TEST(want.live.size() == d.size() - (d.size() + 6) / 7);
          const double recall = check_graph_searches(db, d, want);
          BOOST_TEST_MESSAGE("recall before close " << recall);
          BOOST_TEST(recall >= 0.9);
          if (compact) db.compact();
        }
        for (int reopen = 0; reopen < 2; ++reopen) {
          BOOST_TEST_CONTEXT("reopen " << reopen + 1) {
            auto db = Strata::open(dir.db(), opts(mode));
            // At once: exact searches are identical, graph searches (the
            // graph may still be being built) return live keys only.
            const GraphView early = observe_graph(db, d);
            BOOST_TEST((early.live == want.live));
            for (std::size_t q = 0; q < want.exact.size(); ++q) {
              BOOST_TEST((early.exact[q] == want.exact[q]), "exact search " << q);
              BOOST_TEST((early.exact_filtered[q] == want.exact_filtered[q]), "filtered exact search " << q);
            }
            check_graph_searches(db, d, want);
            db.vector_wait_indexed();
            const CollectionInfo info = db.vector_collection_info("big");
            BOOST_TEST(info.index == "hnsw");
            BOOST_TEST(info.count == want.live.size());
            const GraphView settled = observe_graph(db, d);
            for (std::size_t q = 0; q < want.exact.size(); ++q) BOOST_TEST((settled.exact[q] == want.exact[q]));
            const double recall = check_graph_searches(db, d, want);
            BOOST_TEST_MESSAGE("recall after reopen " << recall);
            BOOST_TEST(recall >= 0.9);
            for (std::size_t q = 0; q < 20; ++q)
              for (const auto& m : db.vector_search("big", query(d, q), 10, kFiltered))
                BOOST_TEST(m.metadata->as_object().at("sel").as_int() < 3);
          }
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_collection_dropped_just_before_a_compaction_leaves_nothing_behind) {
  // The drop frees the vectors in the background; a snapshot taken at once
  // may still hold some of them. After reopen nothing of them may be
  // visible — not to a new collection (whatever id it gets), not in the
  // key counts — and nothing may come back on later reopens.
  for (Durability mode : {Durability::Buffered, Durability::Strict}) {
    for (int attempt = 0; attempt < 3; ++attempt) {
      BOOST_TEST_CONTEXT((mode == Durability::Strict ? "strict" : "buffered") << ", attempt " << attempt) {
        TempDir dir;
        {
          auto db = Strata::open(dir.db(), opts(mode));
          db.vector_create_collection("keep", 4, Metric::Euclidean);
          db.vector_upsert("keep", "kept", std::vector<float>{1, 1, 1, 1});
          db.vector_create_collection("doomed", 4, Metric::Euclidean);
          std::vector<VectorRecord> batch;
          for (int i = 0; i < 50000; ++i) {
            batch.push_back({"d" + std::to_string(i), {static_cast<float>(i), 0, 0, 0}, Value(i)});
            if (batch.size() == 10000) db.vector_upsert_batch("doomed", batch), batch.clear();
          }
          db.vector_delete_collection("doomed");
          db.compact();  // races the background erase
        }
        for (int reopen = 0; reopen < 2; ++reopen) {
          BOOST_TEST_CONTEXT("reopen " << reopen) {
            auto db = Strata::open(dir.db(), opts(mode));
            // More than "kept": the snapshot caught vectors of "doomed" before
            // they were erased (most attempts), which is the case under test.
            if (reopen == 0) BOOST_TEST_MESSAGE("vector keys in the snapshot: " << db.info().keys.at("vector"));
            if (reopen == 0) {
              // New collections, whatever ids they get, start empty.
              for (const char* name : {"doomed", "other", "third"}) {
                db.vector_create_collection(name, 4, Metric::Euclidean);
                BOOST_TEST(db.vector_collection_info(name).count == 0u, name);
                BOOST_TEST(db.vector_search(name, std::vector<float>{0, 0, 0, 0}, 10, exact_search()).empty(), name);
                BOOST_TEST(!db.vector_get(name, "d7").has_value(), name);
              }
            }
            db.vector_wait_indexed();
            BOOST_TEST(db.info().keys.at("vector") == 1u);  // "kept" only
            BOOST_TEST(db.vector_collection_info("keep").count == 1u);
            for (const char* name : {"doomed", "other", "third"}) {
              BOOST_TEST(db.vector_collection_info(name).count == 0u, name);
              BOOST_TEST(db.vector_search(name, std::vector<float>{0, 0, 0, 0}, 10).empty(), name);
            }
            if (reopen == 0) db.compact();
          }
        }
      }
    }
  }
}
