// hnswlib (Debian's libhnswlib-dev, header-only) on the same data as
// StrataDB's vector rows (workloads_vector.cpp), with the same graph
// parameters (M = 16, ef_construction = 200), inner-product space on the
// normalized vectors (= cosine), one thread. This file is compiled with
// -march=native so hnswlib's compile-time SIMD (AVX/AVX-512) is on: the peer
// is measured at its best on this machine.
#include "peer_util.hpp"
#include "vector_suite.hpp"
#include "workloads.hpp"

#include <hnswlib/hnswlib.h>

#include <malloc.h>

#include <memory>
#include <stdexcept>

namespace strata_bench {

namespace {

constexpr std::size_t kM = 16;
constexpr std::size_t kEfConstruction = 200;

struct Index {
  hnswlib::InnerProductSpace space{kAnnDim};
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph;
};

std::unique_ptr<Index> build(const ClusteredVectors& d) {
  auto idx = std::make_unique<Index>();
  idx->graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(&idx->space, d.size(), kM, kEfConstruction);
  for (std::size_t i = 0; i < d.size(); ++i) idx->graph->addPoint(d.vector(i), i);
  return idx;
}

Index& shared_index() {
  static std::unique_ptr<Index> idx = build(ann_data());
  return *idx;
}

std::vector<std::uint32_t> search(Index& idx, const float* q, std::size_t ef) {
  idx.graph->setEf(ef);
  auto heap = idx.graph->searchKnn(q, kRecallK);
  std::vector<std::uint32_t> ids(heap.size());
  for (std::size_t i = heap.size(); i-- > 0; heap.pop()) ids[i] = static_cast<std::uint32_t>(heap.top().second);
  return ids;
}

/// Normally StrataDB's row has measured this one alongside its own
/// (paired_searches) and kept the sample; alone (that row not selected) it
/// is timed by itself.
RunSample ann(double target) {
  if (auto kept = take_peer_sample(target)) return std::move(*kept);
  auto& idx = shared_index();
  const auto& d = ann_data();
  const auto& truth = ground_truth(d, "all");
  const std::size_t ef = choose_ef(target, 200, [&](std::size_t ef, std::size_t q) {
    return recall_at_k(search(idx, d.query(q), ef), truth[q]);
  });
  const std::size_t nq = truth.size();
  double recall = 0;
  auto r = timed_ops(nq * kAnnRounds, [&](std::size_t i) {
    const auto got = search(idx, d.query(i % nq), ef);
    if (i < nq) recall += recall_at_k(got, truth[i]);
  });
  r.extra.emplace_back("recall_at_10", recall / static_cast<double>(nq));
  r.extra.emplace_back("ef", static_cast<double>(ef));
  return r;
}

RunSample ann_build(const Config&, const Dataset&) {
  const auto& d = ann_data();
  ::malloc_trim(0);
  const double rss0 = resident_bytes();
  RunSample r;
  const double cpu0 = process_cpu_seconds();
  r.start = Clock::now();
  auto idx = build(d);
  const auto end = Clock::now();
  r.seconds = std::chrono::duration<double>(end - r.start).count();
  r.cpu_seconds = process_cpu_seconds() - cpu0;
  r.ops = d.size();
  // One figure per build: p50/p99 print the mean time per vector.
  r.lat_ns = {static_cast<std::uint32_t>(r.seconds * 1e9 / static_cast<double>(d.size()))};
  if (idx->graph->cur_element_count != d.size()) throw std::runtime_error("hnswlib: index incomplete");
  r.extra.emplace_back("bytes_per_vector", (resident_bytes() - rss0) / static_cast<double>(d.size()));
  r.extra.emplace_back("raw_bytes_per_vector", static_cast<double>(d.dim * sizeof(float)));
  return r;
}

}  // namespace

void add_hnswlib_workloads(std::vector<Workload>& out) {
  register_ann_peer({[](std::size_t q, std::size_t ef) { return search(shared_index(), ann_data().query(q), ef); }});
  out.push_back({"vector.ann_build.100k_128", "hnswlib", ann_build});
  out.push_back({"vector.ann.100k_128", "hnswlib", [](const Config&, const Dataset&) { return ann(0.95); }});
  out.push_back({"vector.ann.100k_128.recall99", "hnswlib", [](const Config&, const Dataset&) { return ann(0.99); }});
}

std::string hnswlib_version() { return STRATA_BENCH_HNSWLIB_VERSION; }

}  // namespace strata_bench
