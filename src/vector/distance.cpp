#include "vector/distance.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace strata::vector {

namespace {

float dot_portable(const float* a, const float* b, std::size_t n) noexcept {
  // Four independent sums let the compiler keep several lanes in flight.
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

float l2_squared_portable(const float* a, const float* b, std::size_t n) noexcept {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const float d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1], d2 = a[i + 2] - b[i + 2], d3 = a[i + 3] - b[i + 3];
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; i < n; ++i) {
    const float d = a[i] - b[i];
    s0 += d * d;
  }
  return (s0 + s1) + (s2 + s3);
}

void dot_many_portable(const float* q, const float* base, std::size_t count, std::size_t n, std::size_t stride,
                       float* out) noexcept {
  for (std::size_t j = 0; j < count; ++j) out[j] = dot_portable(q, base + j * stride, n);
}

void l2_many_portable(const float* q, const float* base, std::size_t count, std::size_t n, std::size_t stride,
                      float* out) noexcept {
  for (std::size_t j = 0; j < count; ++j) out[j] = l2_squared_portable(q, base + j * stride, n);
}

KernelSet portable_set() {
  return {"portable", dot_portable, l2_squared_portable, dot_many_portable, l2_many_portable};
}

}  // namespace

#if defined(__x86_64__)
namespace {

__attribute__((target("avx2,fma"))) inline float horizontal_sum(__m256 v) {
  const __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
  __m128 s = _mm_add_ps(lo, hi);
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma"))) float dot_avx2(const float* a, const float* b, std::size_t n) noexcept {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
    s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
  }
  for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  float s = horizontal_sum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  for (; i < n; ++i) s += a[i] * b[i];
  return s;
}

__attribute__((target("avx2,fma"))) float l2_avx2(const float* a, const float* b, std::size_t n) noexcept {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    const __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
    const __m256 d2 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16));
    const __m256 d3 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24));
    s0 = _mm256_fmadd_ps(d0, d0, s0);
    s1 = _mm256_fmadd_ps(d1, d1, s1);
    s2 = _mm256_fmadd_ps(d2, d2, s2);
    s3 = _mm256_fmadd_ps(d3, d3, s3);
  }
  for (; i + 8 <= n; i += 8) {
    const __m256 d = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    s0 = _mm256_fmadd_ps(d, d, s0);
  }
  float s = horizontal_sum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  for (; i < n; ++i) {
    const float d = a[i] - b[i];
    s += d * d;
  }
  return s;
}

/// Two stored vectors against one query: each query load feeds two FMAs.
/// The sums are formed exactly as dot_avx2 forms them (same lanes, same
/// order), so an exact scan scores a vector bit for bit as a graph search
/// does.
__attribute__((target("avx2,fma"))) void dot2_avx2(const float* q, const float* a, const float* b, std::size_t n,
                                                   float* out) noexcept {
  __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
  __m256 b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps(), b2 = _mm256_setzero_ps(), b3 = _mm256_setzero_ps();
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256 x = _mm256_loadu_ps(q + i);
    a0 = _mm256_fmadd_ps(x, _mm256_loadu_ps(a + i), a0);
    b0 = _mm256_fmadd_ps(x, _mm256_loadu_ps(b + i), b0);
    x = _mm256_loadu_ps(q + i + 8);
    a1 = _mm256_fmadd_ps(x, _mm256_loadu_ps(a + i + 8), a1);
    b1 = _mm256_fmadd_ps(x, _mm256_loadu_ps(b + i + 8), b1);
    x = _mm256_loadu_ps(q + i + 16);
    a2 = _mm256_fmadd_ps(x, _mm256_loadu_ps(a + i + 16), a2);
    b2 = _mm256_fmadd_ps(x, _mm256_loadu_ps(b + i + 16), b2);
    x = _mm256_loadu_ps(q + i + 24);
    a3 = _mm256_fmadd_ps(x, _mm256_loadu_ps(a + i + 24), a3);
    b3 = _mm256_fmadd_ps(x, _mm256_loadu_ps(b + i + 24), b3);
  }
  for (; i + 8 <= n; i += 8) {
    const __m256 x = _mm256_loadu_ps(q + i);
    a0 = _mm256_fmadd_ps(x, _mm256_loadu_ps(a + i), a0);
    b0 = _mm256_fmadd_ps(x, _mm256_loadu_ps(b + i), b0);
  }
  float sa = horizontal_sum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
  float sb = horizontal_sum(_mm256_add_ps(_mm256_add_ps(b0, b1), _mm256_add_ps(b2, b3)));
  for (; i < n; ++i) {
    sa += q[i] * a[i];
    sb += q[i] * b[i];
  }
  out[0] = sa;
  out[1] = sb;
}

__attribute__((target("avx2,fma"))) void dot_many_avx2(const float* q, const float* base, std::size_t count,
                                                       std::size_t n, std::size_t stride, float* out) noexcept {
  std::size_t j = 0;
  for (; j + 2 <= count; j += 2) dot2_avx2(q, base + j * stride, base + (j + 1) * stride, n, out + j);
  for (; j < count; ++j) out[j] = dot_avx2(q, base + j * stride, n);
}

__attribute__((target("avx2,fma"))) void l2_many_avx2(const float* q, const float* base, std::size_t count,
                                                      std::size_t n, std::size_t stride, float* out) noexcept {
  for (std::size_t j = 0; j < count; ++j) out[j] = l2_avx2(q, base + j * stride, n);
}


/// AVX-512: the same shape as the AVX2 kernels, 16 lanes wide, and the
/// tail (n mod 16 components) as one masked load instead of a scalar loop.
/// Masked-off lanes are neither read nor faulted on.
__attribute__((target("avx512f"))) inline __mmask16 tail_mask(std::size_t left) {
  return static_cast<__mmask16>((1u << left) - 1u);
}

/// The lane sum, in a fixed order (not _mm512_reduce_add_ps, the cast to 256 bits
/// or the unmasked extract: GCC 12 builds them on an undefined register and warns).
__attribute__((target("avx512f,avx2,fma"))) inline float horizontal_sum(__m512 v) {
  const __m512d d = _mm512_castps_pd(v);
  const __m256 lo = _mm256_castpd_ps(_mm512_mask_extractf64x4_pd(_mm256_setzero_pd(), 0xFF, d, 0));
  const __m256 hi = _mm256_castpd_ps(_mm512_mask_extractf64x4_pd(_mm256_setzero_pd(), 0xFF, d, 1));
  return horizontal_sum(_mm256_add_ps(lo, hi));
}

__attribute__((target("avx512f,avx2,fma"))) float dot_avx512(const float* a, const float* b, std::size_t n) noexcept {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
    s2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32), s2);
    s3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48), s3);
  }
  for (; i + 16 <= n; i += 16) s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
  if (i < n) {
    const __mmask16 m = tail_mask(n - i);
    s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), s1);
  }
  return horizontal_sum(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}

__attribute__((target("avx512f,avx2,fma"))) float l2_avx512(const float* a, const float* b, std::size_t n) noexcept {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
    const __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
    const __m512 d2 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32));
    const __m512 d3 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48));
    s0 = _mm512_fmadd_ps(d0, d0, s0);
    s1 = _mm512_fmadd_ps(d1, d1, s1);
    s2 = _mm512_fmadd_ps(d2, d2, s2);
    s3 = _mm512_fmadd_ps(d3, d3, s3);
  }
  for (; i + 16 <= n; i += 16) {
    const __m512 d = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
    s0 = _mm512_fmadd_ps(d, d, s0);
  }
  if (i < n) {
    const __mmask16 m = tail_mask(n - i);
    const __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
    s1 = _mm512_fmadd_ps(d, d, s1);
  }
  return horizontal_sum(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}

/// Two stored vectors against one query, summed exactly as dot_avx512 sums
/// (same lanes, same order, same reduction).
__attribute__((target("avx512f,avx2,fma"))) void dot2_avx512(const float* q, const float* a, const float* b, std::size_t n,
                                                    float* out) noexcept {
  __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
  __m512 b0 = _mm512_setzero_ps(), b1 = _mm512_setzero_ps(), b2 = _mm512_setzero_ps(), b3 = _mm512_setzero_ps();
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    __m512 x = _mm512_loadu_ps(q + i);
    a0 = _mm512_fmadd_ps(x, _mm512_loadu_ps(a + i), a0);
    b0 = _mm512_fmadd_ps(x, _mm512_loadu_ps(b + i), b0);
    x = _mm512_loadu_ps(q + i + 16);
    a1 = _mm512_fmadd_ps(x, _mm512_loadu_ps(a + i + 16), a1);
    b1 = _mm512_fmadd_ps(x, _mm512_loadu_ps(b + i + 16), b1);
    x = _mm512_loadu_ps(q + i + 32);
    a2 = _mm512_fmadd_ps(x, _mm512_loadu_ps(a + i + 32), a2);
    b2 = _mm512_fmadd_ps(x, _mm512_loadu_ps(b + i + 32), b2);
    x = _mm512_loadu_ps(q + i + 48);
    a3 = _mm512_fmadd_ps(x, _mm512_loadu_ps(a + i + 48), a3);
    b3 = _mm512_fmadd_ps(x, _mm512_loadu_ps(b + i + 48), b3);
  }
  for (; i + 16 <= n; i += 16) {
    const __m512 x = _mm512_loadu_ps(q + i);
    a0 = _mm512_fmadd_ps(x, _mm512_loadu_ps(a + i), a0);
    b0 = _mm512_fmadd_ps(x, _mm512_loadu_ps(b + i), b0);
  }
  if (i < n) {
    const __mmask16 m = tail_mask(n - i);
    const __m512 x = _mm512_maskz_loadu_ps(m, q + i);
    a1 = _mm512_fmadd_ps(x, _mm512_maskz_loadu_ps(m, a + i), a1);
    b1 = _mm512_fmadd_ps(x, _mm512_maskz_loadu_ps(m, b + i), b1);
  }
  out[0] = horizontal_sum(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
  out[1] = horizontal_sum(_mm512_add_ps(_mm512_add_ps(b0, b1), _mm512_add_ps(b2, b3)));
}

__attribute__((target("avx512f,avx2,fma"))) void dot_many_avx512(const float* q, const float* base, std::size_t count,
                                                        std::size_t n, std::size_t stride, float* out) noexcept {
  std::size_t j = 0;
  for (; j + 2 <= count; j += 2) dot2_avx512(q, base + j * stride, base + (j + 1) * stride, n, out + j);
  for (; j < count; ++j) out[j] = dot_avx512(q, base + j * stride, n);
}

__attribute__((target("avx512f,avx2,fma"))) void l2_many_avx512(const float* q, const float* base, std::size_t count,
                                                       std::size_t n, std::size_t stride, float* out) noexcept {
  for (std::size_t j = 0; j < count; ++j) out[j] = l2_avx512(q, base + j * stride, n);
}

std::vector<KernelSet> supported() {
  __builtin_cpu_init();
  std::vector<KernelSet> sets;
  if (__builtin_cpu_supports("avx512f"))
    sets.push_back({"avx512f", dot_avx512, l2_avx512, dot_many_avx512, l2_many_avx512});
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    sets.push_back({"avx2+fma", dot_avx2, l2_avx2, dot_many_avx2, l2_many_avx2});
  sets.push_back(portable_set());
  return sets;
}

}  // namespace

#else
namespace {
std::vector<KernelSet> supported() { return {portable_set()}; }
}  // namespace
#endif

std::span<const KernelSet> supported_kernel_sets() noexcept {
  static const std::vector<KernelSet> sets = supported();
  return sets;
}

namespace {
/// The best set, or the one STRATA_VECTOR_KERNEL names if this CPU has it
/// (for A/B measurements, and for CPUs that clock down under AVX-512).
const KernelSet& choose() noexcept {
  const auto sets = supported_kernel_sets();
  if (const char* want = std::getenv("STRATA_VECTOR_KERNEL"))
    for (const KernelSet& k : sets)
      if (std::strcmp(k.name, want) == 0) return k;
  return sets.front();
}
const KernelSet& chosen() noexcept {
  static const KernelSet& k = choose();
  return k;
}
}  // namespace

float dot(const float* a, const float* b, std::size_t n) noexcept { return chosen().dot(a, b, n); }
float l2_squared(const float* a, const float* b, std::size_t n) noexcept { return chosen().l2_squared(a, b, n); }
void dot_many(const float* q, const float* base, std::size_t count, std::size_t n, std::size_t stride,
              float* out) noexcept {
  chosen().dot_many(q, base, count, n, stride, out);
}
void l2_squared_many(const float* q, const float* base, std::size_t count, std::size_t n, std::size_t stride,
                     float* out) noexcept {
  chosen().l2_squared_many(q, base, count, n, stride, out);
}
const char* kernel_name() noexcept { return chosen().name; }
Kernel dot_kernel() noexcept { return chosen().dot; }
Kernel l2_squared_kernel() noexcept { return chosen().l2_squared; }

void normalize(float* v, std::size_t n) noexcept {
  // The length in double: a float sum of squares overflows for components
  // above ~1e19 and underflows below ~1e-19 (both valid, finite vectors),
  // which would leave the vector unnormalized and its cosine score outside
  // [-1, 1]. In double it is finite and non-zero for any finite, non-zero
  // float vector.
  double squares = 0;
  for (std::size_t i = 0; i < n; ++i) squares += static_cast<double>(v[i]) * v[i];
  const double len = std::sqrt(squares);
  if (len == 0 || !std::isfinite(len)) return;
  const double inv = 1.0 / len;
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<float>(v[i] * inv);
}

}  // namespace strata::vector
