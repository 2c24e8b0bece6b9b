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
/// Scales `v` to unit length (left as it is when its length is 0).
void normalize(float* v, std::size_t n) noexcept;

/// Which implementation the dispatch chose ("avx2+fma" or "portable").
const char* kernel_name() noexcept;

/// The portable kernels, exposed so tests can compare them with the chosen
/// ones on the same input.
float dot_portable(const float* a, const float* b, std::size_t n) noexcept;
float l2_squared_portable(const float* a, const float* b, std::size_t n) noexcept;

}  // namespace strata::vector
