// Path-level optimistic concurrency for JSON documents (docs/design/primitives.md, docs/design/transactions.md): two
// transactions from the same snapshot that touch disjoint paths of one
// document both commit and their edits merge; paths where one is a prefix of
// the other (the root included) conflict at the second commit. Array appends
// and element deletions change the whole array; negative indexes depend on
// the whole array. The cases run through every front end of the public API
// (support/frontends.hpp): commits go through api.commit (commit(),
// commit(ec), async_commit) and auto-committed edits and checks through the
// Api. Ends with json_incr from many coroutines (async only by nature).
#define BOOST_TEST_MODULE json_occ
#include "support/frontends.hpp"

#include <strata/strata.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using strata::Database;
using strata::errc;
using strata::error_code;
using strata::Strata;
using strata::Transaction;
using strata::Value;
using strata::Version;
using strata::test::Api;
using strata::test::check_fails;
using strata::test::Front;
using strata::test::ok;

namespace {

using Step = std::function<void(Transaction&)>;

Value json(std::string_view text) { return Value::parse_json(text); }

const char* const kBase = R"({"a":{"x":1,"y":2},"list":[1,2,3],"n":0,"s":"v"})";

/// An Api on a database holding kBase as "doc", with the two-transaction
/// drivers; commits and checks go through the front end.
struct OccApi : Api {
  OccApi(Strata db, Front front) : Api(std::move(db), front) { reset(); }
  void reset() { handle().json_set("doc", "$", json(kBase)); }  // setup: through the handle
  std::optional<Value> get(std::string_view key, std::string_view path) { return ok(json_get(key, path)); }
  std::optional<Value> doc() { return get("doc", "$"); }  // nullopt once deleted
  Version visible() { return handle().info().visible_version; }

  /// Runs `first` and `second` in two transactions from one snapshot,
  /// commits the first (must succeed) then the second; returns whether the
  /// second committed. A conflict must leave the first's result alone and
  /// consume no version.
  bool second_commits(const Step& first, const Step& second) {
    reset();
    Transaction t1 = handle().begin(), t2 = handle().begin();
    first(t1);
    second(t2);
    ok(commit(t1));
    const auto after_first = doc();
    const Version v = visible();
    const auto r = commit(t2);
    if (!r.ok()) {
      check_fails(r, errc::transaction_conflict);
      BOOST_TEST((doc() == after_first));
      BOOST_TEST(visible() == v);
    }
    return r.ok();
  }

  /// The pair conflicts in both commit orders.
  void conflicts_either_way(const Step& a, const Step& b) {
    BOOST_TEST(!second_commits(a, b), "second commit (b after a) should conflict");
    BOOST_TEST(!second_commits(b, a), "second commit (a after b) should conflict");
  }
};

Step set(std::string path, Value v) {
  return [=](Transaction& t) { t.json_set("doc", path, v); };
}
Step del(std::string path) {
  return [=](Transaction& t) { t.json_delete("doc", path); };
}
Step append(std::string path, Value v) {
  return [=](Transaction& t) { t.json_array_append("doc", path, v); };
}
Step incr(std::string path) {
  return [=](Transaction& t) { t.json_incr("doc", path, Value(1)); };
}
/// A read of `path` plus an unrelated write, so that the transaction is not
/// read-only (read-only transactions never conflict).
Step read(std::string path) {
  return [=](Transaction& t) {
    t.json_get("doc", path);
    t.kv_put("marker", Value(1));
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_occ)

// ---- disjoint paths merge ----------------------------------------------------------

STRATA_FRONTEND_TEST(sibling_fields_both_commit_and_merge) {
  OccApi api(db, front);
  BOOST_TEST(api.second_commits(set("$.a.x", Value(10)), set("$.a.y", Value(20))));
  BOOST_TEST((api.doc() == json(R"({"a":{"x":10,"y":20},"list":[1,2,3],"n":0,"s":"v"})")));
}

STRATA_FRONTEND_TEST(distant_fields_and_new_fields_merge) {
  OccApi api(db, front);
  BOOST_TEST(api.second_commits(set("$.n", Value(5)), set("$.a.z.deep", Value(true))));
  BOOST_TEST((api.doc() == json(R"({"a":{"x":1,"y":2,"z":{"deep":true}},"list":[1,2,3],"n":5,"s":"v"})")));
  BOOST_TEST(api.second_commits(set("$.new1", Value(1)), set("$.new2", Value(2))));
  BOOST_TEST((api.get("doc", "$.new1") == Value(1)));
  BOOST_TEST((api.get("doc", "$.new2") == Value(2)));
}

STRATA_FRONTEND_TEST(distinct_array_elements_merge) {
  OccApi api(db, front);
  BOOST_TEST(api.second_commits(set("$.list[0]", Value(100)), set("$.list[2]", Value(300))));
  BOOST_TEST((api.get("doc", "$.list") == json("[100,2,300]")));
}

STRATA_FRONTEND_TEST(increments_of_different_fields_merge) {
  OccApi api(db, front);
  BOOST_TEST(api.second_commits(incr("$.n"), incr("$.a.x")));
  BOOST_TEST((api.get("doc", "$.n") == Value(1)));
  BOOST_TEST((api.get("doc", "$.a.x") == Value(2)));
}

STRATA_FRONTEND_TEST(delete_and_set_of_siblings_merge) {
  OccApi api(db, front);
  BOOST_TEST(api.second_commits(del("$.a.x"), set("$.a.y", Value(9))));
  BOOST_TEST((api.get("doc", "$.a") == json(R"({"y":9})")));
}

STRATA_FRONTEND_TEST(different_documents_never_conflict) {
  OccApi api(db, front);
  Step other = [](Transaction& t) { t.json_set("doc2", "$", Value(1)); };
  BOOST_TEST(api.second_commits(set("$", Value(0)), other));
}

// ---- overlapping paths conflict -----------------------------------------------------

STRATA_FRONTEND_TEST(the_same_path_conflicts) {
  OccApi api(db, front);
  api.conflicts_either_way(set("$.a.x", Value(10)), set("$.a.x", Value(11)));
  api.conflicts_either_way(incr("$.n"), incr("$.n"));
  api.conflicts_either_way(del("$.s"), set("$.s", Value("w")));
}

STRATA_FRONTEND_TEST(a_prefix_conflicts_either_way) {
  OccApi api(db, front);
  api.conflicts_either_way(set("$.a", Value(0)), set("$.a.x", Value(10)));
  api.conflicts_either_way(del("$.a"), set("$.a.y", Value(10)));
  api.conflicts_either_way(set("$.list", Value::array({})), set("$.list[1]", Value(10)));
}

STRATA_FRONTEND_TEST(the_root_conflicts_with_every_path) {
  OccApi api(db, front);
  api.conflicts_either_way(set("$", json("{}")), set("$.a.x", Value(10)));
  api.conflicts_either_way(del("$"), set("$.n", Value(1)));
  api.conflicts_either_way(del("$"), incr("$.n"));
  api.conflicts_either_way(set("$", Value(1)), append("$.list", Value(4)));
}

STRATA_FRONTEND_TEST(a_longer_field_name_is_not_a_prefix) {
  OccApi api(db, front);
  // "$.a" is not a prefix of "$.ab" although the text is.
  Step ab = set("$.ab", Value(1));
  BOOST_TEST(api.second_commits(set("$.a.x", Value(10)), ab));
  BOOST_TEST(api.second_commits(ab, set("$.a", Value(0))));
}

// ---- arrays ---------------------------------------------------------------------------

STRATA_FRONTEND_TEST(append_conflicts_with_element_edits) {
  OccApi api(db, front);
  api.conflicts_either_way(append("$.list", Value(4)), set("$.list[0]", Value(10)));
  api.conflicts_either_way(append("$.list", Value(4)), append("$.list", Value(5)));
  api.conflicts_either_way(append("$.list", Value(4)), set("$.list[3]", Value(5)));  // index == length
}

STRATA_FRONTEND_TEST(element_delete_changes_the_whole_array) {
  OccApi api(db, front);
  api.conflicts_either_way(del("$.list[0]"), set("$.list[2]", Value(30)));
  api.conflicts_either_way(del("$.list[1]"), del("$.list[2]"));
}

STRATA_FRONTEND_TEST(negative_indexes_depend_on_the_whole_array) {
  OccApi api(db, front);
  api.conflicts_either_way(set("$.list[-1]", Value(30)), append("$.list", Value(4)));
  // "[-1]" depends on the whole array, so it conflicts with any element
  // change committed before it; committed first, it changed only [2], which
  // an edit of [0] does not depend on.
  BOOST_TEST(!api.second_commits(set("$.list[0]", Value(10)), set("$.list[-1]", Value(30))));
  BOOST_TEST(api.second_commits(set("$.list[-1]", Value(30)), set("$.list[0]", Value(10))));
  BOOST_TEST(!api.second_commits(append("$.list", Value(4)), read("$.list[-1]")));
  BOOST_TEST(!api.second_commits(set("$.list[1]", Value(4)), read("$.list[-1]")));
}

STRATA_FRONTEND_TEST(array_edits_do_not_disturb_other_fields) {
  OccApi api(db, front);
  BOOST_TEST(api.second_commits(append("$.list", Value(4)), set("$.a.x", Value(10))));
  BOOST_TEST((api.doc() == json(R"({"a":{"x":10,"y":2},"list":[1,2,3,4],"n":0,"s":"v"})")));
  BOOST_TEST(api.second_commits(del("$.list[0]"), incr("$.n")));
  BOOST_TEST((api.doc() == json(R"({"a":{"x":1,"y":2},"list":[2,3],"n":1,"s":"v"})")));
}

// ---- reads --------------------------------------------------------------------------------

STRATA_FRONTEND_TEST(a_read_survives_changes_of_disjoint_paths) {
  OccApi api(db, front);
  BOOST_TEST(api.second_commits(set("$.a.y", Value(20)), read("$.a.x")));
  BOOST_TEST(api.second_commits(set("$.n", Value(20)), read("$.a")));
  BOOST_TEST(api.second_commits(append("$.list", Value(4)), read("$.a.x")));
  BOOST_TEST(api.second_commits(set("$.list[2]", Value(4)), read("$.list[0]")));
}

STRATA_FRONTEND_TEST(a_read_conflicts_with_overlapping_changes) {
  OccApi api(db, front);
  BOOST_TEST(!api.second_commits(set("$.a.x", Value(10)), read("$.a.x")));
  BOOST_TEST(!api.second_commits(set("$.a.x", Value(10)), read("$.a")));
  BOOST_TEST(!api.second_commits(set("$.a", Value(10)), read("$.a.x")));
  BOOST_TEST(!api.second_commits(set("$.n", Value(10)), read("$")));
  BOOST_TEST(!api.second_commits(del("$"), read("$.s")));
  BOOST_TEST(!api.second_commits(append("$.list", Value(4)), read("$.list[0]")));
}

STRATA_FRONTEND_TEST(reading_a_missing_path_conflicts_with_its_creation) {
  OccApi api(db, front);
  BOOST_TEST(!api.second_commits(set("$.later", Value(1)), read("$.later")));
  BOOST_TEST(!api.second_commits(set("$.a.later", Value(1)), read("$.a.later.deeper")));
}

STRATA_FRONTEND_TEST(a_read_after_an_edit_of_the_same_document_still_counts) {
  OccApi api(db, front);
  // The read is served from the transaction's edited view of the document,
  // but it must join the read set all the same.
  Step edit_then_read = [](Transaction& t) {
    t.json_set("doc", "$.a.x", Value(10));
    t.json_get("doc", "$.n");
  };
  BOOST_TEST(!api.second_commits(set("$.n", Value(5)), edit_then_read));
  Step edit_then_read_root = [](Transaction& t) {
    t.json_set("doc", "$.a.x", Value(10));
    t.json_get("doc", "$");
  };
  BOOST_TEST(!api.second_commits(set("$.s", Value("w")), edit_then_read_root));
  // Even an edit that failed loads the document into the transaction's view.
  Step failed_edit_then_read = [](Transaction& t) {
    error_code ec;
    t.json_incr("doc", "$.s", Value(1), ec);  // wrong_type: "$.s" is a String
    t.json_get("doc", "$.n");
    t.kv_put("marker", Value(1));
  };
  BOOST_TEST(!api.second_commits(set("$.n", Value(5)), failed_edit_then_read));
}

STRATA_FRONTEND_TEST(a_listing_reads_the_whole_document) {
  OccApi api(db, front);
  Step list = [](Transaction& t) {
    t.json_list();
    t.kv_put("marker", Value(1));
  };
  BOOST_TEST(!api.second_commits(set("$.n", Value(10)), list));
}

STRATA_FRONTEND_TEST(a_read_only_transaction_never_conflicts) {
  OccApi api(db, front);
  Step only_read = [](Transaction& t) { t.json_get("doc", "$"); };
  BOOST_TEST(api.second_commits(set("$", Value(0)), only_read));
}

// ---- against auto-committed edits -----------------------------------------------------

STRATA_FRONTEND_TEST(auto_commits_are_validated_like_transactions) {
  OccApi api(db, front);
  Transaction t = db.begin();
  t.json_set("doc", "$.a.x", Value(10));
  ok(api.json_set("doc", "$.a.y", Value(20)));  // disjoint
  ok(api.commit(t));
  BOOST_TEST((api.get("doc", "$.a") == json(R"({"x":10,"y":20})")));

  Transaction u = db.begin();
  u.json_set("doc", "$.a.x", Value(11));
  ok(api.json_incr("doc", "$.a.x", Value(1)));  // overlapping
  check_fails(api.commit(u), errc::transaction_conflict);
  BOOST_TEST((api.get("doc", "$.a.x") == Value(11)));  // 10 + 1 by the auto-commit

  Transaction w = db.begin();
  w.json_incr("doc", "$.n", Value(1));
  ok(api.json_array_append("doc", "$.list", Value(4)));  // disjoint
  ok(api.commit(w));
  BOOST_TEST((api.get("doc", "$.n") == Value(1)));
  BOOST_TEST((api.get("doc", "$.list") == json("[1,2,3,4]")));
}

STRATA_FRONTEND_TEST(two_transactions_creating_one_document_at_disjoint_paths) {
  OccApi api(db, front);
  Transaction t1 = db.begin(), t2 = db.begin();
  t1.json_set("new", "$.p", Value(1));
  t2.json_set("new", "$.q", Value(2));
  ok(api.commit(t1));
  ok(api.commit(t2));
  BOOST_TEST((api.get("new", "$") == json(R"({"p":1,"q":2})")));
}

// ---- concurrency ---------------------------------------------------------------------------

// Single front end on purpose: the subject is many coroutines on one
// database (async_transaction and async_json_incr), which only the async
// front end can express.
BOOST_AUTO_TEST_CASE(concurrent_increments_are_exact) {
  // 8 fields of one document; 32 coroutines, 4 per field, 10 increments
  // each: coroutines on one field conflict and retry, coroutines on
  // different fields merge. Auto-committed increments run alongside.
  constexpr int kFields = 8, kPerField = 4, kTimes = 10;
  strata::Options o;
  o.shards = 4;
  o.threads = 2;
  o.max_transaction_attempts = 100000;
  auto database = Database::open(o);
  Strata s(database);
  Value init = Value(strata::Object{});
  for (int f = 0; f < kFields; ++f) init.as_object()["f" + std::to_string(f)] = Value(0);
  init.as_object()["auto"] = Value(0);
  s.json_set("doc", "$", init);

  std::vector<std::future<void>> done;
  for (int c = 0; c < kFields * kPerField; ++c) {
    const std::string path = "$.f" + std::to_string(c % kFields);
    auto body = [database = database.get(), path]() -> asio::awaitable<void> {
      for (int i = 0; i < kTimes; ++i) {
        co_await database->async_transaction("default", [&](Transaction& tx) -> asio::awaitable<void> {
          tx.json_incr("doc", path, Value(1));
          co_return;
        });
        co_await database->async_json_incr("default", "doc", "$.auto", Value(1), asio::use_awaitable);
      }
    };
    done.push_back(asio::co_spawn(database->get_executor(), body, asio::use_future));
  }
  for (auto& f : done) {
    BOOST_TEST_REQUIRE((f.wait_for(60s) == std::future_status::ready));
    f.get();
  }
  for (int f = 0; f < kFields; ++f)
    BOOST_TEST((s.json_get("doc", "$.f" + std::to_string(f)) == Value(kPerField * kTimes)));
  BOOST_TEST((s.json_get("doc", "$.auto") == Value(kFields * kPerField * kTimes)));
}

BOOST_AUTO_TEST_SUITE_END()
