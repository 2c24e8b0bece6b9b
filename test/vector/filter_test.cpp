// Metadata filters of vector searches (src/vector/filter.hpp, docs/guides/vectors.md "Filters"):
//  * every operator — plain equality, $eq $ne $gt $gte $lt $lte $in
//    $contains, $and $or $not, several conditions at once — on Ints,
//    Floats, Strings, Bools, Nulls, Arrays and Objects, with missing fields
//    and metadata that is absent or not an Object. Each case is checked
//    twice: on the compiled Filter directly, and end to end as the exact set
//    of keys a search (exact and through the graph) returns;
//  * fields are top-level members only ("a.b" is a literal name);
//  * hostile filters through the public API, on every front end: not an
//    Object, unknown operators, wrong operand kinds, empty $and/$or, mixed
//    members, empty field names, 1,000 levels of $not / $and / $or, more
//    than 1,024 conditions — each is errc::invalid_filter with a message
//    naming the problem, and changes nothing; a huge $in list and a deep
//    operand are not errors and match exactly.
#define BOOST_TEST_MODULE vector_filter
#include "support/frontends.hpp"

#include "vector/filter.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace strata;
using strata::test::Api;
using strata::test::check_fails;
using strata::test::ok;

namespace {

using Keys = std::vector<std::string>;

const std::vector<float> kQ{1, 0};  // every corpus vector is {1, 0}

Value obj(std::initializer_list<std::pair<const std::string, Value>> m) { return Value::object(m); }
Value arr(std::initializer_list<Value> items) { return Value::array(items); }
Value json(std::string_view text) { return Value::parse_json(text); }

/// The metadata of the test collection, by key. "none" has no metadata;
/// "scalar" and "list" have metadata that is not an Object (no fields).
const std::map<std::string, std::optional<Value>>& corpus() {
  static const std::map<std::string, std::optional<Value>> c{
      {"i1", json(R"({"n": 1, "s": "apple", "b": true, "f": 1.5, "tags": ["x", "y"], "nested": {"a": 1}})")},
      {"i2", json(R"({"n": 2, "s": "banana", "b": false, "f": 2.0, "tags": ["y"], "nested": {"a": 2}})")},
      {"i3", json(R"({"n": 3, "s": "cherry", "f": -0.5, "tags": [], "a.b": 7, "nested": {"a": 1, "b": 2}})")},
      {"neg", json(R"({"n": -5, "s": "", "big": 9007199254740993, "tags": [["y"], 1]})")},
      {"str_n", json(R"({"n": "3", "s": "Apple", "f": "1.5"})")},
      {"null_n", json(R"({"n": null, "s": null})")},
      {"float_n", json(R"({"n": 2.0, "f": 1})")},
      {"none", std::nullopt},
      {"scalar", Value(42)},
      {"list", json(R"(["n", 1])")},
  };
  return c;
}

Keys all_keys() {
  Keys k;
  for (const auto& [key, meta] : corpus()) k.push_back(key);
  return k;
}

/// All keys but `except`, in key order.
Keys all_but(std::initializer_list<const char*> except) {
  Keys k;
  for (const auto& [key, meta] : corpus())
    if (std::none_of(except.begin(), except.end(), [&](const char* e) { return key == e; })) k.push_back(key);
  return k;
}

struct Case {
  std::string name;
  Value filter;
  Keys expected;  // in key order
};

/// Every operator, on every kind of field. Expected keys are in key order.
std::vector<Case> cases() {
  return {
      // ---- plain equality (Value equality: kinds must match) ----
      {"int equality", obj({{"n", 1}}), {"i1"}},
      {"int equality does not match a Float or a String", obj({{"n", 3}}), {"i3"}},
      {"float equality does not match an Int", obj({{"n", 2.0}}), {"float_n"}},
      {"float field", obj({{"f", 1.5}}), {"i1"}},
      {"string equality is case-sensitive", obj({{"s", "apple"}}), {"i1"}},
      {"empty string", obj({{"s", ""}}), {"neg"}},
      {"bool true", obj({{"b", true}}), {"i1"}},
      {"bool false", obj({{"b", false}}), {"i2"}},
      {"null equality matches a Null, not a missing field", obj({{"n", nullptr}}), {"null_n"}},
      {"array equality is ordered", obj({{"tags", arr({"x", "y"})}}), {"i1"}},
      {"array in another order", obj({{"tags", arr({"y", "x"})}}), {}},
      {"empty array", obj({{"tags", Value(Array{})}}), {"i3"}},
      {"object equality is exact", obj({{"nested", obj({{"a", 1}})}}), {"i1"}},
      {"an empty operand Object is equality with {}", obj({{"nested", Value(Object{})}}), {}},
      {"missing field", obj({{"missing", 1}}), {}},
      {"two conditions, both required", obj({{"b", true}, {"n", 1}}), {"i1"}},
      {"two conditions, one fails", obj({{"b", true}, {"n", 2}}), {}},
      // ---- $eq ----
      {"$eq", obj({{"n", obj({{"$eq", 2}})}}), {"i2"}},
      {"$eq compares with an Object of $ members", obj({{"nested", obj({{"$eq", obj({{"a", 2}})}})}}), {"i2"}},
      {"$eq null", obj({{"s", obj({{"$eq", nullptr}})}}), {"null_n"}},
      // ---- $ne: a missing field matches ----
      {"$ne", obj({{"n", obj({{"$ne", 1}})}}), all_but({"i1"})},
      {"$ne string", obj({{"s", obj({{"$ne", "apple"}})}}), all_but({"i1"})},
      {"$ne keeps kinds apart", obj({{"n", obj({{"$ne", 2}})}}), all_but({"i2"})},
      {"$ne on a missing field matches everything", obj({{"missing", obj({{"$ne", 0}})}}), all_keys()},
      // ---- ordering: numbers numerically (Int with Float), Strings by bytes ----
      {"$gt int", obj({{"n", obj({{"$gt", 1}})}}), {"float_n", "i2", "i3"}},
      {"$gt float operand against Int fields", obj({{"n", obj({{"$gt", 1.5}})}}), {"float_n", "i2", "i3"}},
      {"$gte", obj({{"n", obj({{"$gte", 2}})}}), {"float_n", "i2", "i3"}},
      {"$lt", obj({{"n", obj({{"$lt", 2}})}}), {"i1", "neg"}},
      {"$lte", obj({{"n", obj({{"$lte", -5}})}}), {"neg"}},
      {"$lte float", obj({{"n", obj({{"$lte", 2.0}})}}), {"float_n", "i1", "i2", "neg"}},
      {"$gt int operand against Float fields", obj({{"f", obj({{"$gt", 1}})}}), {"i1", "i2"}},
      {"$gte equal Int and Float", obj({{"f", obj({{"$gte", 2}})}}), {"i2"}},
      {"a range", obj({{"n", obj({{"$gt", 1}, {"$lt", 3}})}}), {"float_n", "i2"}},
      {"an empty range", obj({{"n", obj({{"$gt", 2}, {"$lt", 2}})}}), {}},
      {"large Ints compare exactly", obj({{"big", obj({{"$gt", std::int64_t{9007199254740992}}})}}), {"neg"}},
      {"strings by bytes", obj({{"s", obj({{"$gt", "b"}})}}), {"i2", "i3"}},
      {"uppercase sorts before lowercase", obj({{"s", obj({{"$lt", "apple"}})}}), {"neg", "str_n"}},
      {"$lte string", obj({{"s", obj({{"$lte", "apple"}})}}), {"i1", "neg", "str_n"}},
      {"a number never orders against a String", obj({{"s", obj({{"$gt", 0}})}}), {}},
      {"a String never orders against a number", obj({{"n", obj({{"$lt", "zzz"}})}}), {"str_n"}},
      {"Null never orders", obj({{"n", obj({{"$lte", 1000}})}}), {"float_n", "i1", "i2", "i3", "neg"}},
      {"Bools and Arrays never order", obj({{"b", obj({{"$gte", 0}})}}), {}},
      {"ordering on a missing field", obj({{"missing", obj({{"$gt", -1000}})}}), {}},
      // ---- $in ----
      {"$in ints", obj({{"n", obj({{"$in", arr({1, 3})}})}}), {"i1", "i3"}},
      {"$in keeps kinds apart", obj({{"n", obj({{"$in", arr({2.0, "3"})}})}}), {"float_n", "str_n"}},
      {"$in strings", obj({{"s", obj({{"$in", arr({"apple", "cherry", "zzz"})}})}}), {"i1", "i3"}},
      {"$in an empty Array matches nothing", obj({{"n", obj({{"$in", Value(Array{})}})}}), {}},
      {"$in with Arrays compares whole values", obj({{"tags", obj({{"$in", arr({arr({"y"}), arr({})})}})}}), {"i2", "i3"}},
      {"$in with null", obj({{"n", obj({{"$in", arr({nullptr})}})}}), {"null_n"}},
      {"$in on a missing field", obj({{"missing", obj({{"$in", arr({nullptr, 1})}})}}), {}},
      {"$in and $ne together", obj({{"n", obj({{"$in", arr({1, 2, 3})}, {"$ne", 2}})}}), {"i1", "i3"}},
      // ---- $contains ----
      {"$contains an Array element", obj({{"tags", obj({{"$contains", "y"}})}}), {"i1", "i2"}},
      {"$contains an absent element", obj({{"tags", obj({{"$contains", "z"}})}}), {}},
      {"$contains an Array element that is an Array", obj({{"tags", obj({{"$contains", arr({"y"})}})}}), {"neg"}},
      {"$contains keeps kinds apart", obj({{"tags", obj({{"$contains", 1.0}})}}), {}},
      {"$contains an Int element", obj({{"tags", obj({{"$contains", 1}})}}), {"neg"}},
      {"$contains a substring", obj({{"s", obj({{"$contains", "an"}})}}), {"i2"}},
      {"$contains is case-sensitive", obj({{"s", obj({{"$contains", "App"}})}}), {"str_n"}},
      {"$contains the empty String", obj({{"s", obj({{"$contains", ""}})}}), {"i1", "i2", "i3", "neg", "str_n"}},
      {"$contains a number in a String", obj({{"s", obj({{"$contains", 1}})}}), {}},
      {"$contains on a scalar field", obj({{"n", obj({{"$contains", 1}})}}), {}},
      {"$contains on a missing field", obj({{"missing", obj({{"$contains", "x"}})}}), {}},
      // ---- fields are top-level members; no paths ----
      {"a dotted name is a literal member", obj({{"a.b", 7}}), {"i3"}},
      {"no path into nested Objects", obj({{"nested.a", 1}}), {}},
      {"a nested Object compares whole", obj({{"nested", obj({{"a", 1}, {"b", 2}})}}), {"i3"}},
      // ---- $and $or $not ----
      {"$and", obj({{"$and", arr({obj({{"n", obj({{"$gte", 1}})}}), obj({{"b", true}})})}}), {"i1"}},
      {"$and of one", obj({{"$and", arr({obj({{"n", 3}})})}}), {"i3"}},
      {"$or", obj({{"$or", arr({obj({{"n", 1}}), obj({{"s", "cherry"}})})}}), {"i1", "i3"}},
      {"$or with nothing matching", obj({{"$or", arr({obj({{"n", 100}}), obj({{"missing", 1}})})}}), {}},
      {"$not", obj({{"$not", obj({{"n", 1}})}}), all_but({"i1"})},
      {"$not matches a missing field", obj({{"$not", obj({{"missing", 1}})}}), all_keys()},
      {"$not of two conditions", obj({{"$not", obj({{"n", obj({{"$gt", 0}})}, {"b", false}})}}), all_but({"i2"})},
      {"$not of {} matches nothing", obj({{"$not", Value(Object{})}}), {}},
      {"$not $not", obj({{"$not", obj({{"$not", obj({{"b", true}})}})}}), {"i1"}},
      {"a field and $or", obj({{"tags", obj({{"$contains", "y"}})}, {"$or", arr({obj({{"n", 2}}), obj({{"n", 3}})})}}),
       {"i2"}},
      {"$or inside $and inside $not",
       obj({{"$not", obj({{"$and", arr({obj({{"$or", arr({obj({{"n", 1}}), obj({{"n", 2}})})}}),
                                        obj({{"f", obj({{"$gt", 1}})}})})}})}}),
       all_but({"i1", "i2"})},
      {"a fact not tagged y", obj({{"s", obj({{"$ne", nullptr}})}, {"$not", obj({{"tags", obj({{"$contains", "y"}})}})}}),
       all_but({"i1", "i2", "null_n"})},
      // ---- no filter ----
      {"{} matches everything", Value(Object{}), all_keys()},
  };
}

bool matches(const vector::Filter& f, const std::optional<Value>& meta) { return f.matches(meta ? &*meta : nullptr); }

/// One collection holding the corpus, all at the same point so that score
/// ties come back by key.
void load_corpus(Strata& db, const std::string& name, const CollectionOptions& options = {}) {
  db.vector_create_collection(name, 2, Metric::DotProduct, options);
  std::vector<VectorRecord> batch;
  for (const auto& [key, meta] : corpus()) batch.push_back({key, {1, 0}, meta});
  db.vector_upsert_batch(name, batch);
}

Keys keys_of(const std::vector<VectorMatch>& m) {
  Keys k;
  for (const auto& x : m) k.push_back(x.key);
  return k;
}

VectorSearchOptions with_filter(Value f, bool exact = false) {
  VectorSearchOptions o;
  o.filter = std::move(f);
  o.exact = exact;
  return o;
}

/// How deep the deep filters and operands go: far past every limit (filters
/// 32 levels, metadata 128), and not so deep that the test's own copies of
/// them overflow the stack under ASan (10,000 levels did).
constexpr std::size_t kDeepOperand = 1000;

/// {"$not": {"$not": ... {"n": 1} ...}} with `depth` $nots.
Value deep_not(std::size_t depth) {
  Value v = obj({{"n", 1}});
  for (std::size_t i = 0; i < depth; ++i) {
    Object o;  // not Object{{...}}: an initializer_list would copy the whole inner value each level
    o.emplace("$not", std::move(v));
    v = Value(std::move(o));
  }
  return v;
}
/// {"$and": [{"$and": [ ... ]}]} (or $or).
Value deep_logical(const char* op, std::size_t depth) {
  Value v = obj({{"n", 1}});
  for (std::size_t i = 0; i < depth; ++i) {
    Array a;
    a.push_back(std::move(v));
    Object o;
    o.emplace(op, Value(std::move(a)));
    v = Value(std::move(o));
  }
  return v;
}
/// Arrays nested `depth` levels around an Int, built by moves (linear time).
Value deep_array(std::size_t depth) {
  Value v = 1;
  for (std::size_t i = 0; i < depth; ++i) {
    Array a;
    a.push_back(std::move(v));
    v = Value(std::move(a));
  }
  return v;
}

}  // namespace

// ---- semantics -------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(semantics)

BOOST_AUTO_TEST_CASE(every_operator_on_the_compiled_filter) {
  for (const Case& c : cases()) {
    BOOST_TEST_CONTEXT(c.name << ": " << c.filter) {
      vector::Filter f;
      std::string detail;
      BOOST_TEST_REQUIRE(!vector::Filter::compile(c.filter, f, &detail), detail);
      Keys got;
      for (const auto& [key, meta] : corpus())
        if (matches(f, meta)) got.push_back(key);
      BOOST_TEST(got == c.expected, boost::test_tools::per_element());
    }
  }
}

BOOST_FIXTURE_TEST_CASE(every_operator_through_search, test::DbFixture) {
  // Every vector at the same point, so the result is the set of matches in
  // key order. Before the indexer ran, a search scores the queued vectors
  // from the stored data (their metadata read there); afterwards from the
  // index's copy. Both must filter alike.
  load_corpus(db, "flat");
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) db.vector_wait_indexed();
    for (const Case& c : cases()) {
      BOOST_TEST_CONTEXT((pass == 0 ? "queued, " : "indexed, ") << c.name << ": " << c.filter) {
        for (bool exact : {true, false}) {
          const auto got = db.vector_search("flat", kQ, 100, with_filter(c.filter, exact));
          BOOST_TEST(keys_of(got) == c.expected, boost::test_tools::per_element());
          for (const auto& m : got) BOOST_TEST((m.metadata == corpus().at(m.key)), m.key);  // with their metadata
          // k smaller than the match count: the first k of them.
          if (c.expected.size() > 2) {
            const auto two = db.vector_search("flat", kQ, 2, with_filter(c.filter, exact));
            BOOST_TEST(keys_of(two) == Keys(c.expected.begin(), c.expected.begin() + 2), boost::test_tools::per_element());
          }
        }
      }
    }
  }
}

BOOST_FIXTURE_TEST_CASE(filters_walking_the_graph_return_only_matches_and_never_come_back_short, test::DbFixture) {
  // 6,000 vectors above an HNSW threshold of 500: loose filters (at least
  // 2,000 expected matches) walk the graph, selective ones scan exactly.
  // Either way every match satisfies the filter and a search returns k
  // whenever k matches exist.
  constexpr int kN = 6000;
  db.vector_create_collection("g", 8, Metric::Euclidean,
                              CollectionOptions{.hnsw_threshold = 500, .m = 8, .ef_construction = 32, .ef_search = 32});
  std::mt19937 rng(31);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<VectorRecord> batch;
  for (int i = 0; i < kN; ++i) {
    std::vector<float> v(8);
    for (auto& x : v) x = u(rng);
    Object meta{{"g", Value(i % 4)}, {"name", Value("n" + std::to_string(i))}};
    if (i % 3 == 0) meta["tags"] = arr({"third", i % 2 == 0 ? "even" : "odd"});
    batch.push_back({"v" + std::to_string(i), v, i % 10 == 9 ? std::nullopt : std::optional(Value(std::move(meta)))});
    if (batch.size() == 1000) db.vector_upsert_batch("g", batch), batch.clear();
  }
  db.vector_wait_indexed();
  BOOST_TEST_REQUIRE(db.vector_collection_info("g").index == "hnsw");
  const std::vector<std::pair<Value, std::size_t>> filters{
      // filter, how many vectors match it
      {obj({{"g", obj({{"$ne", 0}})}}), 4500},  // 3/4 of the 5,400 with metadata, and the 600 without
      {obj({{"g", obj({{"$in", arr({1, 2})}})}}), 2700},
      {obj({{"$not", obj({{"tags", obj({{"$contains", "odd"}})}})}}), 5200},
      {obj({{"$or", arr({obj({{"g", 3}}), obj({{"tags", obj({{"$contains", "third"}})}})})}}), 2600},
      {obj({{"g", obj({{"$gte", 2}})}, {"tags", obj({{"$contains", "even"}})}}), 500},  // selective: exact scan
      {obj({{"name", "n17"}}), 1},
  };
  for (const auto& [f, matching] : filters) {
    vector::Filter compiled;
    std::string detail;
    BOOST_TEST_REQUIRE(!vector::Filter::compile(f, compiled, &detail), detail);
    BOOST_TEST_CONTEXT(f) {
      for (int q = 0; q < 5; ++q) {
        std::vector<float> query(8);
        for (auto& x : query) x = u(rng);
        const auto got = db.vector_search("g", query, 10, with_filter(f));
        BOOST_TEST(got.size() == std::min<std::size_t>(10, matching));
        for (const auto& m : got) BOOST_TEST(matches(compiled, m.metadata), m.key << " does not satisfy the filter");
        // The best match is the exact one whenever the walk found it (always
        // for the exact scans); the set is within the exact top-10 mostly.
        const auto exact = db.vector_search("g", query, 10, with_filter(f, true));
        BOOST_TEST_REQUIRE(exact.size() == got.size());
        for (const auto& m : exact) BOOST_TEST(matches(compiled, m.metadata), m.key);
        std::set<std::string> want;
        for (const auto& m : exact) want.insert(m.key);
        std::size_t hits = 0;
        for (const auto& m : got) hits += want.count(m.key);
        BOOST_TEST(hits * 10 >= got.size() * 7, hits << " of " << got.size() << " in the exact top-k");
      }
    }
  }
}

BOOST_FIXTURE_TEST_CASE(a_huge_in_list_is_not_an_error_and_matches_exactly, test::DbFixture) {
  // $in is one condition whatever its length (the 1,024 limit counts
  // conditions): 100,000 options, a few of which match.
  db.vector_create_collection("c", 2, Metric::DotProduct);
  std::vector<VectorRecord> batch;
  for (int i = 0; i < 500; ++i)
    batch.push_back({"k" + std::to_string(i), {1, 0}, obj({{"id", "doc-" + std::to_string(i)}})});
  db.vector_upsert_batch("c", batch);
  Array options;
  for (int i = 0; i < 100000; ++i) options.emplace_back("other-" + std::to_string(i));
  for (int i : {7, 123, 499}) options.emplace_back("doc-" + std::to_string(i));
  const Value filter = obj({{"id", obj({{"$in", Value(std::move(options))}})}});
  const auto start = std::chrono::steady_clock::now();
  const auto got = db.vector_search("c", kQ, 10, with_filter(filter, true));
  const auto took = std::chrono::steady_clock::now() - start;
  BOOST_TEST(keys_of(got) == (Keys{"k123", "k499", "k7"}), boost::test_tools::per_element());
  BOOST_TEST_MESSAGE("100,000-option $in over 500 vectors: "
                     << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
}

BOOST_FIXTURE_TEST_CASE(a_deep_operand_is_compared_not_parsed, test::DbFixture) {
  // Nesting limits apply to the filter's structure ($and/$or/$not), not to
  // the values it compares with: an operand far deeper than any metadata is
  // fine (no metadata can equal it, metadata nests at most 128 levels) and
  // does not recurse the compiler (kDeepOperand levels).
  db.vector_create_collection("c", 2, Metric::DotProduct);
  db.vector_upsert("c", "shallow", std::vector<float>{1, 0}, obj({{"f", deep_array(3)}}));
  // The deepest metadata allowed: the Object is one level, its member 127.
  db.vector_upsert("c", "deepest", std::vector<float>{1, 0}, obj({{"f", deep_array(kMaxNestingDepth - 1)}}));
  BOOST_TEST(keys_of(db.vector_search("c", kQ, 5, with_filter(obj({{"f", deep_array(kDeepOperand)}})))).empty());
  BOOST_TEST(keys_of(db.vector_search("c", kQ, 5, with_filter(obj({{"f", deep_array(3)}})))) ==
             Keys{"shallow"});
  BOOST_TEST(keys_of(db.vector_search("c", kQ, 5,
                                      with_filter(obj({{"f", obj({{"$in", arr({deep_array(kDeepOperand),
                                                                                deep_array(kMaxNestingDepth - 1)})}})}})))) ==
             Keys{"deepest"});
}

BOOST_AUTO_TEST_CASE(limits_are_exactly_where_documented) {
  vector::Filter f;
  std::string detail;
  // The filter itself is level 1; each $not adds one: 31 $nots are 32 levels.
  BOOST_TEST(!vector::Filter::compile(deep_not(vector::kMaxFilterDepth - 1), f, &detail), detail);
  BOOST_TEST(f.matches(nullptr) == ((vector::kMaxFilterDepth - 1) % 2 == 1));  // an odd number of $not over a miss
  BOOST_TEST(vector::Filter::compile(deep_not(vector::kMaxFilterDepth), f, &detail) ==
             make_error_code(errc::invalid_filter));
  BOOST_TEST(!vector::Filter::compile(deep_logical("$and", vector::kMaxFilterDepth - 1), f, &detail), detail);
  BOOST_TEST(vector::Filter::compile(deep_logical("$or", vector::kMaxFilterDepth), f, &detail) ==
             make_error_code(errc::invalid_filter));
  // 1,024 conditions are fine, 1,025 are not (fields, operators and $or
  // branches all count).
  auto fields = [](std::size_t n) {
    Object o;
    for (std::size_t i = 0; i < n; ++i) o["f" + std::to_string(i)] = Value(obj({{"$ne", 1}}));
    return Value(std::move(o));
  };
  BOOST_TEST(!vector::Filter::compile(fields(vector::kMaxFilterConditions), f, &detail), detail);
  BOOST_TEST(f.matches(nullptr));
  BOOST_TEST(vector::Filter::compile(fields(vector::kMaxFilterConditions + 1), f, &detail) ==
             make_error_code(errc::invalid_filter));
  BOOST_TEST(detail.find("1024") != std::string::npos, detail);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- hostile filters through the public API ---------------------------------------------

BOOST_AUTO_TEST_SUITE(hostile)

namespace {

struct Hostile {
  std::string name;
  Value filter;
  std::vector<std::string> fragments;  // what the message must name
};

std::vector<Hostile> hostile_filters() {
  Array many_or;
  for (int i = 0; i < 2000; ++i) many_or.push_back(obj({{"n", i}}));
  Object many_ops;
  for (int i = 0; i < 1100; ++i) many_ops["f" + std::to_string(i)] = Value(i);
  return {
      // Not an Object.
      {"an Int", Value(1), {"filter", "must be an Object", "Int"}},
      {"a String", Value("n = 1"), {"must be an Object", "String"}},
      {"an Array", arr({obj({{"n", 1}})}), {"must be an Object", "Array"}},
      {"null", Value(), {"must be an Object", "Null"}},
      {"a Bool", Value(true), {"must be an Object", "Bool"}},
      // Unknown operators.
      {"an unknown field operator", obj({{"n", obj({{"$regex", "a.*"}})}}), {"unknown operator", "\"$regex\"", "\"n\""}},
      {"an operator's case matters", obj({{"n", obj({{"$GT", 1}})}}), {"unknown operator", "\"$GT\""}},
      {"an unknown top-level operator", obj({{"$nor", arr({obj({{"n", 1}})})}}), {"unknown operator", "\"$nor\""}},
      {"$not inside a field", obj({{"n", obj({{"$not", obj({{"$eq", 1}})}})}}), {"unknown operator", "\"$not\"", "\"n\""}},
      {"$and inside a field", obj({{"n", obj({{"$and", arr({1})}})}}), {"unknown operator", "\"$and\""}},
      {"an unknown operator next to a known one", obj({{"n", obj({{"$gt", 1}, {"$near", 2}})}}), {"\"$near\""}},
      // Wrong operand kinds.
      {"$in with an Int", obj({{"n", obj({{"$in", 1}})}}), {"$in", "\"n\"", "Array"}},
      {"$in with an Object", obj({{"n", obj({{"$in", obj({{"a", 1}})}})}}), {"$in", "Array"}},
      {"$in with a String", obj({{"s", obj({{"$in", "apple"}})}}), {"$in", "\"s\"", "Array"}},
      {"$gt with an Object", obj({{"n", obj({{"$gt", obj({{"a", 1}})}})}}), {"$gt", "\"n\"", "number or a String", "Object"}},
      {"$gte with an Array", obj({{"n", obj({{"$gte", arr({1})}})}}), {"$gte", "Array"}},
      {"$lt with a Bool", obj({{"n", obj({{"$lt", true}})}}), {"$lt", "Bool"}},
      {"$lte with null", obj({{"n", obj({{"$lte", nullptr}})}}), {"$lte", "Null"}},
      {"$and with an Object", obj({{"$and", obj({{"n", 1}})}}), {"$and", "non-empty Array"}},
      {"$or with a String", obj({{"$or", "n"}}), {"$or", "non-empty Array"}},
      {"$and with a non-Object element", obj({{"$and", arr({obj({{"n", 1}}), 2})}}), {"must be an Object", "Int"}},
      {"$not with an Array", obj({{"$not", arr({obj({{"n", 1}})})}}), {"must be an Object", "Array"}},
      {"$not with an Int", obj({{"$not", 1}}), {"must be an Object", "Int"}},
      // Empty where something is needed.
      {"an empty $and", obj({{"$and", Value(Array{})}}), {"$and", "non-empty Array"}},
      {"an empty $or", obj({{"$or", Value(Array{})}}), {"$or", "non-empty Array"}},
      {"an empty field name", obj({{"", 1}}), {"field name", "empty"}},
      {"operators mixed with members", obj({{"n", obj({{"$gt", 1}, {"x", 2}})}}), {"\"n\"", "mixes operators and plain members"}},
      // Too deep, too many.
      // The compiler stops at the limit whatever the depth (kDeepOperand).
      {"1,000 levels of $not", deep_not(kDeepOperand), {"nests deeper than 32 levels"}},
      {"1,000 levels of $and", deep_logical("$and", kDeepOperand), {"nests deeper than 32 levels"}},
      {"1,000 levels of $or", deep_logical("$or", kDeepOperand), {"nests deeper than 32 levels"}},
      {"33 levels", deep_not(vector::kMaxFilterDepth), {"nests deeper than 32 levels"}},
      {"a bad operator below the depth limit", obj({{"$not", obj({{"$or", arr({obj({{"n", obj({{"$bad", 1}})}})})}})}}),
       {"\"$bad\""}},
      {"2,000 $or branches", obj({{"$or", Value(std::move(many_or))}}), {"more than 1024 conditions"}},
      {"1,100 fields", Value(std::move(many_ops)), {"more than 1024 conditions"}},
  };
}

}  // namespace

STRATA_FRONTEND_TEST(every_hostile_filter_is_invalid_filter_names_the_problem_and_changes_nothing) {
  Api api(db, front);
  load_corpus(db, "c");
  const Version before = visible();
  const auto count = db.vector_collection_info("c").count;
  for (const Hostile& h : hostile_filters()) {
    BOOST_TEST_CONTEXT(h.name) {
      const std::string what = check_fails(api.vector_search("c", {1, 0}, 5, with_filter(h.filter)), errc::invalid_filter,
                                           h.fragments);
      BOOST_TEST(what.find("filter") != std::string::npos, what);
      // The exact path refuses it the same way (the filter is compiled first).
      check_fails(api.vector_search("c", {1, 0}, 5, with_filter(h.filter, true)), errc::invalid_filter, h.fragments);
    }
  }
  // Nothing changed, and the database still answers good filters.
  BOOST_TEST(visible() == before);
  BOOST_TEST(db.vector_collection_info("c").count == count);
  BOOST_TEST(keys_of(ok(api.vector_search("c", {1, 0}, 5, with_filter(obj({{"n", 1}}))))) == Keys{"i1"});
}

STRATA_FRONTEND_TEST(a_filter_is_checked_before_the_collection_and_the_query) {
  // An invalid filter is invalid whatever else is wrong, and an invalid
  // filter on a valid search never touches the data.
  Api api(db, front);
  check_fails(api.vector_search("no-such", {1, 0}, 5, with_filter(Value(1))), errc::invalid_filter, {"Object"});
  load_corpus(db, "c");
  check_fails(api.vector_search("c", {1, 0}, 5, with_filter(deep_not(kDeepOperand))), errc::invalid_filter, {"32 levels"});
  check_fails(api.vector_search("c", {1, 0, 0}, 5, with_filter(obj({{"n", 1}}))), errc::dimension_mismatch);
  check_fails(api.vector_search("no-such", {1, 0}, 5, with_filter(obj({{"n", 1}}))), errc::collection_not_found);
}

BOOST_AUTO_TEST_SUITE_END()
