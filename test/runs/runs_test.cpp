// Runs through the synchronous facade (SPEC §5 Runs, §15 isolation):
// lifecycle, naming rules, the errors of delete_run, handles whose current
// run disappears, and that no name trick lets one run see another's keys.
#define BOOST_TEST_MODULE runs
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"

#include <algorithm>
#include <string>
#include <vector>

using strata::errc;
using strata::RunInfo;
using strata::RunStatus;
using strata::Value;
using strata::test::CodeAndMessage;
using strata::test::DbFixture;
using strata::test::dirty_ec;
using strata::test::is;

namespace {

std::vector<std::string> names(const std::vector<RunInfo>& runs) {
  std::vector<std::string> out;
  for (const auto& r : runs) out.push_back(r.name);
  return out;
}

strata::Object meta(std::string owner) {
  strata::Object m;
  m["owner"] = std::move(owner);
  m["budget"] = 3;
  return m;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(run_lifecycle, DbFixture)

BOOST_AUTO_TEST_CASE(default_run_exists_and_is_current) {
  BOOST_TEST(db.current_run() == "default");
  BOOST_TEST(db.run_exists("default"));
  BOOST_TEST(names(db.list_runs()) == std::vector<std::string>{"default"});
  const auto info = db.run_info("default");
  BOOST_TEST(info.name == "default");
  BOOST_TEST((info.status == RunStatus::Active));
}

BOOST_AUTO_TEST_CASE(create_run_returns_info_and_does_not_switch) {
  const RunInfo info = db.create_run("agent-1", meta("ada"));
  BOOST_TEST(info.name == "agent-1");
  BOOST_TEST((info.status == RunStatus::Active));
  BOOST_TEST((info.metadata == meta("ada")));
  BOOST_TEST(info.created_us > 0);
  BOOST_TEST(!info.parent.has_value());
  BOOST_TEST(!info.fork_version.has_value());
  BOOST_TEST(db.current_run() == "default");
  BOOST_TEST((db.run_info("agent-1") == info));
  BOOST_TEST(db.run_exists("agent-1"));
}

BOOST_AUTO_TEST_CASE(create_existing_is_run_exists) {
  db.create_run("r", meta("first"));
  BOOST_CHECK_EXCEPTION(db.create_run("r"), strata::Error, (CodeAndMessage{errc::run_exists, {"\"r\""}}));
  STRATA_CHECK_ERRC(db.create_run("default"), errc::run_exists);
  auto ec = dirty_ec();
  db.create_run("r", {}, ec);
  BOOST_TEST(is(ec, errc::run_exists));
  BOOST_TEST((db.run_info("r").metadata == meta("first")));  // unchanged
}

BOOST_AUTO_TEST_CASE(invalid_run_names_are_rejected) {
  for (const std::string& bad : {std::string(), std::string(129, 'r'), std::string("a/b"), std::string("a b"),
                                std::string("é"), std::string("a\0b", 3), std::string("run:1")}) {
    BOOST_TEST_CONTEXT("name \"" << bad << "\"") {
      STRATA_CHECK_ERRC(db.create_run(bad), errc::invalid_run_name);
      STRATA_CHECK_ERRC(db.set_run(bad), errc::invalid_run_name);
      auto ec = dirty_ec();
      db.create_run(bad, {}, ec);
      BOOST_TEST(is(ec, errc::invalid_run_name));
    }
  }
  BOOST_CHECK_EXCEPTION(db.create_run(std::string(129, 'r')), strata::Error,
                        (CodeAndMessage{errc::invalid_run_name, {"128"}}));
  BOOST_TEST(names(db.list_runs()) == std::vector<std::string>{"default"});
}

BOOST_AUTO_TEST_CASE(valid_run_names_are_accepted) {
  const std::string longest(128, 'r');
  for (const std::string& good : {longest, std::string("AZaz09._-"), std::string(".a"), std::string("..."),
                                 std::string("-"), std::string("_"), std::string("A")}) {
    BOOST_TEST_CONTEXT("name \"" << good << "\"") {
      auto ec = dirty_ec();
      const RunInfo info = db.create_run(good, {}, ec);
      BOOST_TEST(!ec);
      BOOST_TEST(info.name == good);
      BOOST_TEST(db.run_exists(good));
    }
  }
}

BOOST_AUTO_TEST_CASE(set_run_switches_and_missing_is_run_not_found) {
  BOOST_CHECK_EXCEPTION(db.set_run("ghost"), strata::Error, (CodeAndMessage{errc::run_not_found, {"ghost"}}));
  auto ec = dirty_ec();
  db.set_run("ghost", ec);
  BOOST_TEST(is(ec, errc::run_not_found));
  BOOST_TEST(db.current_run() == "default");
  db.create_run("r");
  ec = dirty_ec();
  db.set_run("r", ec);
  BOOST_TEST(!ec);
  BOOST_TEST(db.current_run() == "r");
  db.set_run("default");
  BOOST_TEST(db.current_run() == "default");
}

BOOST_AUTO_TEST_CASE(list_runs_is_sorted_by_name) {
  for (const char* n : {"zeta", "Alpha", "beta", "alpha", "b.1", "b-1", "b_1"}) db.create_run(n);
  auto ec = dirty_ec();
  const auto runs = db.list_runs(ec);
  BOOST_TEST(!ec);
  const std::vector<std::string> expected{"Alpha", "alpha", "b-1", "b.1", "b_1", "beta", "default", "zeta"};
  BOOST_TEST(names(runs) == expected);
}

BOOST_AUTO_TEST_CASE(run_exists_and_run_info) {
  auto ec = dirty_ec();
  BOOST_TEST(!db.run_exists("r", ec));
  BOOST_TEST(!ec);
  db.create_run("r", meta("x"));
  ec = dirty_ec();
  BOOST_TEST(db.run_exists("r", ec));
  BOOST_TEST(!ec);
  ec = dirty_ec();
  BOOST_TEST((db.run_info("r", ec).metadata == meta("x")));
  BOOST_TEST(!ec);
  STRATA_CHECK_ERRC(db.run_info("ghost"), errc::run_not_found);
  db.run_info("ghost", ec);
  BOOST_TEST(is(ec, errc::run_not_found));
  STRATA_CHECK_ERRC(db.run_exists("a/b"), errc::invalid_run_name);
  db.run_exists("a/b", ec);
  BOOST_TEST(is(ec, errc::invalid_run_name));
}

BOOST_AUTO_TEST_CASE(status_and_metadata_updates) {
  const auto created = db.create_run("r", meta("x")).created_us;
  const RunInfo paused = db.set_run_status("r", RunStatus::Paused);
  BOOST_TEST((paused.status == RunStatus::Paused));
  BOOST_TEST((paused.metadata == meta("x")));  // kept
  auto ec = dirty_ec();
  const RunInfo relabeled = db.set_run_metadata("r", meta("y"), ec);
  BOOST_TEST(!ec);
  BOOST_TEST((relabeled.metadata == meta("y")));
  BOOST_TEST((relabeled.status == RunStatus::Paused));  // kept
  ec = dirty_ec();
  BOOST_TEST((db.set_run_status("r", RunStatus::Completed, ec).status == RunStatus::Completed));
  BOOST_TEST(!ec);
  const RunInfo now = db.run_info("r");
  BOOST_TEST((now.status == RunStatus::Completed));
  BOOST_TEST((now.metadata == meta("y")));
  BOOST_TEST(now.created_us == created);
  for (auto s : {RunStatus::Failed, RunStatus::Cancelled, RunStatus::Archived, RunStatus::Active})
    BOOST_TEST((db.set_run_status("r", s).status == s));

  STRATA_CHECK_ERRC(db.set_run_status("ghost", RunStatus::Paused), errc::run_not_found);
  db.set_run_metadata("ghost", {}, ec);
  BOOST_TEST(is(ec, errc::run_not_found));
  STRATA_CHECK_ERRC(db.set_run_metadata("ghost", {}), errc::run_not_found);
  db.set_run_status("ghost", RunStatus::Paused, ec);
  BOOST_TEST(is(ec, errc::run_not_found));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(run_deletion, DbFixture)

BOOST_AUTO_TEST_CASE(delete_default_is_run_is_default) {
  STRATA_CHECK_ERRC(db.delete_run("default"), errc::run_is_default);
  db.create_run("r");
  db.set_run("r");  // not current, still refused
  auto ec = dirty_ec();
  db.delete_run("default", ec);
  BOOST_TEST(is(ec, errc::run_is_default));
  BOOST_TEST(db.run_exists("default"));
}

BOOST_AUTO_TEST_CASE(delete_current_is_run_is_current) {
  db.create_run("r");
  db.set_run("r");
  db.kv_put("k", 1);
  BOOST_CHECK_EXCEPTION(db.delete_run("r"), strata::Error, (CodeAndMessage{errc::run_is_current, {"\"r\""}}));
  auto ec = dirty_ec();
  db.delete_run("r", ec);
  BOOST_TEST(is(ec, errc::run_is_current));
  BOOST_TEST(*db.kv_get("k") == Value(1));
}

BOOST_AUTO_TEST_CASE(delete_missing_is_run_not_found) {
  STRATA_CHECK_ERRC(db.delete_run("ghost"), errc::run_not_found);
  auto ec = dirty_ec();
  db.delete_run("ghost", ec);
  BOOST_TEST(is(ec, errc::run_not_found));
  STRATA_CHECK_ERRC(db.delete_run("a b"), errc::invalid_run_name);
}

BOOST_AUTO_TEST_CASE(delete_returns_keys_removed_and_data_is_gone) {
  db.create_run("r");
  db.kv_put("outside", 0);  // in "default": must survive
  strata::Strata h = other_handle();
  h.set_run("r");
  for (int i = 0; i < 10; ++i) h.kv_put("k" + std::to_string(i), i);
  h.kv_put("k0", "again");  // overwrites count once
  h.kv_delete("k9");        // tombstoned keys are not live
  h.set_run("default");

  auto ec = dirty_ec();
  const std::size_t removed = db.delete_run("r", ec);
  BOOST_TEST(!ec);
  BOOST_TEST(removed >= 9u);  // live keys; an engine may also count tombstoned ones
  BOOST_TEST(removed <= 10u);
  BOOST_TEST(!db.run_exists("r"));
  BOOST_TEST(names(db.list_runs()) == std::vector<std::string>{"default"});
  BOOST_TEST(live_kv_keys() == 1u);

  db.create_run("r");
  h.set_run("r");
  BOOST_TEST(h.kv_list().keys.empty());
  BOOST_TEST(!h.kv_get("k0").has_value());
  BOOST_TEST(h.kv_history("k0").empty());
  BOOST_TEST(*db.kv_get("outside") == Value(0));
}

BOOST_AUTO_TEST_CASE(delete_of_empty_run_removes_zero_keys) {
  db.create_run("empty");
  BOOST_TEST(db.delete_run("empty") == 0u);
}

BOOST_AUTO_TEST_CASE(handle_whose_run_was_deleted_gets_run_not_found) {
  db.create_run("r");
  strata::Strata copy = db;  // copies share the database, not the current run
  copy.set_run("r");
  copy.kv_put("k", 1);
  BOOST_TEST(db.current_run() == "default");
  BOOST_TEST(db.delete_run("r") == 1u);

  BOOST_TEST(copy.current_run() == "r");
  STRATA_CHECK_ERRC(copy.kv_get("k"), errc::run_not_found);
  STRATA_CHECK_ERRC(copy.kv_put("k", 2), errc::run_not_found);
  STRATA_CHECK_ERRC(copy.kv_delete("k"), errc::run_not_found);
  STRATA_CHECK_ERRC(copy.kv_list(), errc::run_not_found);
  STRATA_CHECK_ERRC(copy.kv_history("k"), errc::run_not_found);
  STRATA_CHECK_ERRC(copy.begin(), errc::run_not_found);
  auto ec = dirty_ec();
  copy.kv_put("k", 3, ec);
  BOOST_TEST(is(ec, errc::run_not_found));
  // The failed writes went nowhere.
  BOOST_TEST(!db.kv_get("k").has_value());
  BOOST_TEST(live_kv_keys() == 0u);
  // The handle recovers by switching away.
  copy.set_run("default");
  copy.kv_put("k", 4);
  BOOST_TEST(*db.kv_get("k") == Value(4));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- isolation -------------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(run_isolation, DbFixture)

// Runs whose names are prefixes of each other, and keys that look like a
// run prefix or a storage path, must never leak across runs.
BOOST_AUTO_TEST_CASE(prefix_named_runs_do_not_see_each_other) {
  const std::vector<std::string> runs{"a", "ab", "a.", "a.b", "b"};
  for (const auto& r : runs) db.create_run(r);
  std::vector<strata::Strata> handles;
  for (const auto& r : runs) {
    handles.push_back(other_handle());
    handles.back().set_run(r);
    // Each run writes a key of its own name, a shared key, and keys that
    // mimic another run's storage prefix.
    handles.back().kv_put("own-" + r, r);
    handles.back().kv_put("shared", r);
    handles.back().kv_put("b/kv/x", r);
    handles.back().kv_put(r + "/kv/shared", r);
  }
  db.kv_put("shared", "default");

  for (std::size_t i = 0; i < runs.size(); ++i) {
    BOOST_TEST_CONTEXT("run " << runs[i]) {
      strata::Strata& h = handles[i];
      BOOST_TEST(*h.kv_get("shared") == Value(runs[i]));
      BOOST_TEST(*h.kv_get("b/kv/x") == Value(runs[i]));
      std::vector<std::string> expected{runs[i] + "/kv/shared", "b/kv/x", "own-" + runs[i], "shared"};
      std::sort(expected.begin(), expected.end());
      BOOST_TEST(h.kv_list().keys == expected);
      BOOST_TEST(h.kv_list("", {}).keys == expected);
      BOOST_TEST(strata::test::list_all_pages(h, "", 1) == expected);
      BOOST_TEST(h.kv_list("own-").keys == std::vector<std::string>{"own-" + runs[i]});
      for (const auto& other : runs)
        if (other != runs[i]) BOOST_TEST(!h.kv_get("own-" + other).has_value());
    }
  }
  BOOST_TEST(db.kv_list().keys == std::vector<std::string>{"shared"});
}

BOOST_AUTO_TEST_CASE(deleting_a_run_leaves_prefix_named_runs_intact) {
  for (const char* r : {"a", "ab", "a."}) {
    db.create_run(r);
    db.set_run(r);
    db.kv_put("k", r);
  }
  db.set_run("default");
  BOOST_TEST(db.delete_run("a") == 1u);
  for (const char* r : {"ab", "a."}) {
    db.set_run(r);
    BOOST_TEST(*db.kv_get("k") == Value(r));
    BOOST_TEST(db.kv_list().keys == std::vector<std::string>{"k"});
  }
}

BOOST_AUTO_TEST_CASE(reserved_looking_prefixes_list_only_user_keys) {
  db.create_run("r");
  db.kv_put("_a", 1);
  // Whatever the engine keeps for itself must not show through a listing.
  BOOST_TEST(db.kv_list("_strata").keys.empty());
  BOOST_TEST(db.kv_list("_").keys == std::vector<std::string>{"_a"});
  db.set_run("r");
  BOOST_TEST(db.kv_list("").keys.empty());
  BOOST_TEST(db.kv_list("_").keys.empty());
}

// errc::invalid_cursor is "a pagination cursor this run/prefix did not
// produce": a cursor from run "a" is foreign to run "ab", same prefix.
BOOST_AUTO_TEST_CASE(cursor_from_another_run_is_invalid_cursor) {
  db.create_run("a");
  db.create_run("ab");
  strata::Strata a = other_handle();
  strata::Strata ab = other_handle();
  a.set_run("a");
  ab.set_run("ab");
  for (const char* k : {"k1", "k2", "k3"}) {
    a.kv_put(k, 0);
    ab.kv_put(k, 0);
  }
  const auto page = a.kv_list("k", {1, {}});
  BOOST_TEST_REQUIRE(page.next_cursor.has_value());
  STRATA_CHECK_ERRC(ab.kv_list("k", {1, *page.next_cursor}), errc::invalid_cursor);
}

BOOST_AUTO_TEST_CASE(transactions_stay_in_their_run) {
  db.create_run("a");
  db.create_run("ab");
  strata::Strata h = other_handle();
  h.set_run("a");
  auto tx = h.begin();
  BOOST_TEST(tx.run() == "a");
  tx.kv_put("k", "from-a");
  tx.commit();
  h.set_run("ab");
  BOOST_TEST(!h.kv_get("k").has_value());
  BOOST_TEST(h.begin().kv_list().keys.empty());
  BOOST_TEST(!db.kv_get("k").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
