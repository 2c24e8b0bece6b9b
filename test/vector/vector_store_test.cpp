// The vector store through every front end (support/frontends.hpp):
// collections (create, list, info, drop, names, dimensions, options),
// upsert/get/delete/batch, search semantics per metric, every validation
// error with its code and a message naming the collection/key/limit, run
// isolation, and vector writes atomic with the rest of a transaction.
#define BOOST_TEST_MODULE vector_store
#include "support/frontends.hpp"
#include "support/temp_dir.hpp"

#include <cmath>
#include <limits>

using namespace strata;
using strata::test::Api;
using strata::test::check_fails;
using strata::test::ok;

namespace {

const std::vector<float> kX{1, 0, 0}, kY{0, 1, 0}, kZ{0, 0, 1};

std::vector<std::string> keys_of(const std::vector<VectorMatch>& m) {
  std::vector<std::string> out;
  for (const auto& x : m) out.push_back(x.key);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(collections)

STRATA_FRONTEND_TEST(create_list_info_drop) {
  Api api(db, front);
  const Version v = ok(api.vector_create_collection("mem", 3, Metric::Cosine));
  BOOST_TEST(v > 0u);
  ok(api.vector_create_collection("geo", 2, Metric::Euclidean, CollectionOptions{.hnsw_threshold = 5}));
  const auto all = ok(api.vector_list_collections());
  BOOST_TEST_REQUIRE(all.size() == 2u);
  BOOST_TEST(all[0].name == "geo");
  BOOST_TEST(all[0].options.hnsw_threshold == 5u);
  BOOST_TEST(all[1].name == "mem");
  BOOST_TEST((all[1].metric == Metric::Cosine));
  const CollectionInfo info = ok(api.vector_collection_info("mem"));
  BOOST_TEST(info.dimension == 3u);
  BOOST_TEST(info.count == 0u);
  BOOST_TEST(info.index == "exact");
  ok(api.vector_delete_collection("geo"));
  BOOST_TEST(ok(api.vector_list_collections()).size() == 1u);
  check_fails(api.vector_collection_info("geo"), errc::collection_not_found, {"\"geo\"", "does not exist"});
}

STRATA_FRONTEND_TEST(create_of_an_existing_name_is_collection_exists_and_changes_nothing) {
  Api api(db, front);
  ok(api.vector_create_collection("mem", 3, Metric::Cosine));
  const Version before = visible();
  check_fails(api.vector_create_collection("mem", 4, Metric::DotProduct), errc::collection_exists,
              {"\"mem\"", "already exists"});
  BOOST_TEST(visible() == before);
  BOOST_TEST(ok(api.vector_collection_info("mem")).dimension == 3u);
}

STRATA_FRONTEND_TEST(collection_names_and_dimensions_are_validated) {
  Api api(db, front);
  check_fails(api.vector_create_collection("", 3, Metric::Cosine), errc::invalid_collection_name, {"empty"});
  check_fails(api.vector_create_collection("a/b", 3, Metric::Cosine), errc::invalid_collection_name, {"'/'"});
  check_fails(api.vector_create_collection("_hidden", 3, Metric::Cosine), errc::invalid_collection_name, {"'_'"});
  check_fails(api.vector_create_collection(std::string("n\0ul", 4), 3, Metric::Cosine),
              errc::invalid_collection_name, {"NUL"});
  check_fails(api.vector_create_collection(std::string(257, 'c'), 3, Metric::Cosine), errc::invalid_collection_name,
              {"257 bytes", "256"});
  check_fails(api.vector_create_collection("bad\xff", 3, Metric::Cosine), errc::invalid_collection_name, {"UTF-8"});
  check_fails(api.vector_create_collection("zero", 0, Metric::Cosine), errc::invalid_dimension, {"0", "65536"});
  check_fails(api.vector_create_collection("huge", 65537, Metric::Cosine), errc::invalid_dimension, {"65537"});
  check_fails(api.vector_create_collection("m", 3, Metric::Cosine, CollectionOptions{.m = 1}), errc::invalid_input,
              {"m = 1"});
  ok(api.vector_create_collection(std::string(256, 'c'), 65536, Metric::DotProduct));
  BOOST_TEST(ok(api.vector_list_collections()).size() == 1u);
}

STRATA_FRONTEND_TEST(a_recreated_collection_never_sees_the_old_vectors) {
  Api api(db, front);
  ok(api.vector_create_collection("mem", 3, Metric::Cosine));
  ok(api.vector_upsert("mem", "a", kX));
  ok(api.vector_delete_collection("mem"));
  check_fails(api.vector_get("mem", "a"), errc::collection_not_found);
  ok(api.vector_create_collection("mem", 3, Metric::Cosine));
  BOOST_TEST(!ok(api.vector_get("mem", "a")).has_value());
  BOOST_TEST(ok(api.vector_search("mem", kX, 5)).empty());
  db.database();  // the old vectors are freed in the background
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(vectors)

STRATA_FRONTEND_TEST(upsert_get_delete_round_trip_the_vector_and_metadata) {
  Api api(db, front);
  ok(api.vector_create_collection("mem", 3, Metric::Cosine));
  const std::vector<float> v{0.25f, -1.5f, 3.0f};
  const Version v1 = ok(api.vector_upsert("mem", "a", v, Value::object({{"topic", "x"}})));
  auto got = ok(api.vector_get("mem", "a"));
  BOOST_TEST_REQUIRE(got.has_value());
  BOOST_TEST(got->vector == v);  // stored as given (cosine normalizes only the index's copy)
  BOOST_TEST((got->metadata == Value::object({{"topic", "x"}})));
  BOOST_TEST(got->version == v1);
  const Version v2 = ok(api.vector_upsert("mem", "a", kY));
  BOOST_TEST(v2 > v1);
  got = ok(api.vector_get("mem", "a"));
  BOOST_TEST(got->vector == kY);
  BOOST_TEST(!got->metadata.has_value());
  BOOST_TEST(ok(api.vector_delete("mem", "a")));
  BOOST_TEST(!ok(api.vector_delete("mem", "a")));
  BOOST_TEST(!ok(api.vector_get("mem", "a")).has_value());
  BOOST_TEST(ok(api.vector_collection_info("mem")).count == 0u);
}

STRATA_FRONTEND_TEST(a_batch_is_one_commit) {
  Api api(db, front);
  ok(api.vector_create_collection("mem", 3, Metric::Cosine));
  const Version before = visible();
  const Version v = ok(api.vector_upsert_batch("mem", {{"a", kX, {}}, {"b", kY, {}}, {"c", kZ, Value(1)}}));
  BOOST_TEST(v == before + 1);
  BOOST_TEST(ok(api.vector_collection_info("mem")).count == 3u);
  // One bad record refuses the whole batch.
  check_fails(api.vector_upsert_batch("mem", {{"d", kX, {}}, {"e", {1, 2}, {}}}), errc::dimension_mismatch,
              {"\"e\"", "dimension 3", "2 components"});
  BOOST_TEST(!ok(api.vector_get("mem", "d")).has_value());
  BOOST_TEST(visible() == v);
}

STRATA_FRONTEND_TEST(every_rejection_has_its_code_names_the_culprit_and_changes_nothing) {
  Api api(db, front);
  ok(api.vector_create_collection("mem", 3, Metric::Cosine));
  const Version before = visible();
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  check_fails(api.vector_upsert("nope", "a", kX), errc::collection_not_found, {"\"nope\""});
  check_fails(api.vector_upsert("mem", "a", {1, 2}), errc::dimension_mismatch, {"\"mem\"", "3", "2"});
  check_fails(api.vector_upsert("mem", "a", {1, nan, 0}), errc::invalid_vector, {"component 1", "NaN"});
  check_fails(api.vector_upsert("mem", "a", {inf, 0, 0}), errc::invalid_vector, {"component 0", "infinite"});
  check_fails(api.vector_upsert("mem", "", kX), errc::key_empty);
  check_fails(api.vector_upsert("mem", "_strata/x", kX), errc::key_reserved);
  check_fails(api.vector_upsert("mem", "a", kX, Value("bad\xff")), errc::invalid_utf8, {"metadata"});
  check_fails(api.vector_upsert("mem", "a", kX, Value(std::string(kMaxValueBytes, 'm'))), errc::value_too_large);
  check_fails(api.vector_upsert("a/b", "a", kX), errc::invalid_collection_name);
  check_fails(api.vector_search("mem", kX, 0), errc::invalid_k, {"k = 0", "10000"});
  check_fails(api.vector_search("mem", kX, 10001), errc::invalid_k, {"10001"});
  check_fails(api.vector_search("mem", {1, 0}, 3), errc::dimension_mismatch, {"query"});
  check_fails(api.vector_search("mem", {nan, 0, 0}, 3), errc::invalid_vector);
  check_fails(api.vector_search("mem", kX, 3, {.filter = Value(1)}), errc::invalid_filter, {"Object"});
  check_fails(api.vector_search("mem", kX, 3, {.filter = Value::object({{"f", Value::object({{"$near", 1}})}})}),
              errc::invalid_filter, {"$near"});
  check_fails(api.vector_search("nope", kX, 3), errc::collection_not_found);
  check_fails(api.vector_delete("nope", "a"), errc::collection_not_found);
  check_fails(api.vector_delete_collection("nope"), errc::collection_not_found, {"\"nope\""});
  BOOST_TEST(visible() == before);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(search)

// Scores are "higher is better" for every metric (include/strata/vector.hpp).
STRATA_FRONTEND_TEST(scores_follow_each_metric) {
  Api api(db, front);
  for (auto [name, metric] : {std::pair{"cos", Metric::Cosine}, std::pair{"l2", Metric::Euclidean},
                              std::pair{"dot", Metric::DotProduct}}) {
    ok(api.vector_create_collection(name, 2, metric));
    ok(api.vector_upsert_batch(name, {{"near", {2, 0}, {}}, {"far", {0, 3}, {}}, {"opposite", {-1, 0}, {}}}));
  }
  auto cos = ok(api.vector_search("cos", {1, 0}, 3));
  BOOST_TEST(keys_of(cos) == (std::vector<std::string>{"near", "far", "opposite"}));
  BOOST_TEST(cos[0].score == 1.0f, boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(cos[1].score == 0.0f, boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(cos[2].score == -1.0f, boost::test_tools::tolerance(1e-6f));
  auto l2 = ok(api.vector_search("l2", {1, 0}, 3));
  BOOST_TEST(keys_of(l2) == (std::vector<std::string>{"near", "opposite", "far"}));
  BOOST_TEST(l2[0].score == -1.0f, boost::test_tools::tolerance(1e-6f));          // −‖(1,0)−(2,0)‖
  BOOST_TEST(l2[2].score == -std::sqrt(10.0f), boost::test_tools::tolerance(1e-5f));
  auto dot = ok(api.vector_search("dot", {1, 1}, 3));
  BOOST_TEST(keys_of(dot) == (std::vector<std::string>{"far", "near", "opposite"}));
  BOOST_TEST(dot[0].score == 3.0f, boost::test_tools::tolerance(1e-6f));
}

STRATA_FRONTEND_TEST(k_larger_than_the_collection_returns_everything_best_first_ties_by_key) {
  Api api(db, front);
  ok(api.vector_create_collection("mem", 2, Metric::DotProduct));
  ok(api.vector_upsert_batch("mem", {{"b", {1, 0}, {}}, {"a", {1, 0}, {}}, {"c", {0, 1}, {}}}));
  auto all = ok(api.vector_search("mem", {1, 0}, 10));
  BOOST_TEST(keys_of(all) == (std::vector<std::string>{"a", "b", "c"}));
}

STRATA_FRONTEND_TEST(filters_choose_among_matching_metadata) {
  Api api(db, front);
  ok(api.vector_create_collection("mem", 2, Metric::DotProduct));
  ok(api.vector_upsert_batch("mem", {{"a", {1, 0}, Value::object({{"kind", "note"}, {"n", 1}})},
                                     {"b", {0.9f, 0}, Value::object({{"kind", "tool"}, {"n", 2}, {"tags", Value::array({"x", "y"})}})},
                                     {"c", {0.8f, 0}, Value::object({{"kind", "tool"}, {"n", 3}})},
                                     {"d", {0.7f, 0}, {}}}));
  auto run = [&](Value f) { return keys_of(ok(api.vector_search("mem", {1, 0}, 10, {.filter = std::move(f)}))); };
  using V = std::vector<std::string>;
  BOOST_TEST(run(Value::object({{"kind", "tool"}})) == (V{"b", "c"}));
  BOOST_TEST(run(Value::object({{"n", Value::object({{"$gte", 2}})}})) == (V{"b", "c"}));
  BOOST_TEST(run(Value::object({{"n", Value::object({{"$gt", 1.5}, {"$lt", 3}})}})) == (V{"b"}));
  BOOST_TEST(run(Value::object({{"kind", Value::object({{"$ne", "tool"}})}})) == (V{"a", "d"}));  // missing matches $ne
  BOOST_TEST(run(Value::object({{"kind", Value::object({{"$in", Value::array({"note", "x"})}})}})) == (V{"a"}));
  BOOST_TEST(run(Value::object({{"tags", Value::object({{"$contains", "y"}})}})) == (V{"b"}));
  BOOST_TEST(run(Value::object({{"$or", Value::array({Value::object({{"n", 1}}), Value::object({{"n", 3}})})}})) ==
             (V{"a", "c"}));
  BOOST_TEST(run(Value::object({{"$not", Value::object({{"kind", "tool"}})}})) == (V{"a", "d"}));
  BOOST_TEST(run(Value::object({{"n", 1.0}})) == V{});  // equality keeps kinds apart: 1 is not 1.0
  BOOST_TEST(run(Value::object({})) == (V{"a", "b", "c", "d"}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(isolation_and_transactions)

STRATA_FRONTEND_TEST(runs_isolate_collections_and_vectors) {
  Api api(db, front);
  ok(api.vector_create_collection("mem", 2, Metric::Cosine));
  ok(api.vector_upsert("mem", "a", {1, 0}));
  db.create_run("other");
  Api other(other_handle(), front);
  ok(other.set_run("other"));
  check_fails(other.vector_search("mem", {1, 0}, 3), errc::collection_not_found);
  ok(other.vector_create_collection("mem", 2, Metric::Cosine));
  BOOST_TEST(ok(other.vector_search("mem", {1, 0}, 3)).empty());
  BOOST_TEST(ok(api.vector_search("mem", {1, 0}, 3)).size() == 1u);
  ok(api.delete_run("other"));
  BOOST_TEST(ok(api.vector_search("mem", {1, 0}, 3)).size() == 1u);
}

STRATA_FRONTEND_TEST(vector_writes_commit_with_the_transaction_or_not_at_all) {
  Api api(db, front);
  ok(api.vector_create_collection("mem", 2, Metric::Cosine));
  {
    Transaction tx = db.begin();
    tx.kv_put("memory:1", "the sky is blue");
    tx.vector_upsert("mem", "memory:1", std::vector<float>{1, 0}, Value::object({{"text", "sky"}}));
    BOOST_TEST(tx.vector_get("mem", "memory:1")->vector == (std::vector<float>{1, 0}));  // own write
    BOOST_TEST(!db.vector_get("mem", "memory:1").has_value());                             // not yet visible
    const Version v = ok(api.commit(tx));
    BOOST_TEST(db.vector_get("mem", "memory:1")->version == v);
    BOOST_TEST(db.kv_get("memory:1").has_value());
  }
  {
    // A conflict on the KV part aborts the vector write too.
    Transaction tx = db.begin();
    tx.kv_get("memory:1");
    tx.vector_upsert("mem", "memory:2", std::vector<float>{0, 1});
    other_handle().kv_put("memory:1", "changed");
    check_fails(api.commit(tx), errc::transaction_conflict);
    BOOST_TEST(!db.vector_get("mem", "memory:2").has_value());
    BOOST_TEST(ok(api.vector_search("mem", {0, 1}, 5)).size() == 1u);
  }
  {
    // Dropping the collection meanwhile makes the commit conflict.
    Transaction tx = db.begin();
    tx.vector_upsert("mem", "memory:3", std::vector<float>{0, 1});
    other_handle().vector_delete_collection("mem");
    check_fails(api.commit(tx), errc::transaction_conflict);
  }
}

STRATA_FRONTEND_TEST(a_write_racing_a_drop_is_collection_not_found) {
  Api api(db, front);
  ok(api.vector_create_collection("mem", 2, Metric::Cosine));
  Transaction tx = db.begin();
  tx.vector_delete("mem", "nothing");
  other_handle().vector_delete_collection("mem");
  other_handle().vector_create_collection("mem", 2, Metric::Cosine);  // a stranger of the same name
  check_fails(api.commit(tx), errc::transaction_conflict);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(regressions)

// A Session batch inside a transaction used to buffer the records before a
// rejected one: a rejected record must leave the transaction as it was.
BOOST_AUTO_TEST_CASE(a_rejected_record_of_a_transaction_batch_buffers_nothing) {
  auto db = Strata::open_temp(strata::test::small_options());
  db.vector_create_collection("mem", 2, Metric::Cosine);
  Transaction tx = db.begin();
  const std::vector<VectorRecord> batch{{"good", {1, 0}, std::nullopt}, {"bad", {1, 0, 0}, std::nullopt}};
  error_code ec;
  tx.vector_upsert_batch("mem", batch, ec);
  BOOST_TEST(ec == make_error_code(errc::dimension_mismatch));
  BOOST_TEST(!tx.vector_get("mem", "good").has_value());
  tx.vector_upsert_batch("mem", std::vector<VectorRecord>{{"a", {1, 0}, std::nullopt}, {"b", {0, 1}, std::nullopt}});
  tx.commit();
  BOOST_TEST(db.vector_collection_info("mem").count == 2u);
  BOOST_TEST(!db.vector_get("mem", "good").has_value());
}

// A snapshot written before a dropped collection's vectors were erased
// still holds them; after a reopen they must neither count nor show up in a
// collection created later (which used to be given the dropped one's id).
BOOST_AUTO_TEST_CASE(a_dropped_collection_stays_dropped_across_a_snapshot_and_reopen) {
  strata::test::TempDir dir("vector-drop");
  Options o = strata::test::small_options();
  o.durability = Durability::Buffered;
  {
    auto db = Strata::open(dir.db(), o);
    db.vector_create_collection("a", 2, Metric::Cosine);
    std::vector<VectorRecord> batch;
    for (int i = 0; i < 2000; ++i) batch.push_back({"k" + std::to_string(i), {1, static_cast<float>(i)}, std::nullopt});
    db.vector_upsert_batch("a", batch);
    db.vector_delete_collection("a");
    db.compact();  // may snapshot the vectors before the background erase freed them
    db.close();
  }
  for (int reopen = 0; reopen < 2; ++reopen) {
    auto db = Strata::open(dir.db(), o);
    if (reopen == 0) db.vector_create_collection("b", 2, Metric::Cosine);
    db.vector_wait_indexed();
    BOOST_TEST(db.vector_collection_info("b").count == 0u);
    BOOST_TEST(db.vector_search("b", std::vector<float>{1, 0}, 10).empty());
    BOOST_TEST(!db.vector_get("b", "k1").has_value());
    const auto info = db.info();
    BOOST_TEST((info.keys.count("vector") ? info.keys.at("vector") : 0u) == 0u);
    db.compact();
    db.close();
  }
}

BOOST_AUTO_TEST_SUITE_END()
