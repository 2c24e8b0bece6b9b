// Distance kernels of the vector store: dot product and squared Euclidean
// distance over float arrays. AVX2+FMA versions are chosen at run time when
// the CPU has them (__builtin_cpu_supports), with a portable fallback, so the
// same binary runs on any x86-64 (and elsewhere).
#pragma once

#include <cstddef>

namespace strata::vector {

/// Σ a[i]·b[i].
float dot(const float* a, const float* b, std::size_t n) noexcept;
/// Σ (a[i] − b[i])².
float l2_squared(const float* a, const float* b, std::size_t n) noexcept;
/// out[j] = dot(q, base + j·stride, n) for j < count: `count` vectors stored
/// `stride` floats apart (one dispatch for the whole run; exact scans).
void dot_many(const float* q, const float* base, std::size_t count, std::size_t n, std::size_t stride,
              float* out) noexcept;
/// out[j] = l2_squared(q, base + j·stride, n).
void l2_squared_many(const float* q, const float* base, std::size_t count, std::size_t n, std::size_t stride,
                     float* out) noexcept;
/// Scales `v` to unit length (left as it is when its length is 0).
void normalize(float* v, std::size_t n) noexcept;

/// The chosen kernels themselves, for a caller computing many distances in
/// a loop (HNSW): one indirect call each, no dispatch.
using Kernel = float (*)(const float*, const float*, std::size_t) noexcept;
Kernel dot_kernel() noexcept;
Kernel l2_squared_kernel() noexcept;

/// Which implementation the dispatch chose ("avx2+fma" or "portable").
const char* kernel_name() noexcept;

/// The portable kernels, exposed so tests can compare them with the chosen
/// ones on the same input.
float dot_portable(const float* a, const float* b, std::size_t n) noexcept;
float l2_squared_portable(const float* a, const float* b, std::size_t n) noexcept;

}  // namespace strata::vector
