// Clustered Gaussian vectors, the vector benchmarks' (and the vector tests')
// data (docs/benchmarks.md, "Vector data"): `centres` unit-length centres
// drawn from N(0, I); each vector picks a centre with lognormal popularity
// (a few topics are far more common than most), adds anisotropic Gaussian
// noise (each centre scales each dimension by its own lognormal factor) and
// is normalized. Queries are drawn the same way but are not in the data
// (held out). Everything comes from one seed, so a run is repeatable.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace strata_bench {

struct ClusteredVectors {
  std::size_t dim = 0;
  std::vector<float> data;     // n × dim
  std::vector<float> queries;  // q × dim
  std::vector<std::uint32_t> cluster;  // cluster of each data vector
  const float* vector(std::size_t i) const { return data.data() + i * dim; }
  const float* query(std::size_t i) const { return queries.data() + i * dim; }
  std::size_t size() const { return dim ? data.size() / dim : 0; }
};

inline ClusteredVectors make_clustered(std::size_t n, std::size_t q, std::size_t dim, std::size_t centres = 1000,
                                       std::uint64_t seed = 20261202) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  std::vector<float> centre(centres * dim), scale(centres * dim);
  std::lognormal_distribution<float> aniso(0.0f, 0.5f);
  const float noise = 0.35f / std::sqrt(static_cast<float>(dim));
  for (std::size_t c = 0; c < centres; ++c) {
    float len = 0;
    for (std::size_t d = 0; d < dim; ++d) {
      const float x = gauss(rng);
      centre[c * dim + d] = x;
      len += x * x;
      scale[c * dim + d] = noise * aniso(rng);
    }
    len = std::sqrt(len);
    for (std::size_t d = 0; d < dim; ++d) centre[c * dim + d] /= len;
  }
  std::vector<double> weight(centres);
  std::lognormal_distribution<double> popularity(0.0, 1.0);
  for (auto& w : weight) w = popularity(rng);
  std::discrete_distribution<std::size_t> pick(weight.begin(), weight.end());
  ClusteredVectors out;
  out.dim = dim;
  auto draw = [&](std::vector<float>& into, std::uint32_t* cluster) {
    const std::size_t c = pick(rng);
    if (cluster) *cluster = static_cast<std::uint32_t>(c);
    float len = 0;
    const std::size_t base = into.size();
    for (std::size_t d = 0; d < dim; ++d) {
      const float x = centre[c * dim + d] + scale[c * dim + d] * gauss(rng);
      into.push_back(x);
      len += x * x;
    }
    len = std::sqrt(len);
    for (std::size_t d = 0; d < dim; ++d) into[base + d] /= len;
  };
  out.data.reserve(n * dim);
  out.cluster.resize(n);
  for (std::size_t i = 0; i < n; ++i) draw(out.data, &out.cluster[i]);
  out.queries.reserve(q * dim);
  for (std::size_t i = 0; i < q; ++i) draw(out.queries, nullptr);
  return out;
}

}  // namespace strata_bench
