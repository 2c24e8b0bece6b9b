// Distance kernels of the vector store: dot product and squared Euclidean
// distance over float arrays. AVX-512 or AVX2+FMA versions are chosen at run
// time when the CPU has them (__builtin_cpu_supports), with a portable
// fallback, so the same binary runs on any x86-64 (and elsewhere). The
// environment variable STRATA_VECTOR_KERNEL ("avx2+fma", "portable", ...)
// picks a lesser set the CPU supports instead of the best.
#pragma once

#include <cstddef>
#include <span>

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

/// Which implementation the dispatch chose ("avx512f", "avx2+fma" or
/// "portable").
const char* kernel_name() noexcept;

using ManyKernel = void (*)(const float* q, const float* base, std::size_t count, std::size_t n,
                            std::size_t stride, float* out) noexcept;
/// One implementation of every kernel. Within a set, dot_many and
/// l2_squared_many give bit for bit what dot and l2_squared give, so an
/// exact scan and a graph search score a vector identically.
struct KernelSet {
  const char* name;
  Kernel dot;
  Kernel l2_squared;
  ManyKernel dot_many;
  ManyKernel l2_squared_many;
};
/// Every set this CPU can run, best first; the last is the portable one.
/// (Tests check each against the others.)
std::span<const KernelSet> supported_kernel_sets() noexcept;

}  // namespace strata::vector
