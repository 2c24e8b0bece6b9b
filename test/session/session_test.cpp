// Session::execute: results of each kind of command, routing through an
// open transaction, the refusals while one is open, and run switching.
#define BOOST_TEST_MODULE session
#include <boost/test/unit_test.hpp>

#include <strata/strata.hpp>

#include "support/fixtures.hpp"

#include <string>

using namespace strata;
using strata::test::DbFixture;

namespace {

// The Output of `command`, which must be of type O.
template <class O>
O run(Session& s, const Command& command) {
  Output out = s.execute(command);
  BOOST_REQUIRE_MESSAGE(std::holds_alternative<O>(out), command_name(command) << " gave " << output_name(out));
  return std::get<O>(out);
}

std::optional<Value> get(Session& s, const std::string& key) { return run<out::MaybeValue>(s, cmd::KvGet{.key = key}).value; }

// `command` must fail with `code` and a detail containing `needle`.
void expect_refused(Session& s, const Command& command, errc code, const std::string& needle) {
  try {
    s.execute(command);
  } catch (const Error& e) {
    BOOST_TEST((e.code() == code), command_name(command) << ": " << e.code().message() << ": " << e.detail());
    BOOST_TEST(e.detail().find(needle) != std::string::npos, e.detail());
    return;
  }
  BOOST_FAIL(command_name(command) << " was not refused");
}

struct Sessions : DbFixture {
  Session a{db};
  Session b{other_handle()};
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(auto_commit_commands_return_versions_and_values, Sessions) {
  Version v1 = run<out::VersionOut>(a, cmd::KvPut{.key = "k", .value = 1}).version;
  BOOST_TEST((get(b, "k") == Value(1)));
  BOOST_TEST(run<out::Existed>(a, cmd::KvDelete{.key = "k"}).existed);
  BOOST_TEST(run<out::Sequence>(a, cmd::EventAppend{.type = "t", .payload = {{"x", Value(1)}}}).sequence == 1u);
  BOOST_TEST(run<out::Length>(b, cmd::EventLen{}).length == 1u);
  BOOST_TEST(run<out::Verification>(a, cmd::EventVerify{}).verification.ok);
  Version set = run<out::VersionOut>(a, cmd::StateSet{.cell = "c", .value = "held"}).version;
  BOOST_TEST(set > v1);
  auto state = run<out::MaybeState>(a, cmd::StateRead{.cell = "c"}).state;
  BOOST_REQUIRE(state);
  BOOST_TEST(state->version == set);
  BOOST_TEST(!run<out::MaybeVersion>(a, cmd::StateCas{.cell = "c", .expected = set + 100, .value = 2}).version);
  BOOST_TEST(run<out::MaybeVersion>(a, cmd::StateCas{.cell = "c", .expected = set, .value = 2}).version.has_value());
  run<out::VersionOut>(a, cmd::JsonSet{.key = "d", .path = "$", .value = Value::object({{"n", 1}})});
  BOOST_TEST((run<out::ValueOut>(a, cmd::JsonIncr{.key = "d", .path = "$.n", .delta = 2}).value == Value(3)));
  BOOST_TEST(run<out::Count>(a, cmd::JsonDelete{.key = "d", .path = "$.n"}).count == 1u);
  BOOST_TEST(run<out::Pong>(a, cmd::Ping{}).text == "PONG");
  BOOST_TEST(run<out::InfoOut>(a, cmd::Info{}).current_run == "default");
  run<out::Done>(a, cmd::Flush{});
}

BOOST_FIXTURE_TEST_CASE(writes_in_a_transaction_are_invisible_until_commit, Sessions) {
  auto begun = run<out::TxnBegun>(a, cmd::Begin{});
  BOOST_TEST(begun.run == "default");
  BOOST_TEST(a.in_transaction());
  run<out::Done>(a, cmd::KvPut{.key = "k", .value = "mine"});
  run<out::Done>(a, cmd::EventAppend{.type = "t", .payload = {}});
  run<out::Done>(a, cmd::JsonSet{.key = "d", .path = "$", .value = Value::object({{"a", 1}})});
  BOOST_TEST(run<out::Wrote>(a, cmd::StateInit{.cell = "c", .value = 1}).wrote);
  BOOST_TEST(!run<out::Wrote>(a, cmd::StateCas{.cell = "c", .value = 2}).wrote);  // present in this view

  // Reads in the transaction see its own writes; another session sees nothing.
  BOOST_TEST((get(a, "k") == Value("mine")));
  BOOST_TEST(run<out::Length>(a, cmd::EventLen{}).length == 1u);
  BOOST_TEST((run<out::MaybeValue>(a, cmd::JsonGet{.key = "d", .path = "$.a"}).value == Value(1)));
  BOOST_TEST(run<out::MaybeState>(a, cmd::StateRead{.cell = "c"}).state->version == 0u);  // pending
  BOOST_TEST(!get(b, "k"));
  BOOST_TEST(run<out::Length>(b, cmd::EventLen{}).length == 0u);
  BOOST_TEST(!run<out::MaybeState>(b, cmd::StateRead{.cell = "c"}).state);

  Version committed = run<out::TxnCommitted>(a, cmd::Commit{}).version;
  BOOST_TEST(committed > begun.snapshot_version);
  BOOST_TEST(!a.in_transaction());
  BOOST_TEST((get(b, "k") == Value("mine")));
  BOOST_TEST(run<out::Length>(b, cmd::EventLen{}).length == 1u);
  BOOST_TEST(run<out::MaybeState>(b, cmd::StateRead{.cell = "c"}).state->version == committed);
}

BOOST_FIXTURE_TEST_CASE(rollback_discards_the_writes, Sessions) {
  run<out::TxnBegun>(a, cmd::Begin{});
  run<out::Done>(a, cmd::KvPut{.key = "k", .value = 1});
  run<out::TxnRolledBack>(a, cmd::Rollback{});
  BOOST_TEST(!a.in_transaction());
  BOOST_TEST(!get(a, "k"));
  BOOST_TEST(!get(b, "k"));
}

BOOST_FIXTURE_TEST_CASE(a_conflicting_commit_ends_the_transaction, Sessions) {
  run<out::VersionOut>(a, cmd::KvPut{.key = "k", .value = 0});
  run<out::TxnBegun>(a, cmd::Begin{});
  BOOST_TEST((get(a, "k") == Value(0)));                       // joins the read set
  run<out::VersionOut>(b, cmd::KvPut{.key = "k", .value = 1});  // commits after a's snapshot
  run<out::Done>(a, cmd::KvPut{.key = "k", .value = 2});
  expect_refused(a, cmd::Commit{}, errc::transaction_conflict, "begin again");
  BOOST_TEST(!a.in_transaction());
  BOOST_TEST((get(a, "k") == Value(1)));
  expect_refused(a, cmd::Commit{}, errc::transaction_not_active, "no transaction");
  run<out::TxnBegun>(a, cmd::Begin{});  // a new one can start
}

BOOST_FIXTURE_TEST_CASE(a_failed_command_leaves_the_transaction_open, Sessions) {
  run<out::TxnBegun>(a, cmd::Begin{});
  run<out::Done>(a, cmd::KvPut{.key = "k", .value = 1});
  expect_refused(a, cmd::KvPut{.key = "_strata/x", .value = 1}, errc::key_reserved, "_strata/");
  BOOST_TEST(a.in_transaction());
  run<out::TxnCommitted>(a, cmd::Commit{});
  BOOST_TEST((get(b, "k") == Value(1)));
}

BOOST_FIXTURE_TEST_CASE(transaction_refusals, Sessions) {
  expect_refused(a, cmd::Commit{}, errc::transaction_not_active, "begin");
  expect_refused(a, cmd::Rollback{}, errc::transaction_not_active, "begin");
  run<out::RunOut>(a, cmd::RunCreate{.name = "r1"});
  run<out::TxnBegun>(a, cmd::Begin{});
  const std::string hint = "commit or roll back first";
  expect_refused(a, cmd::Begin{}, errc::transaction_already_active, hint);
  expect_refused(a, cmd::RunCreate{.name = "r2"}, errc::transaction_already_active, hint);
  expect_refused(a, cmd::RunUse{.name = "r1"}, errc::transaction_already_active, hint);
  expect_refused(a, cmd::RunDelete{.name = "r1"}, errc::transaction_already_active, hint);
  expect_refused(a, cmd::RunSetStatus{.name = "r1", .status = RunStatus::Paused}, errc::transaction_already_active,
                 hint);
  expect_refused(a, cmd::RunSetMetadata{.name = "r1"}, errc::transaction_already_active, hint);
  expect_refused(a, cmd::Flush{}, errc::transaction_already_active, hint);
  expect_refused(a, cmd::Compact{}, errc::transaction_already_active, hint);
  expect_refused(a, cmd::KvPut{.run = "r1", .key = "k", .value = 1}, errc::transaction_already_active, "\"r1\"");
  expect_refused(a, cmd::KvGet{.run = "r1", .key = "k"}, errc::transaction_already_active, hint);
  BOOST_TEST(a.in_transaction());
  BOOST_TEST(!run<out::MaybeValue>(b, cmd::KvGet{.run = "r1", .key = "k"}).value);  // nothing leaked

  // Fine while open: read-only database commands, and naming the transaction's run.
  run<out::Pong>(a, cmd::Ping{});
  run<out::InfoOut>(a, cmd::Info{});
  BOOST_TEST(run<out::Runs>(a, cmd::RunList{}).runs.size() == 2u);
  BOOST_TEST(run<out::RunOut>(a, cmd::RunInfo{.name = "r1"}).run.name == "r1");
  run<out::Done>(a, cmd::KvPut{.run = "default", .key = "k", .value = 1});
  run<out::TxnCommitted>(a, cmd::Commit{});
}

BOOST_FIXTURE_TEST_CASE(whole_history_reads_go_to_the_database, Sessions) {
  run<out::VersionOut>(a, cmd::KvPut{.key = "k", .value = 1});
  run<out::Sequence>(a, cmd::EventAppend{.type = "t", .payload = {}});
  run<out::TxnBegun>(a, cmd::Begin{});
  run<out::Done>(a, cmd::KvPut{.key = "k", .value = 2});
  auto verification = run<out::Verification>(a, cmd::EventVerify{}).verification;
  BOOST_TEST(verification.ok);
  BOOST_TEST(verification.checked == 1u);
  auto history = run<out::History>(a, cmd::KvHistory{.key = "k"}).versions;
  BOOST_REQUIRE_EQUAL(history.size(), 1u);  // committed history only
  BOOST_TEST((history[0].value == Value(1)));
}

BOOST_FIXTURE_TEST_CASE(run_switching_and_naming_runs, Sessions) {
  run<out::RunOut>(a, cmd::RunCreate{.name = "r1", .metadata = {{"owner", Value("me")}}});
  BOOST_TEST(run<out::RunSelected>(a, cmd::RunUse{.name = "r1"}).name == "r1");
  BOOST_TEST(a.current_run() == "r1");
  BOOST_TEST(b.current_run() == "default");
  run<out::VersionOut>(a, cmd::KvPut{.key = "k", .value = "in r1"});
  BOOST_TEST(!get(b, "k"));
  BOOST_TEST((run<out::MaybeValue>(b, cmd::KvGet{.run = "r1", .key = "k"}).value == Value("in r1")));
  run<out::VersionOut>(a, cmd::KvPut{.run = "default", .key = "k", .value = "in default"});
  BOOST_TEST((get(b, "k") == Value("in default")));
  BOOST_TEST((get(a, "k") == Value("in r1")));  // naming a run does not switch
  expect_refused(a, cmd::KvGet{.run = "nope", .key = "k"}, errc::run_not_found, "nope");
  expect_refused(a, cmd::RunUse{.name = "nope"}, errc::run_not_found, "nope");
  expect_refused(a, cmd::RunDelete{.name = "r1"}, errc::run_is_current, "r1");

  // Begin on a named run: commands without a run go to the transaction's run.
  auto begun = run<out::TxnBegun>(b, cmd::Begin{.run = "r1"});
  BOOST_TEST(begun.run == "r1");
  BOOST_TEST((get(b, "k") == Value("in r1")));
  run<out::Done>(b, cmd::KvPut{.key = "k2", .value = 2});
  run<out::TxnCommitted>(b, cmd::Commit{});
  BOOST_TEST((get(a, "k2") == Value(2)));
  BOOST_TEST(b.current_run() == "default");

  auto status = run<out::RunOut>(a, cmd::RunSetStatus{.name = "r1", .status = RunStatus::Completed}).run;
  BOOST_TEST((status.status == RunStatus::Completed));
  BOOST_TEST(run<out::RunOut>(a, cmd::RunSetMetadata{.name = "r1", .metadata = {{"n", Value(1)}}}).run.metadata ==
             (Object{{"n", Value(1)}}));
  run<out::RunSelected>(a, cmd::RunUse{.name = "default"});
  BOOST_TEST(run<out::Deleted>(a, cmd::RunDelete{.name = "r1"}).keys_removed == 2u);
}

BOOST_FIXTURE_TEST_CASE(destroying_a_session_rolls_its_transaction_back, DbFixture) {
  {
    Session s(db);
    run<out::TxnBegun>(s, cmd::Begin{});
    run<out::Done>(s, cmd::KvPut{.key = "k", .value = 1});
  }
  BOOST_TEST(!db.kv_get("k"));
}

BOOST_FIXTURE_TEST_CASE(error_code_form, Sessions) {
  error_code ec = strata::test::dirty_ec();
  Output out = a.execute(cmd::KvPut{.key = "k", .value = 1}, ec);
  BOOST_TEST(!ec);
  BOOST_TEST(std::holds_alternative<out::VersionOut>(out));
  out = a.execute(cmd::Commit{}, ec);
  BOOST_TEST(strata::test::is(ec, errc::transaction_not_active));
  BOOST_TEST(std::holds_alternative<out::Done>(out));
}

BOOST_FIXTURE_TEST_CASE(listing_pages_follow_the_cursor, Sessions) {
  for (const char* k : {"a", "b", "c"}) run<out::VersionOut>(a, cmd::KvPut{.key = k, .value = 1});
  auto first = run<out::Keys>(a, cmd::KvList{.limit = 2});
  BOOST_TEST(first.keys == (std::vector<std::string>{"a", "b"}), boost::test_tools::per_element());
  BOOST_REQUIRE(first.next_cursor);
  auto second = run<out::Keys>(a, cmd::KvList{.limit = 2, .cursor = *first.next_cursor});
  BOOST_TEST(second.keys == (std::vector<std::string>{"c"}), boost::test_tools::per_element());
}
