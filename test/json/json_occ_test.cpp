// Path-level optimistic concurrency for JSON documents (SPEC §5, §6): two
// transactions from the same snapshot that touch disjoint paths of one
// document both commit and their edits merge; paths where one is a prefix of
// the other (the root included) conflict at the second commit. Array appends
// and element deletions change the whole array; negative indexes depend on
// the whole array. Ends with json_incr from many coroutines.
#define BOOST_TEST_MODULE json_occ
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"

#include <strata/strata.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

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
using strata::test::is;

namespace {

using Step = std::function<void(Transaction&)>;

Value json(std::string_view text) { return Value::parse_json(text); }

const char* const kBase = R"({"a":{"x":1,"y":2},"list":[1,2,3],"n":0,"s":"v"})";

struct OccFixture : strata::test::DbFixture {
  OccFixture() { reset(); }
  void reset() { db.json_set("doc", "$", json(kBase)); }
  std::optional<Value> doc() { return db.json_get("doc", "$"); }  // nullopt once deleted

  /// Runs `first` and `second` in two transactions from one snapshot,
  /// commits the first (must succeed) then the second; returns whether the
  /// second committed. A conflict must leave the first's result alone and
  /// consume no version.
  bool second_commits(const Step& first, const Step& second) {
    reset();
    Transaction t1 = db.begin(), t2 = db.begin();
    first(t1);
    second(t2);
    t1.commit();
    const auto after_first = doc();
    const Version v = visible();
    error_code ec;
    t2.commit(ec);
    if (ec) {
      BOOST_TEST(is(ec, errc::transaction_conflict), "unexpected error " << ec.message());
      BOOST_TEST((doc() == after_first));
      BOOST_TEST(visible() == v);
    }
    return !ec;
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

BOOST_FIXTURE_TEST_SUITE(json_occ, OccFixture)

// ---- disjoint paths merge ----------------------------------------------------------

BOOST_AUTO_TEST_CASE(sibling_fields_both_commit_and_merge) {
  BOOST_TEST(second_commits(set("$.a.x", Value(10)), set("$.a.y", Value(20))));
  BOOST_TEST((doc() == json(R"({"a":{"x":10,"y":20},"list":[1,2,3],"n":0,"s":"v"})")));
}

BOOST_AUTO_TEST_CASE(distant_fields_and_new_fields_merge) {
  BOOST_TEST(second_commits(set("$.n", Value(5)), set("$.a.z.deep", Value(true))));
  BOOST_TEST((doc() == json(R"({"a":{"x":1,"y":2,"z":{"deep":true}},"list":[1,2,3],"n":5,"s":"v"})")));
  BOOST_TEST(second_commits(set("$.new1", Value(1)), set("$.new2", Value(2))));
  BOOST_TEST((db.json_get("doc", "$.new1") == Value(1)));
  BOOST_TEST((db.json_get("doc", "$.new2") == Value(2)));
}

BOOST_AUTO_TEST_CASE(distinct_array_elements_merge) {
  BOOST_TEST(second_commits(set("$.list[0]", Value(100)), set("$.list[2]", Value(300))));
  BOOST_TEST((db.json_get("doc", "$.list") == json("[100,2,300]")));
}

BOOST_AUTO_TEST_CASE(increments_of_different_fields_merge) {
  BOOST_TEST(second_commits(incr("$.n"), incr("$.a.x")));
  BOOST_TEST((db.json_get("doc", "$.n") == Value(1)));
  BOOST_TEST((db.json_get("doc", "$.a.x") == Value(2)));
}

BOOST_AUTO_TEST_CASE(delete_and_set_of_siblings_merge) {
  BOOST_TEST(second_commits(del("$.a.x"), set("$.a.y", Value(9))));
  BOOST_TEST((db.json_get("doc", "$.a") == json(R"({"y":9})")));
}

BOOST_AUTO_TEST_CASE(different_documents_never_conflict) {
  Step other = [](Transaction& t) { t.json_set("doc2", "$", Value(1)); };
  BOOST_TEST(second_commits(set("$", Value(0)), other));
}

// ---- overlapping paths conflict -----------------------------------------------------

BOOST_AUTO_TEST_CASE(the_same_path_conflicts) {
  conflicts_either_way(set("$.a.x", Value(10)), set("$.a.x", Value(11)));
  conflicts_either_way(incr("$.n"), incr("$.n"));
  conflicts_either_way(del("$.s"), set("$.s", Value("w")));
}

BOOST_AUTO_TEST_CASE(a_prefix_conflicts_either_way) {
  conflicts_either_way(set("$.a", Value(0)), set("$.a.x", Value(10)));
  conflicts_either_way(del("$.a"), set("$.a.y", Value(10)));
  conflicts_either_way(set("$.list", Value::array({})), set("$.list[1]", Value(10)));
}

BOOST_AUTO_TEST_CASE(the_root_conflicts_with_every_path) {
  conflicts_either_way(set("$", json("{}")), set("$.a.x", Value(10)));
  conflicts_either_way(del("$"), set("$.n", Value(1)));
  conflicts_either_way(del("$"), incr("$.n"));
  conflicts_either_way(set("$", Value(1)), append("$.list", Value(4)));
}

BOOST_AUTO_TEST_CASE(a_longer_field_name_is_not_a_prefix) {
  // "$.a" is not a prefix of "$.ab" although the text is.
  Step ab = set("$.ab", Value(1));
  BOOST_TEST(second_commits(set("$.a.x", Value(10)), ab));
  BOOST_TEST(second_commits(ab, set("$.a", Value(0))));
}

// ---- arrays ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(append_conflicts_with_element_edits) {
  conflicts_either_way(append("$.list", Value(4)), set("$.list[0]", Value(10)));
  conflicts_either_way(append("$.list", Value(4)), append("$.list", Value(5)));
  conflicts_either_way(append("$.list", Value(4)), set("$.list[3]", Value(5)));  // index == length
}

BOOST_AUTO_TEST_CASE(element_delete_changes_the_whole_array) {
  conflicts_either_way(del("$.list[0]"), set("$.list[2]", Value(30)));
  conflicts_either_way(del("$.list[1]"), del("$.list[2]"));
}

BOOST_AUTO_TEST_CASE(negative_indexes_depend_on_the_whole_array) {
  conflicts_either_way(set("$.list[-1]", Value(30)), append("$.list", Value(4)));
  // "[-1]" depends on the whole array, so it conflicts with any element
  // change committed before it; committed first, it changed only [2], which
  // an edit of [0] does not depend on.
  BOOST_TEST(!second_commits(set("$.list[0]", Value(10)), set("$.list[-1]", Value(30))));
  BOOST_TEST(second_commits(set("$.list[-1]", Value(30)), set("$.list[0]", Value(10))));
  BOOST_TEST(!second_commits(append("$.list", Value(4)), read("$.list[-1]")));
  BOOST_TEST(!second_commits(set("$.list[1]", Value(4)), read("$.list[-1]")));
}

BOOST_AUTO_TEST_CASE(array_edits_do_not_disturb_other_fields) {
  BOOST_TEST(second_commits(append("$.list", Value(4)), set("$.a.x", Value(10))));
  BOOST_TEST((doc() == json(R"({"a":{"x":10,"y":2},"list":[1,2,3,4],"n":0,"s":"v"})")));
  BOOST_TEST(second_commits(del("$.list[0]"), incr("$.n")));
  BOOST_TEST((doc() == json(R"({"a":{"x":1,"y":2},"list":[2,3],"n":1,"s":"v"})")));
}

// ---- reads --------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_read_survives_changes_of_disjoint_paths) {
  BOOST_TEST(second_commits(set("$.a.y", Value(20)), read("$.a.x")));
  BOOST_TEST(second_commits(set("$.n", Value(20)), read("$.a")));
  BOOST_TEST(second_commits(append("$.list", Value(4)), read("$.a.x")));
  BOOST_TEST(second_commits(set("$.list[2]", Value(4)), read("$.list[0]")));
}

BOOST_AUTO_TEST_CASE(a_read_conflicts_with_overlapping_changes) {
  BOOST_TEST(!second_commits(set("$.a.x", Value(10)), read("$.a.x")));
  BOOST_TEST(!second_commits(set("$.a.x", Value(10)), read("$.a")));
  BOOST_TEST(!second_commits(set("$.a", Value(10)), read("$.a.x")));
  BOOST_TEST(!second_commits(set("$.n", Value(10)), read("$")));
  BOOST_TEST(!second_commits(del("$"), read("$.s")));
  BOOST_TEST(!second_commits(append("$.list", Value(4)), read("$.list[0]")));
}

BOOST_AUTO_TEST_CASE(reading_a_missing_path_conflicts_with_its_creation) {
  BOOST_TEST(!second_commits(set("$.later", Value(1)), read("$.later")));
  BOOST_TEST(!second_commits(set("$.a.later", Value(1)), read("$.a.later.deeper")));
}

BOOST_AUTO_TEST_CASE(a_read_after_an_edit_of_the_same_document_still_counts) {
  // The read is served from the transaction's edited view of the document,
  // but it must join the read set all the same.
  Step edit_then_read = [](Transaction& t) {
    t.json_set("doc", "$.a.x", Value(10));
    t.json_get("doc", "$.n");
  };
  BOOST_TEST(!second_commits(set("$.n", Value(5)), edit_then_read));
  Step edit_then_read_root = [](Transaction& t) {
    t.json_set("doc", "$.a.x", Value(10));
    t.json_get("doc", "$");
  };
  BOOST_TEST(!second_commits(set("$.s", Value("w")), edit_then_read_root));
  // Even an edit that failed loads the document into the transaction's view.
  Step failed_edit_then_read = [](Transaction& t) {
    error_code ec;
    t.json_incr("doc", "$.s", Value(1), ec);  // wrong_type: "$.s" is a String
    t.json_get("doc", "$.n");
    t.kv_put("marker", Value(1));
  };
  BOOST_TEST(!second_commits(set("$.n", Value(5)), failed_edit_then_read));
}

BOOST_AUTO_TEST_CASE(a_listing_reads_the_whole_document) {
  Step list = [](Transaction& t) {
    t.json_list();
    t.kv_put("marker", Value(1));
  };
  BOOST_TEST(!second_commits(set("$.n", Value(10)), list));
}

BOOST_AUTO_TEST_CASE(a_read_only_transaction_never_conflicts) {
  Step only_read = [](Transaction& t) { t.json_get("doc", "$"); };
  BOOST_TEST(second_commits(set("$", Value(0)), only_read));
}

// ---- against auto-committed edits -----------------------------------------------------

BOOST_AUTO_TEST_CASE(auto_commits_are_validated_like_transactions) {
  Transaction t = db.begin();
  t.json_set("doc", "$.a.x", Value(10));
  db.json_set("doc", "$.a.y", Value(20));  // disjoint
  t.commit();
  BOOST_TEST((db.json_get("doc", "$.a") == json(R"({"x":10,"y":20})")));

  Transaction u = db.begin();
  u.json_set("doc", "$.a.x", Value(11));
  db.json_incr("doc", "$.a.x", Value(1));  // overlapping
  STRATA_CHECK_ERRC(u.commit(), errc::transaction_conflict);
  BOOST_TEST((db.json_get("doc", "$.a.x") == Value(11)));  // 10 + 1 by the auto-commit

  Transaction w = db.begin();
  w.json_incr("doc", "$.n", Value(1));
  db.json_array_append("doc", "$.list", Value(4));  // disjoint
  w.commit();
  BOOST_TEST((db.json_get("doc", "$.n") == Value(1)));
  BOOST_TEST((db.json_get("doc", "$.list") == json("[1,2,3,4]")));
}

BOOST_AUTO_TEST_CASE(two_transactions_creating_one_document_at_disjoint_paths) {
  Transaction t1 = db.begin(), t2 = db.begin();
  t1.json_set("new", "$.p", Value(1));
  t2.json_set("new", "$.q", Value(2));
  t1.commit();
  t2.commit();
  BOOST_TEST((db.json_get("new", "$") == json(R"({"p":1,"q":2})")));
}

// ---- concurrency ---------------------------------------------------------------------------

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
