#include "vector/hnsw.hpp"

#include <cmath>

namespace strata::vector {

Hnsw::Hnsw(VectorStorage& storage, Distance d, std::size_t m, std::size_t ef_construction, std::uint64_t seed)
    : storage_(storage),
      kind_(d),
      kernel_(d == Distance::L2 ? l2_squared_kernel() : dot_kernel()),
      dim_(storage.dimension()),
      m_(m),
      m0_(2 * m),
      ef_construction_(std::max(ef_construction, m)),
      level_mult_(1.0 / std::log(static_cast<double>(m))),
      rng_(seed) {}

std::size_t Hnsw::memory_bytes() const noexcept {
  // (level-0 links are counted with the storage)
  std::size_t bytes = levels_.capacity() + upper_.capacity() * sizeof(upper_[0]);
  for (const auto& u : upper_) bytes += u.capacity() * sizeof(Slot);
  return bytes;
}

std::unique_ptr<Hnsw::Visited> Hnsw::take_visited() const {
  std::lock_guard lock(visited_mu_);
  if (visited_pool_.empty()) return std::make_unique<Visited>();
  auto v = std::move(visited_pool_.back());
  visited_pool_.pop_back();
  return v;
}

void Hnsw::give_back(std::unique_ptr<Visited> v) const {
  std::lock_guard lock(visited_mu_);
  visited_pool_.push_back(std::move(v));
}

Slot* Hnsw::links(Slot s, int level) noexcept {
  if (level == 0) return storage_.extra(s);
  return &upper_[s][static_cast<std::size_t>(level - 1) * (m_ + 1)];
}

const Slot* Hnsw::links(Slot s, int level) const noexcept { return const_cast<Hnsw*>(this)->links(s, level); }

int Hnsw::random_level() {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double r = std::max(u(rng_), 1e-12);
  return std::min(static_cast<int>(-std::log(r) * level_mult_), 16);
}

Slot Hnsw::greedy(const float* q, Slot start, int level) const {
  Slot cur = start;
  float best = dist(q, cur);
  for (bool moved = true; moved;) {
    moved = false;
    const Slot* l = links(cur, level);
    for (Slot i = 1; i <= l[0]; ++i) {
      const float d = dist(q, l[i]);
      if (d < best) {
        best = d;
        cur = l[i];
        moved = true;
      }
    }
  }
  return cur;
}

void Hnsw::select(std::vector<Candidate>& candidates, std::size_t max) const {
  if (candidates.size() <= max) return;
  std::vector<Candidate> kept;
  kept.reserve(max);
  for (const auto& c : candidates) {
    if (kept.size() >= max) break;
    bool diverse = true;
    for (const auto& k : kept)
      if (dist(storage_.at(c.second), storage_.at(k.second)) < c.first) {
        diverse = false;
        break;
      }
    if (diverse) kept.push_back(c);
  }
  candidates.swap(kept);
}

void Hnsw::connect(Slot from, Slot to, int level) {
  Slot* l = links(from, level);
  const std::size_t cap = capacity(level);
  if (l[0] < cap) {
    l[++l[0]] = to;
    return;
  }
  // Full: keep the most useful neighbours among the old ones and the new.
  std::vector<Candidate> all;
  all.reserve(cap + 1);
  const float* base = storage_.at(from);
  for (Slot i = 1; i <= l[0]; ++i) all.emplace_back(dist(base, storage_.at(l[i])), l[i]);
  all.emplace_back(dist(base, storage_.at(to)), to);
  std::sort(all.begin(), all.end());
  select(all, cap);
  l[0] = static_cast<Slot>(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) l[i + 1] = all[i].second;
}

void Hnsw::insert(Slot s) {
  if (levels_.size() <= s) {
    levels_.resize(s + 1, -1);
    upper_.resize(s + 1);
  }
  const int level = random_level();
  levels_[s] = static_cast<std::int8_t>(level);
  if (level > 0) upper_[s].assign(static_cast<std::size_t>(level) * (m_ + 1), 0);
  ++count_;
  if (max_level_ < 0) {
    entry_ = s;
    max_level_ = level;
    return;
  }
  const float* q = storage_.at(s);
  Slot cur = entry_;
  for (int l = max_level_; l > level; --l) cur = greedy(q, cur, l);
  for (int l = std::min(level, max_level_); l >= 0; --l) {
    std::vector<Candidate> near;
    beam(q, cur, ef_construction_, l, [](Slot) { return true; }, 0, near);
    cur = near.front().second;
    select(near, m_);
    Slot* own = links(s, l);
    own[0] = static_cast<Slot>(near.size());
    for (std::size_t i = 0; i < near.size(); ++i) {
      own[i + 1] = near[i].second;
      connect(near[i].second, s, l);
    }
  }
  if (level > max_level_) {
    entry_ = s;
    max_level_ = level;
  }
}

}  // namespace strata::vector
