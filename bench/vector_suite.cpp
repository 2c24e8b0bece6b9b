#include "vector_suite.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

namespace strata_bench {

const ClusteredVectors& ann_data() {
  static const ClusteredVectors d = make_clustered(kAnnVectors, kAnnQueries, kAnnDim);
  return d;
}

const ClusteredVectors& exact_data() {
  static const ClusteredVectors d = make_clustered(10'000, kAnnQueries, 384, 1000, 384);
  return d;
}

namespace {

/// In double precision, four independent sums (so it pipelines): the
/// reference must not share the kernels' float rounding.
double dot(const float* a, const float* b, std::size_t n) {
  double s[4] = {0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (std::size_t j = 0; j < 4; ++j) s[j] += static_cast<double>(a[i + j]) * b[i + j];
  for (; i < n; ++i) s[0] += static_cast<double>(a[i]) * b[i];
  return (s[0] + s[1]) + (s[2] + s[3]);
}

std::vector<std::uint32_t> exact_top_k(const ClusteredVectors& d, const float* q,
                                       const std::function<bool(std::size_t)>& admit) {
  std::vector<std::pair<double, std::uint32_t>> best;  // a min-heap of the k best so far
  auto worse = [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); };
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (admit && !admit(i)) continue;
    const double s = dot(q, d.vector(i), d.dim);
    if (best.size() < kRecallK) {
      best.emplace_back(s, static_cast<std::uint32_t>(i));
      std::push_heap(best.begin(), best.end(), worse);
    } else if (s > best.front().first) {
      std::pop_heap(best.begin(), best.end(), worse);
      best.back() = {s, static_cast<std::uint32_t>(i)};
      std::push_heap(best.begin(), best.end(), worse);
    }
  }
  std::sort_heap(best.begin(), best.end(), worse);
  std::vector<std::uint32_t> ids;
  for (const auto& [s, i] : best) ids.push_back(i);
  return ids;
}

}  // namespace

const GroundTruth& ground_truth(const ClusteredVectors& d, const std::string& name,
                                const std::function<bool(std::size_t)>& admit) {
  static std::mutex mu;
  static std::map<std::pair<const ClusteredVectors*, std::string>, GroundTruth> cache;
  std::lock_guard lock(mu);
  auto [it, fresh] = cache.try_emplace({&d, name});
  if (fresh) {
    const std::size_t nq = d.queries.size() / d.dim;
    for (std::size_t q = 0; q < nq; ++q) it->second.push_back(exact_top_k(d, d.query(q), admit));
  }
  return it->second;
}

double recall_at_k(const std::vector<std::uint32_t>& found, const std::vector<std::uint32_t>& truth) {
  if (truth.empty()) return found.empty() ? 1.0 : 0.0;
  std::size_t hit = 0;
  for (auto id : found)
    if (std::find(truth.begin(), truth.end(), id) != truth.end()) ++hit;
  return static_cast<double>(hit) / static_cast<double>(truth.size());
}

std::string vector_key(std::size_t i) { return "v" + std::to_string(i); }

std::uint32_t vector_id(const std::string& key) {
  if (key.size() < 2 || key[0] != 'v') return UINT32_MAX;
  return static_cast<std::uint32_t>(std::stoul(key.substr(1)));
}

std::size_t choose_ef(double target, std::size_t probe,
                      const std::function<double(std::size_t ef, std::size_t q)>& recall_of) {
  static constexpr std::size_t kEfs[] = {16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024};
  for (std::size_t ef : kEfs) {
    double sum = 0;
    for (std::size_t q = 0; q < probe; ++q) sum += recall_of(ef, q);
    if (sum / static_cast<double>(probe) >= target) return ef;
  }
  return kEfs[std::size(kEfs) - 1];
}

namespace {

struct PairState {
  RunSample sample;
  double recall = 0;
  std::size_t full = 0;
};

/// Queries [from, to) of one pass on one system, timed per query.
void timed_block(const AnnSearch& search, std::size_t ef, const GroundTruth& truth, std::size_t from, std::size_t to,
                 bool first_pass, PairState& st) {
  const double cpu0 = process_cpu_seconds();
  auto prev = Clock::now();
  if (st.sample.ops == 0) st.sample.start = prev;
  const auto begin = prev;
  for (std::size_t q = from; q < to; ++q) {
    const auto got = search(q, ef);
    const auto now = Clock::now();
    st.sample.lat_ns.push_back(elapsed_ns(prev, now));
    prev = now;
    if (first_pass) {
      st.recall += recall_at_k(got, truth[q]);
      st.full += got.size() == std::min(kRecallK, truth[q].size()) ? 1 : 0;
    }
  }
  st.sample.ops += to - from;
  st.sample.seconds += std::chrono::duration<double>(prev - begin).count();
  st.sample.cpu_seconds += process_cpu_seconds() - cpu0;
}

void finish(PairState& st, std::size_t nq, std::size_t ef) {
  st.sample.extra.emplace_back("recall_at_10", st.recall / static_cast<double>(nq));
  st.sample.extra.emplace_back("full_k_fraction", static_cast<double>(st.full) / static_cast<double>(nq));
  st.sample.extra.emplace_back("ef", static_cast<double>(ef));
}

std::mutex peer_mu;
std::optional<AnnPeer> registered_peer;
std::map<double, std::vector<RunSample>> peer_samples;

}  // namespace

std::pair<RunSample, RunSample> paired_searches(const AnnSearch& a, std::size_t ef_a, const AnnSearch& b,
                                                std::size_t ef_b, const GroundTruth& truth, std::size_t rounds) {
  const std::size_t nq = truth.size();
  PairState sa, sb;
  for (std::size_t round = 0; round < rounds; ++round)
    for (std::size_t from = 0; from < nq; from += kPairBlock) {
      const std::size_t to = std::min(nq, from + kPairBlock);
      // Alternate which system goes first, so neither always meets the
      // cache the other just filled.
      const bool a_first = (from / kPairBlock + round) % 2 == 0;
      if (a_first) timed_block(a, ef_a, truth, from, to, round == 0, sa);
      timed_block(b, ef_b, truth, from, to, round == 0, sb);
      if (!a_first) timed_block(a, ef_a, truth, from, to, round == 0, sa);
    }
  finish(sa, nq, ef_a);
  finish(sb, nq, ef_b);
  return {std::move(sa.sample), std::move(sb.sample)};
}

void register_ann_peer(AnnPeer peer) {
  std::lock_guard lock(peer_mu);
  registered_peer = std::move(peer);
}

const AnnPeer* ann_peer() {
  std::lock_guard lock(peer_mu);
  return registered_peer ? &*registered_peer : nullptr;
}

void keep_peer_sample(double target, RunSample s) {
  std::lock_guard lock(peer_mu);
  peer_samples[target].push_back(std::move(s));
}

std::optional<RunSample> take_peer_sample(double target) {
  std::lock_guard lock(peer_mu);
  auto it = peer_samples.find(target);
  if (it == peer_samples.end() || it->second.empty()) return std::nullopt;
  RunSample s = std::move(it->second.front());
  it->second.erase(it->second.begin());
  return s;
}

}  // namespace strata_bench
