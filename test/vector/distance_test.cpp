// The vector store's distance kernels (src/vector/distance.hpp) and the
// scores a search reports (include/strata/vector.hpp):
//  * every kernel set this CPU runs (AVX-512, AVX2+FMA, portable), dot and
//    l2_squared against a double-precision reference on random vectors of
//    awkward dimensions (tails of every length around the 8-, 16-, 32- and
//    64-float steps), at unaligned addresses, within the worst-case float
//    rounding bound;
//  * within a set, dot_many / l2_squared_many score each vector bit for bit
//    as dot / l2_squared do (exact scans and graph searches agree);
//  * the sets agree with each other, and the dispatch picks the best set
//    the CPU supports;
//  * normalize gives unit length and leaves a zero vector alone;
//  * end to end, an exact search scores every stored vector by its metric's
//    formula — cosine q·v/(‖q‖‖v‖) (a zero vector scores 0), euclidean
//    −‖q−v‖, dot q·v — best first, ties by key.
#define BOOST_TEST_MODULE vector_distance
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"

#include "vector/distance.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace strata;
namespace kernels = strata::vector;

namespace {

const std::vector<std::size_t> kDims{1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 384, 1000};

/// Unit roundoff of float.
constexpr double kU = FLT_EPSILON / 2;

std::vector<float> random_vector(std::mt19937& rng, std::size_t n, float lo = -1, float hi = 1) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

double dot_ref(const float* a, const float* b, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}
double abs_dot_ref(const float* a, const float* b, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += std::abs(static_cast<double>(a[i]) * b[i]);
  return s;
}
double l2_ref(const float* a, const float* b, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(a[i]) - b[i];
    s += d * d;
  }
  return s;
}

/// Worst-case error of a float sum of n products (any summation order,
/// FMA or not): γ(n+1) · Σ|terms|, plus a hair for the tiniest sums.
double sum_bound(std::size_t n, double abs_terms) { return (static_cast<double>(n) + 2) * kU * abs_terms * 1.01 + 1e-30; }

/// Copies v to an address that is 4 bytes past a 32-byte boundary, so the
/// vector loads of the AVX2 kernel are never aligned.
struct Unaligned {
  std::vector<float> storage;
  float* p;
  explicit Unaligned(const std::vector<float>& v) : storage(v.size() + 16) {
    auto addr = reinterpret_cast<std::uintptr_t>(storage.data());
    const std::size_t skip = ((32 - addr % 32) % 32) / sizeof(float) + 1;
    p = storage.data() + skip;
    std::copy(v.begin(), v.end(), p);
  }
};

/// Search options without designated initializers (-Wmissing-field-initializers).
VectorSearchOptions exact_search(bool exact = true) {
  VectorSearchOptions o;
  o.exact = exact;
  return o;
}

std::uint32_t bits(float f) {
  std::uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kernels_against_double)

BOOST_AUTO_TEST_CASE(dot_matches_the_double_reference_within_the_rounding_bound) {
  std::mt19937 rng(7);
  for (const auto& set : kernels::supported_kernel_sets())
  for (std::size_t n : kDims) {
    for (int trial = 0; trial < 20; ++trial) {
      // Mixed magnitudes as well as [-1, 1].
      const float scale = trial % 4 == 3 ? 1000.0f : 1.0f;
      const Unaligned a(random_vector(rng, n, -scale, scale)), b(random_vector(rng, n));
      const double want = dot_ref(a.p, b.p, n), bound = sum_bound(n, abs_dot_ref(a.p, b.p, n));
      BOOST_TEST_CONTEXT("n = " << n << ", trial " << trial << ", kernel " << set.name) {
        BOOST_TEST(std::abs(set.dot(a.p, b.p, n) - want) <= bound);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(l2_squared_matches_the_double_reference_within_the_rounding_bound) {
  std::mt19937 rng(11);
  for (const auto& set : kernels::supported_kernel_sets())
  for (std::size_t n : kDims) {
    for (int trial = 0; trial < 20; ++trial) {
      const float scale = trial % 4 == 3 ? 1000.0f : 1.0f;
      const Unaligned a(random_vector(rng, n, -scale, scale)), b(random_vector(rng, n));
      const double want = l2_ref(a.p, b.p, n);
      // Each difference is rounded once (relative u), its square twice more.
      const double bound = sum_bound(n + 2, want);
      BOOST_TEST_CONTEXT("n = " << n << ", trial " << trial << ", kernel " << set.name) {
        BOOST_TEST(std::abs(set.l2_squared(a.p, b.p, n) - want) <= bound);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(exact_cases_are_exact) {
  std::mt19937 rng(3);
  for (const auto& set : kernels::supported_kernel_sets()) {
    for (std::size_t n : kDims) {
      BOOST_TEST_CONTEXT("n = " << n << ", kernel " << set.name) {
        const std::vector<float> v = random_vector(rng, n), zero(n, 0.0f);
        // Identical vectors are at distance exactly 0; a zero vector has dot 0.
        BOOST_TEST(set.l2_squared(v.data(), v.data(), n) == 0.0f);
        BOOST_TEST(set.dot(v.data(), zero.data(), n) == 0.0f);
        BOOST_TEST(set.dot(zero.data(), v.data(), n) == 0.0f);
        // Small integers: every product and partial sum is exact in float.
        std::vector<float> a(n), b(n);
        double d = 0, l = 0;
        for (std::size_t i = 0; i < n; ++i) {
          a[i] = static_cast<float>(static_cast<int>(i % 7) - 3);
          b[i] = static_cast<float>(static_cast<int>(i % 5) - 2);
          d += static_cast<double>(a[i]) * b[i];
          l += (static_cast<double>(a[i]) - b[i]) * (static_cast<double>(a[i]) - b[i]);
        }
        BOOST_TEST(set.dot(a.data(), b.data(), n) == static_cast<float>(d));
        BOOST_TEST(set.l2_squared(a.data(), b.data(), n) == static_cast<float>(l));
      }
    }
    // n = 0 is an empty sum.
    const float x = 1;
    BOOST_TEST(set.dot(&x, &x, 0) == 0.0f);
    BOOST_TEST(set.l2_squared(&x, &x, 0) == 0.0f);
  }
}

BOOST_AUTO_TEST_CASE(kernels_read_only_n_elements) {
  // Guard values right after the n-th element must not leak into the sum:
  // a tail that over-reads would pick up the huge values.
  std::mt19937 rng(5);
  for (const auto& set : kernels::supported_kernel_sets()) {
    for (std::size_t n : kDims) {
      std::vector<float> a = random_vector(rng, n), b = random_vector(rng, n);
      const double want_dot = dot_ref(a.data(), b.data(), n), want_l2 = l2_ref(a.data(), b.data(), n);
      for (int i = 0; i < 40; ++i) a.push_back(1e30f), b.push_back(-1e30f);
      BOOST_TEST_CONTEXT("n = " << n << ", kernel " << set.name) {
        BOOST_TEST(std::abs(set.dot(a.data(), b.data(), n) - want_dot) <= sum_bound(n, abs_dot_ref(a.data(), b.data(), n)));
        BOOST_TEST(std::abs(set.l2_squared(a.data(), b.data(), n) - want_l2) <= sum_bound(n + 2, want_l2));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(many_kernels_score_each_vector_as_the_single_kernels_do) {
  // count vectors `stride` floats apart (stride > n, as VectorStorage lays
  // them out with link words between), odd and even counts (the pairwise
  // kernel and its leftover), at an unaligned base.
  std::mt19937 rng(19);
  for (const auto& set : kernels::supported_kernel_sets()) {
    for (std::size_t n : kDims) {
      for (std::size_t count : {1u, 2u, 5u, 8u}) {
        const std::size_t stride = n + 3;
        const Unaligned q(random_vector(rng, n)), base(random_vector(rng, count * stride));
        std::vector<float> dots(count), l2s(count);
        set.dot_many(q.p, base.p, count, n, stride, dots.data());
        set.l2_squared_many(q.p, base.p, count, n, stride, l2s.data());
        BOOST_TEST_CONTEXT("n = " << n << ", count " << count << ", kernel " << set.name) {
          for (std::size_t j = 0; j < count; ++j) {
            BOOST_TEST(bits(dots[j]) == bits(set.dot(q.p, base.p + j * stride, n)));
            BOOST_TEST(bits(l2s[j]) == bits(set.l2_squared(q.p, base.p + j * stride, n)));
          }
        }
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(dispatch)

BOOST_AUTO_TEST_CASE(the_dispatch_uses_the_best_set_the_cpu_has) {
  const std::string name = kernels::kernel_name();
  BOOST_TEST_MESSAGE("distance kernels: " << name);
  const auto sets = kernels::supported_kernel_sets();
  BOOST_TEST(std::string(sets.back().name) == "portable");
#if defined(__x86_64__)
  __builtin_cpu_init();
  const bool avx512 = __builtin_cpu_supports("avx512f");
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  // STRATA_VECTOR_KERNEL may pick a lesser set on purpose.
  if (std::getenv("STRATA_VECTOR_KERNEL") == nullptr)
    BOOST_TEST(name == (avx512 ? "avx512f" : avx2 ? "avx2+fma" : "portable"));
  BOOST_TEST(sets.size() == 1u + avx512 + avx2);
#else
  BOOST_TEST(name == "portable");
#endif
  // The dispatched functions are the chosen set's.
  bool found = false;
  for (const auto& set : sets)
    if (name == set.name) {
      found = true;
      BOOST_TEST(kernels::dot_kernel() == set.dot);
      BOOST_TEST(kernels::l2_squared_kernel() == set.l2_squared);
    }
  BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(the_sets_agree_with_each_other) {
  std::mt19937 rng(13);
  const auto sets = kernels::supported_kernel_sets();
  const auto& portable = sets.back();
  for (const auto& set : sets) {
    for (std::size_t n : kDims) {
      for (int trial = 0; trial < 20; ++trial) {
        const Unaligned a(random_vector(rng, n)), b(random_vector(rng, n));
        BOOST_TEST_CONTEXT("n = " << n << ", trial " << trial << ", kernel " << set.name) {
          const float d1 = set.dot(a.p, b.p, n), d2 = portable.dot(a.p, b.p, n);
          const float l1 = set.l2_squared(a.p, b.p, n), l2 = portable.l2_squared(a.p, b.p, n);
          // Both are within the bound of the exact value, so within twice it
          // of each other.
          BOOST_TEST(std::abs(static_cast<double>(d1) - d2) <= 2 * sum_bound(n, abs_dot_ref(a.p, b.p, n)));
          BOOST_TEST(std::abs(static_cast<double>(l1) - l2) <= 2 * sum_bound(n + 2, l2_ref(a.p, b.p, n)));
          // Deterministic: the same input gives the same bits every time.
          BOOST_TEST(bits(set.dot(a.p, b.p, n)) == bits(d1));
          BOOST_TEST(bits(set.l2_squared(a.p, b.p, n)) == bits(l1));
          // Symmetric in its arguments.
          BOOST_TEST(bits(set.l2_squared(b.p, a.p, n)) == bits(l1));
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(normalize_gives_unit_length_and_leaves_zero_alone) {
  std::mt19937 rng(17);
  for (std::size_t n : kDims) {
    BOOST_TEST_CONTEXT("n = " << n) {
      std::vector<float> v = random_vector(rng, n, -50, 50);
      const std::vector<float> original = v;
      kernels::normalize(v.data(), n);
      BOOST_TEST(std::sqrt(dot_ref(v.data(), v.data(), n)) == 1.0, boost::test_tools::tolerance(1e-5));
      // Same direction: cosine with the original is 1.
      const double cos = dot_ref(v.data(), original.data(), n) /
                         std::sqrt(dot_ref(original.data(), original.data(), n));
      BOOST_TEST(cos == 1.0, boost::test_tools::tolerance(1e-5));
      std::vector<float> zero(n, 0.0f);
      kernels::normalize(zero.data(), n);
      BOOST_TEST(std::all_of(zero.begin(), zero.end(), [](float x) { return x == 0.0f && !std::signbit(x); }));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

// ---- the scores a search reports -------------------------------------------------------

BOOST_AUTO_TEST_SUITE(search_scores)

namespace {

double reference_score(Metric m, const std::vector<float>& q, const std::vector<float>& v) {
  const std::size_t n = q.size();
  switch (m) {
    case Metric::Cosine: {
      const double qq = dot_ref(q.data(), q.data(), n), vv = dot_ref(v.data(), v.data(), n);
      if (qq == 0 || vv == 0) return 0;
      return dot_ref(q.data(), v.data(), n) / std::sqrt(qq * vv);
    }
    case Metric::Euclidean: return -std::sqrt(l2_ref(q.data(), v.data(), n));
    case Metric::DotProduct: return dot_ref(q.data(), v.data(), n);
  }
  return 0;
}

/// How far a float score may be from the reference: both vectors (cosine:
/// after normalizing each in float) go through one float sum.
double score_bound(Metric m, const std::vector<float>& q, const std::vector<float>& v) {
  const std::size_t n = q.size();
  switch (m) {
    case Metric::Cosine: return 4 * (static_cast<double>(n) + 8) * kU + 1e-7;  // unit vectors: Σ|qᵢvᵢ| ≤ 1
    case Metric::Euclidean: {
      const double l2 = l2_ref(q.data(), v.data(), n);
      // Relative error of the squared distance halves under the square root.
      return sum_bound(n + 2, l2) / (2 * std::sqrt(std::max(l2, 1e-30))) + 1e-6 * std::sqrt(l2) + 1e-7;
    }
    case Metric::DotProduct: return sum_bound(n, abs_dot_ref(q.data(), v.data(), n)) + 1e-7;
  }
  return 0;
}

const char* metric_tag(Metric m) { return m == Metric::Cosine ? "cos" : m == Metric::Euclidean ? "l2" : "dot"; }

}  // namespace

BOOST_FIXTURE_TEST_CASE(exact_searches_score_each_metric_by_its_formula, test::DbFixture) {
  std::mt19937 rng(23);
  for (Metric metric : {Metric::Cosine, Metric::Euclidean, Metric::DotProduct}) {
    for (std::size_t n : kDims) {
      BOOST_TEST_CONTEXT(metric_tag(metric) << ", n = " << n) {
        const std::string name = std::string(metric_tag(metric)) + std::to_string(n);
        db.vector_create_collection(name, n, metric);
        std::map<std::string, std::vector<float>> stored;
        std::vector<VectorRecord> batch;
        for (int i = 0; i < 40; ++i) {
          const std::string key = "v" + std::to_string(100 + i);
          stored[key] = random_vector(rng, n, -2, 2);
          batch.push_back({key, stored[key], {}});
        }
        stored["zero"] = std::vector<float>(n, 0.0f);
        batch.push_back({"zero", stored["zero"], {}});
        db.vector_upsert_batch(name, batch);
        for (int trial = 0; trial < 3; ++trial) {
          const std::vector<float> q = random_vector(rng, n, -2, 2);
          for (bool indexed : {false, true}) {
            // Before the indexer ran, the search scores the queued vectors
            // from the stored data; afterwards from the index. Same formula.
            if (indexed) db.vector_wait_indexed();
            const auto got = db.vector_search(name, q, 100, exact_search());
            BOOST_TEST_REQUIRE(got.size() == stored.size());
            for (std::size_t i = 0; i < got.size(); ++i) {
              const auto& v = stored.at(got[i].key);
              BOOST_TEST(std::abs(got[i].score - reference_score(metric, q, v)) <= score_bound(metric, q, v),
                         got[i].key << ": score " << got[i].score << ", reference " << reference_score(metric, q, v));
              if (i > 0) BOOST_TEST(got[i - 1].score >= got[i].score, "not best first at " << i);
            }
            if (metric == Metric::Cosine) {
              const auto zero = std::find_if(got.begin(), got.end(), [](const VectorMatch& m) { return m.key == "zero"; });
              BOOST_TEST_REQUIRE((zero != got.end()));
              BOOST_TEST(zero->score == 0.0f);  // a zero vector scores 0
            }
          }
          // The stored vector itself as the query: cosine 1, euclidean 0.
          const auto self = db.vector_search(name, stored.at("v100"), 1, exact_search());
          BOOST_TEST_REQUIRE(self.size() == 1u);
          if (metric == Metric::Cosine) {
            BOOST_TEST(self[0].key == "v100");
            BOOST_TEST(self[0].score == 1.0f, boost::test_tools::tolerance(1e-5f));
          } else if (metric == Metric::Euclidean) {
            BOOST_TEST(self[0].key == "v100");
            BOOST_TEST(self[0].score == 0.0f);
          }
        }
      }
    }
  }
}

BOOST_FIXTURE_TEST_CASE(a_zero_query_scores_everything_0_under_cosine_ties_by_key, test::DbFixture) {
  db.vector_create_collection("c", 7, Metric::Cosine);
  std::mt19937 rng(29);
  std::vector<VectorRecord> batch;
  for (const char* key : {"d", "b", "e", "a", "c"}) batch.push_back({key, random_vector(rng, 7), {}});
  db.vector_upsert_batch("c", batch);
  for (bool exact : {true, false}) {
    const auto got = db.vector_search("c", std::vector<float>(7, 0.0f), 5, exact_search(exact));
    BOOST_TEST_REQUIRE(got.size() == 5u);
    std::vector<std::string> keys;
    for (const auto& m : got) {
      keys.push_back(m.key);
      BOOST_TEST(m.score == 0.0f);
    }
    BOOST_TEST(keys == (std::vector<std::string>{"a", "b", "c", "d", "e"}), boost::test_tools::per_element());
  }
}

BOOST_FIXTURE_TEST_CASE(extreme_components_follow_the_formulas, test::DbFixture) {
  // Huge, tiny and subnormal components (all finite, so all valid): the
  // formulas hold wherever the true score is representable, and cosine
  // stays in [-1, 1] — the length of a vector whose squared components
  // overflow or underflow a float is still its length.
  db.vector_create_collection("l2", 3, Metric::Euclidean);
  db.vector_create_collection("dot", 3, Metric::DotProduct);
  db.vector_create_collection("cos", 3, Metric::Cosine);
  const std::map<std::string, std::vector<float>> vectors{{"big", {1e18f, -1e18f, 1e18f}},
                                                          {"huge", {3e37f, 0, 0}},
                                                          {"tiny", {1e-30f, 0, -1e-30f}},
                                                          {"subnormal", {FLT_TRUE_MIN, 0, 0}},
                                                          {"unit", {1, 0, 0}}};
  std::vector<VectorRecord> batch;
  for (const auto& [k, v] : vectors) batch.push_back({k, v, {}});
  for (const char* c : {"l2", "dot", "cos"}) db.vector_upsert_batch(c, batch);
  const std::vector<float> q{1, 0, 0};
  const auto l2 = db.vector_search("l2", q, 5, exact_search());
  BOOST_TEST_REQUIRE(l2.size() == 5u);
  BOOST_TEST(l2[0].score == 0.0f);  // "unit" (or "subnormal"/"tiny", at distance 1 - ε)
  // ‖q − v‖² of "huge" overflows a float (the kernels sum squares in
  // float): its score is −inf rather than −3e37, but it still ranks last.
  BOOST_TEST(l2[4].key == "huge");
  BOOST_TEST(l2[4].score < -1e19f);
  BOOST_TEST(l2[3].key == "big");
  BOOST_TEST(l2[3].score == static_cast<float>(-std::sqrt(3.0) * 1e18), boost::test_tools::tolerance(1e-5f));
  const auto dot = db.vector_search("dot", q, 5, exact_search());
  BOOST_TEST_REQUIRE(dot.size() == 5u);
  BOOST_TEST(dot[0].key == "huge");
  BOOST_TEST(dot[0].score == 3e37f, boost::test_tools::tolerance(1e-6f));
  for (bool indexed : {false, true}) {
    if (indexed) db.vector_wait_indexed();
    BOOST_TEST_CONTEXT((indexed ? "indexed" : "queued")) {
      const auto cos = db.vector_search("cos", q, 5, exact_search());
      BOOST_TEST_REQUIRE(cos.size() == 5u);
      for (const auto& m : cos) {
        BOOST_TEST((m.score >= -1.0f && m.score <= 1.0f), m.key << " scores " << m.score);
        BOOST_TEST_CONTEXT(m.key << " scores " << m.score) {
          BOOST_TEST(m.score == reference_score(Metric::Cosine, q, vectors.at(m.key)), boost::test_tools::tolerance(1e-5));
        }
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
