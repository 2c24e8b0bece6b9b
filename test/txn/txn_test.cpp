// Transactions (docs/design/transactions.md): snapshot reads, read-your-writes, rollback, atomic
// commits, the OCC conflict matrix, gap-free versions, and
// Strata::transaction(fn) retrying.
//
// The cases run through every front end of the public API
// (support/frontends.hpp). A Transaction's reads and writes are synchronous
// only (they work on its own snapshot and buffer), so what varies is the
// commit — api.commit(tx): commit(), commit(ec) or async_commit — and the
// auto-commit operations that make concurrent changes or check results.
//
// Concurrency is simulated deterministically: two handles (or two
// transactions) interleave on one thread, so each case pins one exact
// ordering of reads, writes and commits.
#define BOOST_TEST_MODULE txn
#include "support/frontends.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <vector>

using strata::errc;
using strata::Transaction;
using strata::Value;
using strata::test::Api;
using strata::test::check_fails;
using strata::test::CodeAndMessage;
using strata::test::CodeIs;
using strata::test::dirty_ec;
using strata::test::is;
using strata::test::ok;
using strata::test::what_of;

namespace {

using Keys = std::vector<std::string>;

Keys tx_list_all(Transaction& tx, std::string_view prefix, std::size_t limit) {
  return strata::test::list_all_pages(
      [&](std::string_view p, const strata::PageRequest& r) { return tx.kv_list(p, r); }, prefix, limit);
}

/// The keys of an auto-commit listing that must succeed.
Keys keys_of(strata::test::Result<strata::KeyPage> r) { return ok(std::move(r)).keys; }

}  // namespace

BOOST_AUTO_TEST_SUITE(txn_visibility)

STRATA_FRONTEND_TEST(snapshot_hides_commits_made_after_begin) {
  Api api(db, front);
  const auto v0 = db.kv_put("k", 1);
  db.kv_put("gone", 1);
  Api other(other_handle(), front);
  auto ec = dirty_ec();
  Transaction tx = db.begin(ec);
  BOOST_TEST(!ec);
  BOOST_TEST(tx.active());
  BOOST_TEST(tx.run() == "default");
  BOOST_TEST(tx.snapshot_version() == v0 + 1);

  ok(other.kv_put("k", 2));
  ok(other.kv_put("new", 1));
  ok(other.kv_delete("gone"));

  BOOST_TEST(*tx.kv_get("k") == Value(1));
  BOOST_TEST(!tx.kv_get("new").has_value());
  BOOST_TEST(*tx.kv_get("gone") == Value(1));
  BOOST_TEST(tx.kv_list().keys == (Keys{"gone", "k"}));
  // Outside the transaction the new state is visible.
  BOOST_TEST(*ok(api.kv_get("k")) == Value(2));
}

STRATA_FRONTEND_TEST(reads_see_own_writes) {
  Api api(db, front);
  db.kv_put("k", 1);
  db.kv_put("d", 1);
  Transaction tx = db.begin();
  auto ec = dirty_ec();
  tx.kv_put("k", 2, ec);
  BOOST_TEST(!ec);
  ec = dirty_ec();
  BOOST_TEST(*tx.kv_get("k", ec) == Value(2));
  BOOST_TEST(!ec);
  tx.kv_put("fresh", "x");
  BOOST_TEST(*tx.kv_get("fresh") == Value("x"));
  ec = dirty_ec();
  BOOST_TEST(tx.kv_delete("d", ec));
  BOOST_TEST(!ec);
  BOOST_TEST(!tx.kv_get("d").has_value());
  BOOST_TEST(!tx.kv_delete("d"));     // already deleted in this view
  BOOST_TEST(tx.kv_delete("fresh"));  // own put counts as existing
  BOOST_TEST(!tx.kv_get("fresh").has_value());
  BOOST_TEST(!tx.kv_delete("never"));
  // Nothing is visible outside before commit.
  BOOST_TEST(*ok(api.kv_get("k")) == Value(1));
  BOOST_TEST(ok(api.kv_get("d")).has_value());
}

STRATA_FRONTEND_TEST(list_merges_own_puts_and_deletes_across_pages) {
  Api api(db, front);
  for (const char* k : {"a", "b", "c", "d", "e"}) db.kv_put(k, 0);
  db.kv_put("p/outside", 0);
  Transaction tx = db.begin();
  tx.kv_delete("b");
  tx.kv_put("c", 1);  // overwrite: listed once
  tx.kv_put("a0", 1);
  tx.kv_put("f", 1);
  tx.kv_delete("zz");  // absent: no effect on the listing
  tx.kv_put("g", 1);
  tx.kv_delete("g");  // own put then delete: gone
  const Keys expected{"a", "a0", "c", "d", "e", "f", "p/outside"};
  for (std::size_t limit : {1u, 2u, 3u, 7u, 50u}) {
    BOOST_TEST_CONTEXT("limit " << limit) { BOOST_TEST(tx_list_all(tx, "", limit) == expected); }
  }
  tx.kv_put("p/inside", 1);
  auto ec = dirty_ec();
  BOOST_TEST(tx.kv_list("p/", {}, ec).keys == (Keys{"p/inside", "p/outside"}));
  BOOST_TEST(!ec);
  // The merged view is what commits: the auto-commit listing shows it after.
  ok(api.commit(tx));
  BOOST_TEST(keys_of(api.kv_list()) == (Keys{"a", "a0", "c", "d", "e", "f", "p/inside", "p/outside"}));
}

// The facade here is each front end's auto-commit kv_list: the transaction
// refuses the same input with the same code and text.
STRATA_FRONTEND_TEST(list_errors_match_the_facade) {
  Api api(db, front);
  for (const char* k : {"a/1", "a/2", "b/1"}) db.kv_put(k, 0);
  Transaction tx = db.begin();
  STRATA_CHECK_ERRC(tx.kv_list("", {0, {}}), errc::invalid_limit);
  auto ec = dirty_ec();
  tx.kv_list("", {0, {}}, ec);
  BOOST_TEST(is(ec, errc::invalid_limit));
  BOOST_TEST(check_fails(api.kv_list("", {0, {}}), errc::invalid_limit) == what_of(ec));
  auto page = tx.kv_list("a/", {1, {}});
  BOOST_TEST_REQUIRE(page.next_cursor.has_value());
  // A cursor produced for prefix "a/" is foreign to prefix "b/".
  STRATA_CHECK_ERRC(tx.kv_list("b/", {1, *page.next_cursor}), errc::invalid_cursor);
  ec = dirty_ec();
  tx.kv_list("b/", {1, *page.next_cursor}, ec);
  BOOST_TEST(is(ec, errc::invalid_cursor));
  BOOST_TEST(check_fails(api.kv_list("b/", {1, *page.next_cursor}), errc::invalid_cursor) == what_of(ec));
}

STRATA_FRONTEND_TEST(invalid_input_inside_a_transaction_buffers_nothing) {
  Api api(db, front);
  db.kv_put("k", 1);
  const auto before = visible();
  Transaction tx = db.begin();
  BOOST_CHECK_EXCEPTION(tx.kv_put("", 1), strata::Error, CodeIs{errc::key_empty});
  BOOST_CHECK_EXCEPTION(tx.kv_put("_strata/x", 1), strata::Error, CodeIs{errc::key_reserved});
  BOOST_CHECK_EXCEPTION(tx.kv_get(std::string("a\0b", 3)), strata::Error, CodeIs{errc::key_contains_nul});
  BOOST_CHECK_EXCEPTION(tx.kv_delete(std::string(1025, 'k')), strata::Error, CodeIs{errc::key_too_long});
  BOOST_CHECK_EXCEPTION(tx.kv_put("k", strata::test::nested_array(129)), strata::Error,
                        (CodeAndMessage{errc::nesting_too_deep, {"\"k\""}}));
  auto ec = dirty_ec();
  tx.kv_put("k", Value(std::string(strata::kMaxValueBytes + 1, 'x')), ec);
  BOOST_TEST(is(ec, errc::value_too_large));
  BOOST_TEST(*tx.kv_get("k") == Value(1));
  // Nothing was buffered, so this is a read-only commit.
  BOOST_TEST(ok(api.commit(tx)) == before);
  BOOST_TEST(visible() == before);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(txn_lifecycle)

STRATA_FRONTEND_TEST(rollback_discards_writes) {
  Api api(db, front);
  db.kv_put("k", 1);
  const auto before = visible();
  Transaction tx = db.begin();
  tx.kv_put("k", 2);
  tx.kv_put("new", 3);
  tx.kv_delete("k");
  tx.rollback();
  BOOST_TEST(!tx.active());
  tx.rollback();  // no effect when not active
  BOOST_TEST(*ok(api.kv_get("k")) == Value(1));
  BOOST_TEST(!ok(api.kv_get("new")).has_value());
  BOOST_TEST(visible() == before);
  check_fails(api.commit(tx), errc::transaction_not_active);
}

STRATA_FRONTEND_TEST(destructor_without_commit_rolls_back) {
  Api api(db, front);
  const auto before = visible();
  {
    Transaction tx = db.begin();
    tx.kv_put("k", 1);
  }
  BOOST_TEST(!ok(api.kv_get("k")).has_value());
  BOOST_TEST(visible() == before);
  // Move-assigning over an active transaction rolls the old one back too.
  Transaction tx = db.begin();
  tx.kv_put("k", 1);
  tx = db.begin();
  BOOST_TEST(ok(api.commit(tx)) == before);
  BOOST_TEST(!ok(api.kv_get("k")).has_value());
}

STRATA_FRONTEND_TEST(commit_after_commit_is_transaction_not_active) {
  Api api(db, front);
  Transaction tx = db.begin();
  tx.kv_put("k", 1);
  const auto v = ok(api.commit(tx));
  BOOST_TEST(!tx.active());
  BOOST_TEST(*ok(api.kv_get("k")) == Value(1));
  // Refused by every commit form, whichever form committed.
  check_fails(api.commit(tx), errc::transaction_not_active);
  BOOST_CHECK_EXCEPTION(tx.commit(), strata::Error, CodeIs{errc::transaction_not_active});
  auto ec = dirty_ec();
  BOOST_TEST(tx.commit(ec) == 0u);  // the Api drops a failed call's value: checked here
  BOOST_TEST(is(ec, errc::transaction_not_active));
  STRATA_CHECK_ERRC(tx.kv_get("k"), errc::transaction_not_active);
  STRATA_CHECK_ERRC(tx.kv_put("k", 2), errc::transaction_not_active);
  STRATA_CHECK_ERRC(tx.kv_delete("k"), errc::transaction_not_active);
  STRATA_CHECK_ERRC(tx.kv_list(), errc::transaction_not_active);
  tx.kv_put("k", 2, ec);
  BOOST_TEST(is(ec, errc::transaction_not_active));
  BOOST_TEST(visible() == v);
}

STRATA_FRONTEND_TEST(read_only_commit_returns_snapshot_and_consumes_no_version) {
  Api api(db, front);
  db.kv_put("k", 1);
  Transaction tx = db.begin();
  const auto snap = tx.snapshot_version();
  BOOST_TEST(*tx.kv_get("k") == Value(1));
  tx.kv_list();
  // Even though a key it read changed, a read-only transaction never conflicts.
  const auto v2 = ok(Api(other_handle(), front).kv_put("k", 2));
  // The error_code front starts from a dirty code, so success must clear it.
  BOOST_TEST(ok(api.commit(tx)) == snap);
  BOOST_TEST(visible() == v2);
  BOOST_TEST(ok(api.kv_put("k", 3)) == v2 + 1);
}

STRATA_FRONTEND_TEST(multi_key_commit_is_visible_at_one_version) {
  Api api(db, front);
  db.kv_put("doomed", 0);
  const auto commits_before = db.info().commits;
  Transaction tx = db.begin();
  Keys keys;
  for (int i = 0; i < 16; ++i) {  // enough keys to span every shard
    keys.push_back("key-" + std::to_string(i));
    tx.kv_put(keys.back(), i);
  }
  tx.kv_delete("doomed");
  const auto v = ok(api.commit(tx));
  BOOST_TEST(visible() == v);
  BOOST_TEST(db.info().commits == commits_before + 1);
  const auto ts = ok(api.kv_history("doomed")).front().timestamp_us;
  for (const auto& k : keys) {
    BOOST_TEST_CONTEXT(k) {
      const auto h = ok(api.kv_history(k));
      BOOST_TEST_REQUIRE(h.size() == 1u);
      BOOST_TEST(h[0].version == v);
      BOOST_TEST(h[0].timestamp_us == ts);
    }
  }
  const auto doomed = ok(api.kv_history("doomed"));
  BOOST_TEST(doomed.front().tombstone);
  BOOST_TEST(doomed.front().version == v);
}

STRATA_FRONTEND_TEST(commit_on_a_deleted_run_is_run_not_found) {
  Api api(db, front);
  db.create_run("r");
  auto h = other_handle();
  h.set_run("r");
  Transaction tx = h.begin();
  tx.kv_put("k", 1);
  db.delete_run("r");
  const auto before = visible();
  check_fails(api.commit(tx), errc::run_not_found);
  BOOST_TEST(visible() == before);
}

STRATA_FRONTEND_TEST(commit_after_close_is_database_closed) {
  Api api(db, front);
  Transaction tx = db.begin();
  tx.kv_put("k", 1);
  db.close();
  auto ec = dirty_ec();
  tx.kv_get("k", ec);  // a read is an operation too
  BOOST_TEST(is(ec, errc::database_closed));
  check_fails(api.commit(tx), errc::database_closed);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- OCC conflict matrix ------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(txn_conflicts)

// (1) T1 reads k, someone commits k, T1 writes anything -> conflict.
STRATA_FRONTEND_TEST(stale_read_conflicts_and_hides_all_writes) {
  Api api(db, front);
  db.kv_put("k", 1);
  Transaction t1 = db.begin();
  BOOST_TEST(*t1.kv_get("k") == Value(1));
  Transaction t2 = other_handle().begin();
  t2.kv_put("k", 2);
  ok(api.commit(t2));
  t1.kv_put("unrelated", "t1");
  t1.kv_put("k", "t1");
  check_fails(api.commit(t1), errc::transaction_conflict, {"\"k\""});
  BOOST_TEST(!t1.active());
  BOOST_TEST(!ok(api.kv_get("unrelated")).has_value());
  BOOST_TEST(*ok(api.kv_get("k")) == Value(2));
}

// A read that found nothing conflicts with a later insert of that key.
STRATA_FRONTEND_TEST(read_of_absent_key_conflicts_with_its_insert) {
  Api api(db, front);
  Transaction t1 = db.begin();
  BOOST_TEST(!t1.kv_get("k").has_value());
  ok(Api(other_handle(), front).kv_put("k", 1));
  t1.kv_put("k", 2);
  check_fails(api.commit(t1), errc::transaction_conflict);
  BOOST_TEST(*ok(api.kv_get("k")) == Value(1));
}

// (2) Both read k and write k: first committer wins, second conflicts.
STRATA_FRONTEND_TEST(read_write_both_sides_first_committer_wins) {
  Api api(db, front);
  db.kv_put("k", 0);
  Transaction t1 = db.begin();
  Transaction t2 = other_handle().begin();
  t1.kv_put("k", t1.kv_get("k")->as_int() + 1);
  t2.kv_put("k", t2.kv_get("k")->as_int() + 10);
  ok(api.commit(t1));
  check_fails(api.commit(t2), errc::transaction_conflict);
  BOOST_TEST(*ok(api.kv_get("k")) == Value(1));
}

// (3) Blind writes never conflict: the last committer wins.
STRATA_FRONTEND_TEST(blind_writes_last_committer_wins) {
  Api api(db, front);
  Transaction t1 = db.begin();
  Transaction t2 = other_handle().begin();
  t1.kv_put("k", "t1");
  t2.kv_put("k", "t2");
  const auto v2 = ok(api.commit(t2));
  const auto v1 = ok(api.commit(t1));
  BOOST_TEST(v1 == v2 + 1);
  BOOST_TEST(*ok(api.kv_get("k")) == Value("t1"));
  const auto h = ok(api.kv_history("k"));
  BOOST_TEST_REQUIRE(h.size() == 2u);
  BOOST_TEST(h[0].value == Value("t1"));
  BOOST_TEST(h[1].value == Value("t2"));
}

// (4) Reading a key that another transaction deleted meanwhile conflicts.
STRATA_FRONTEND_TEST(read_of_key_deleted_by_other_conflicts) {
  Api api(db, front);
  db.kv_put("k", 1);
  Transaction t1 = db.begin();
  BOOST_TEST(t1.kv_get("k").has_value());
  Transaction t2 = other_handle().begin();
  BOOST_TEST(t2.kv_delete("k"));
  ok(api.commit(t2));
  t1.kv_put("other", 1);
  check_fails(api.commit(t1), errc::transaction_conflict);
  BOOST_TEST(!ok(api.kv_get("other")).has_value());
  BOOST_TEST(!ok(api.kv_get("k")).has_value());
}

// kv_delete inside a transaction reads the key, so it conflicts too.
STRATA_FRONTEND_TEST(delete_in_transaction_counts_as_a_read) {
  Api api(db, front);
  db.kv_put("k", 1);
  Transaction t1 = db.begin();
  t1.kv_delete("k");
  ok(Api(other_handle(), front).kv_put("k", 2));
  check_fails(api.commit(t1), errc::transaction_conflict);
  BOOST_TEST(*ok(api.kv_get("k")) == Value(2));
}

// (5) Transactions over disjoint keys both commit.
STRATA_FRONTEND_TEST(disjoint_keys_both_commit) {
  Api api(db, front);
  db.kv_put("a", 0);
  db.kv_put("b", 0);
  Transaction t1 = db.begin();
  Transaction t2 = other_handle().begin();
  t1.kv_put("a", t1.kv_get("a")->as_int() + 1);
  t2.kv_put("b", t2.kv_get("b")->as_int() + 1);
  const auto v1 = ok(api.commit(t1));
  BOOST_TEST(ok(api.commit(t2)) == v1 + 1);
  BOOST_TEST(*ok(api.kv_get("a")) == Value(1));
  BOOST_TEST(*ok(api.kv_get("b")) == Value(1));
}

// (6) Write skew through point reads. Validation covers every key read, so
// the textbook form (T1 reads a writes b, T2 reads b writes a) is caught: the
// second committer read a key the first one wrote. Skew through a listing
// (phantom inserts) is caught too now that listed ranges are validated: see
// a_phantom_in_a_listed_range_conflicts.
STRATA_FRONTEND_TEST(point_read_write_skew_is_caught) {
  Api api(db, front);
  db.kv_put("a", 1);
  db.kv_put("b", 1);
  Transaction t1 = db.begin();
  Transaction t2 = other_handle().begin();
  t1.kv_put("b", t1.kv_get("a")->as_int() - 1);
  t2.kv_put("a", t2.kv_get("b")->as_int() - 1);
  ok(api.commit(t1));
  check_fails(api.commit(t2), errc::transaction_conflict);
  BOOST_TEST(*ok(api.kv_get("a")) == Value(1));
  BOOST_TEST(*ok(api.kv_get("b")) == Value(0));
}

// A listing is protected against inserts (phantoms): of two transactions
// that each list "task:" and each insert a task, the second to commit
// conflicts, so "at most 3 tasks" holds (it was write skew before read
// ranges were validated).
STRATA_FRONTEND_TEST(a_phantom_in_a_listed_range_conflicts) {
  Api api(db, front);
  db.kv_put("task:1", "x");
  db.kv_put("task:2", "y");
  Transaction t1 = db.begin();
  Transaction t2 = other_handle().begin();
  BOOST_TEST(t1.kv_list("task:").keys.size() == 2u);
  BOOST_TEST(t2.kv_list("task:").keys.size() == 2u);
  t1.kv_put("task:3a", "t1");
  t2.kv_put("task:3b", "t2");
  ok(api.commit(t1));
  check_fails(api.commit(t2), errc::transaction_conflict);
  BOOST_TEST(keys_of(api.kv_list("task:")).size() == 3u);
}

// (7) An aborted commit consumes no version: versions stay gap-free.
STRATA_FRONTEND_TEST(conflict_consumes_no_version) {
  Api api(db, front);
  db.kv_put("k", 1);
  const auto conflicts_before = db.info().conflicts;
  Transaction t1 = db.begin();
  t1.kv_get("k");
  const auto v1 = ok(Api(other_handle(), front).kv_put("k", 2));
  t1.kv_put("x", 1);
  check_fails(api.commit(t1), errc::transaction_conflict);
  BOOST_TEST(visible() == v1);
  BOOST_TEST(db.info().conflicts == conflicts_before + 1);
  BOOST_TEST(ok(api.kv_history("x")).empty());
  BOOST_TEST(ok(api.kv_put("y", 1)) == v1 + 1);
}

// Listing reads the listed keys: a later change to one of them conflicts.
STRATA_FRONTEND_TEST(listed_keys_join_the_read_set) {
  Api api(db, front);
  db.kv_put("p/1", 1);
  Transaction t1 = db.begin();
  BOOST_TEST(t1.kv_list("p/").keys == Keys{"p/1"});
  ok(Api(other_handle(), front).kv_put("p/1", 2));
  t1.kv_put("out", 1);
  check_fails(api.commit(t1), errc::transaction_conflict);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- Strata::transaction(fn) ----------------------------------------------------------
// transaction(fn) itself is a throwing, synchronous facade call; what varies
// is the front end of the concurrent changes, of the checks, and of a commit
// that fn makes itself.

BOOST_AUTO_TEST_SUITE(txn_retrying)

STRATA_FRONTEND_TEST(returns_the_function_result_and_commits) {
  Api api(db, front);
  const auto result = db.transaction([](Transaction& tx) {
    tx.kv_put("k", 5);
    return std::string("done");
  });
  BOOST_TEST(result == "done");
  BOOST_TEST(*ok(api.kv_get("k")) == Value(5));
  db.transaction([](Transaction& tx) { tx.kv_put("v", true); });  // void form
  BOOST_TEST(*ok(api.kv_get("v")) == Value(true));
}

STRATA_FRONTEND_TEST(retries_after_a_conflict) {
  Api api(db, front);
  db.kv_put("counter", 10);
  Api other(other_handle(), front);
  const auto conflicts_before = db.info().conflicts;
  int calls = 0;
  const auto result = db.transaction([&](Transaction& tx) {
    ++calls;
    const auto n = tx.kv_get("counter")->as_int();
    if (calls == 1) ok(other.kv_put("counter", 100));  // invalidates this attempt's read
    tx.kv_put("counter", n + 1);
    return n + 1;
  });
  BOOST_TEST(calls == 2);
  BOOST_TEST(result == 101);
  BOOST_TEST(*ok(api.kv_get("counter")) == Value(101));
  BOOST_TEST(db.info().conflicts == conflicts_before + 1);
}

STRATA_FRONTEND_TEST(gives_up_after_max_attempts) {
  strata::Options o = strata::test::small_options();
  o.max_transaction_attempts = 3;
  auto limited = strata::Strata::open_temp(o);
  Api api(limited, front);
  Api other(strata::Strata(limited.database()), front);
  limited.kv_put("k", 0);
  int calls = 0;
  BOOST_CHECK_EXCEPTION(limited.transaction([&](Transaction& tx) {
    ++calls;
    tx.kv_get("k");
    ok(other.kv_put("k", calls));  // every attempt is invalidated
    tx.kv_put("mine", calls);
    return 0;
  }),
                        strata::Error, CodeIs{errc::transaction_conflict});
  BOOST_TEST(calls == 3);
  BOOST_TEST(!ok(api.kv_get("mine")).has_value());
  BOOST_TEST(*ok(api.kv_get("k")) == Value(3));
}

STRATA_FRONTEND_TEST(exception_from_fn_propagates_and_writes_nothing) {
  Api api(db, front);
  const auto before = visible();
  int calls = 0;
  BOOST_CHECK_THROW(db.transaction([&](Transaction& tx) -> int {
    ++calls;
    tx.kv_put("k", 1);
    throw std::runtime_error("tool failed");
  }),
                    std::runtime_error);
  BOOST_TEST(calls == 1);
  BOOST_TEST(!ok(api.kv_get("k")).has_value());
  BOOST_TEST(visible() == before);
}

STRATA_FRONTEND_TEST(fn_that_finishes_the_transaction_itself_is_not_committed_again) {
  Api api(db, front);
  const auto before = visible();
  const auto r = db.transaction([](Transaction& tx) {
    tx.kv_put("k", 1);
    tx.rollback();
    return 7;
  });
  BOOST_TEST(r == 7);
  BOOST_TEST(!ok(api.kv_get("k")).has_value());
  BOOST_TEST(visible() == before);
  // fn commits through the front end under test; transaction() must not commit again.
  const auto v = db.transaction([&](Transaction& tx) {
    tx.kv_put("k", 2);
    return ok(api.commit(tx));
  });
  BOOST_TEST(v == before + 1);
  BOOST_TEST(*ok(api.kv_get("k")) == Value(2));
}

BOOST_AUTO_TEST_SUITE_END()
