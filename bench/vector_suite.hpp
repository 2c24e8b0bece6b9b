// The data and the ground truth the vector benchmarks share
// (docs/benchmarks.md, "Vector data"): clustered vectors from
// vector_data.hpp, held-out queries, their exact top-10 by a plain
// double-precision scan written here (not by the system under test), and
// recall@10. Built once per process and shared by StrataDB's rows and the
// hnswlib rows, so both are measured on exactly the same data.
#pragma once

#include "harness.hpp"
#include "vector_data.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace strata_bench {

inline constexpr std::size_t kAnnVectors = 100'000;
inline constexpr std::size_t kAnnDim = 128;
inline constexpr std::size_t kAnnQueries = 1'000;
inline constexpr std::size_t kRecallK = 10;
/// Passes over the queries per timed repeat of the ANN rows.
inline constexpr std::size_t kAnnRounds = 5;
/// Every data vector i carries metadata {"sel": i % kSelModulus}; the
/// filtered rows select sel < 100 (10 %), sel < 10 (1 %) and sel == 0 (0.1 %).
inline constexpr std::int64_t kSelModulus = 1000;

/// Ids of the exact top-k of each query, best first.
using GroundTruth = std::vector<std::vector<std::uint32_t>>;

/// 100K × 128 clustered vectors and 1,000 held-out queries.
const ClusteredVectors& ann_data();
/// 10K × 384 and 1,000 queries (vector.exact_search.10k_384).
const ClusteredVectors& exact_data();

/// The exact top-kRecallK (cosine; the data is normalized) among the vectors
/// `admit` accepts (null: all). Cached per (data, name).
const GroundTruth& ground_truth(const ClusteredVectors& d, const std::string& name,
                                const std::function<bool(std::size_t)>& admit = nullptr);

/// |found ∩ truth[0..k)| / k.
double recall_at_k(const std::vector<std::uint32_t>& found, const std::vector<std::uint32_t>& truth);

/// The key of data vector i ("v<i>") and back (UINT32_MAX if not one).
std::string vector_key(std::size_t i);
std::uint32_t vector_id(const std::string& key);

/// The smallest ef of {16, 24, ..., 1024} whose mean recall over the first
/// `probe` queries reaches `target` (the largest tried when none does).
std::size_t choose_ef(double target, std::size_t probe, const std::function<double(std::size_t ef, std::size_t q)>& recall_of);

/// One system's ANN search for the paired rows: the ids of the top
/// kRecallK of data query q at `ef`, best first.
using AnnSearch = std::function<std::vector<std::uint32_t>(std::size_t q, std::size_t ef)>;

/// Both systems answer the same queries in alternating blocks of
/// kPairBlock (`rounds` passes over them), each at its own ef, and each
/// block's time goes to its system. On a shared machine a burst of load from
/// other tenants then lands on both systems instead of on whichever ran at
/// that moment, so their ratio is steadier than two separate runs'. Each
/// sample carries recall_at_10 and full_k_fraction over the first pass.
inline constexpr std::size_t kPairBlock = 50;
std::pair<RunSample, RunSample> paired_searches(const AnnSearch& a, std::size_t ef_a, const AnnSearch& b,
                                                std::size_t ef_b, const GroundTruth& truth, std::size_t rounds);

/// The peer that StrataDB's vector.ann rows measure alongside (hnswlib,
/// when peers are on; registered with the peer workloads). The peer's
/// samples are kept for its own rows, by recall target.
struct AnnPeer {
  AnnSearch search;
};
void register_ann_peer(AnnPeer peer);
const AnnPeer* ann_peer();
void keep_peer_sample(double target, RunSample s);
std::optional<RunSample> take_peer_sample(double target);

}  // namespace strata_bench
