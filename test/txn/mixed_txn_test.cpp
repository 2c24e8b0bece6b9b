// Transactions that mix every primitive (SPEC §6): KV, events, state cells
// and JSON commit together at one version or not at all. Checks visibility
// before and after commit (including from a concurrent snapshot), rollback,
// a conflict on any one primitive aborting everything (no event appended, no
// sequence or version consumed), read-your-writes per primitive, and
// Strata::transaction retrying a mixed body.
#define BOOST_TEST_MODULE txn_mixed
#include <boost/test/unit_test.hpp>

#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

#include <strata/strata.hpp>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

using strata::errc;
using strata::error_code;
using strata::Strata;
using strata::Transaction;
using strata::Value;
using strata::Version;
using strata::test::DbFixture;
using strata::test::is;

namespace {

Value json(std::string_view text) { return Value::parse_json(text); }
Value ev(int i) { return Value::object({{"i", i}}); }

/// One write of every primitive.
void write_everything(Transaction& tx) {
  tx.kv_put("k", Value("kv"));
  tx.event_append("created", ev(1));
  tx.event_append("updated", ev(2));
  tx.state_set("cell", Value("state"));
  tx.json_set("doc", "$.field", Value("json"));
}

/// None of write_everything's effects are visible through `s`.
void nothing_visible(Strata& s) {
  BOOST_TEST(!s.kv_get("k").has_value());
  BOOST_TEST(s.event_len() == 0u);
  BOOST_TEST(!s.event_read(1).has_value());
  BOOST_TEST(s.event_read_by_type("created").empty());
  BOOST_TEST(!s.state_read("cell").has_value());
  BOOST_TEST(!s.json_get("doc", "$").has_value());
}

/// None of them are visible in transaction `t`'s snapshot.
void nothing_visible(Transaction& t) {
  BOOST_TEST(!t.kv_get("k").has_value());
  BOOST_TEST(!t.event_read(1).has_value());
  BOOST_TEST(t.event_range(1, 10).empty());
  BOOST_TEST(!t.state_read("cell").has_value());
  BOOST_TEST(!t.json_get("doc", "$").has_value());
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(mixed_txn, DbFixture)

// ---- atomicity ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(all_primitives_commit_at_one_version) {
  Transaction early = db.begin();  // a snapshot from before the commit
  Transaction tx = db.begin();
  write_everything(tx);
  nothing_visible(db);
  const Version v = tx.commit();
  BOOST_TEST(v == visible());
  // Everything is there, at version v and one timestamp.
  BOOST_TEST((db.kv_get("k") == Value("kv")));
  BOOST_TEST(db.kv_history("k").at(0).version == v);
  auto cell = db.state_read("cell");
  BOOST_TEST_REQUIRE(cell.has_value());
  BOOST_TEST(cell->version == v);
  BOOST_TEST((db.json_get("doc", "$") == json(R"({"field":"json"})")));
  BOOST_TEST(db.event_len() == 2u);
  auto events = db.event_range(1, 2);
  BOOST_TEST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[0].type == "created");
  BOOST_TEST(events[1].type == "updated");
  BOOST_TEST(events[0].timestamp_us == events[1].timestamp_us);
  BOOST_TEST(events[0].timestamp_us == cell->timestamp_us);
  BOOST_TEST(db.event_verify().ok);
  // The older snapshot still sees none of it.
  nothing_visible(early);
  BOOST_TEST(early.event_len() == 0u);
  early.rollback();
  Transaction late = db.begin();
  BOOST_TEST(late.event_len() == 2u);
  BOOST_TEST((late.json_get("doc", "$.field") == Value("json")));
}

BOOST_AUTO_TEST_CASE(a_mixed_commit_consumes_exactly_one_version) {
  const Version before = visible();
  Transaction tx = db.begin();
  write_everything(tx);
  BOOST_TEST(tx.commit() == before + 1);
  BOOST_TEST(db.info().commits >= 1u);
}

BOOST_AUTO_TEST_CASE(rollback_discards_every_primitive) {
  const Version before = visible();
  {
    Transaction tx = db.begin();
    write_everything(tx);
    tx.rollback();
    BOOST_TEST(!tx.active());
  }
  {
    Transaction dropped = db.begin();  // destroyed while active
    write_everything(dropped);
  }
  nothing_visible(db);
  BOOST_TEST(visible() == before);
  BOOST_TEST(db.event_append("first", ev(0)) == 1u);  // no sequence was consumed
}

// ---- conflicts abort everything --------------------------------------------------------------

namespace {

struct ConflictCase {
  const char* name;
  std::function<void(Transaction&)> read;  // the read that will be invalidated
  std::function<void(Strata&)> interfere;  // a commit by someone else
};

std::vector<ConflictCase> conflict_cases() {
  return {
      {"kv", [](Transaction& t) { t.kv_get("guard"); }, [](Strata& s) { s.kv_put("guard", Value(1)); }},
      {"state", [](Transaction& t) { t.state_read("guard"); }, [](Strata& s) { s.state_set("guard", Value(1)); }},
      {"state_cas", [](Transaction& t) { BOOST_TEST(t.state_cas("guard", std::nullopt, Value(0))); },
       [](Strata& s) { s.state_set("guard", Value(1)); }},
      {"json", [](Transaction& t) { t.json_get("gdoc", "$.x"); },
       [](Strata& s) { s.json_set("gdoc", "$.x", Value(1)); }},
      {"event_len", [](Transaction& t) { t.event_len(); }, [](Strata& s) { s.event_append("other", ev(9)); }},
  };
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_conflict_on_any_primitive_aborts_all_of_them) {
  for (const auto& c : conflict_cases()) {
    BOOST_TEST_CONTEXT("conflict on " << c.name) {
      DbFixture f;  // a fresh database per case
      Strata other = f.other_handle();
      Transaction tx = f.db.begin();
      c.read(tx);
      write_everything(tx);
      c.interfere(other);
      const Version v = f.visible();
      const auto len = f.db.event_len();
      const auto conflicts = f.db.info().conflicts;
      error_code ec;
      tx.commit(ec);
      BOOST_TEST(is(ec, errc::transaction_conflict));
      BOOST_TEST(!tx.active());
      BOOST_TEST(f.visible() == v);
      BOOST_TEST(f.db.event_len() == len);
      BOOST_TEST(f.db.info().conflicts == conflicts + 1);
      BOOST_TEST(!f.db.kv_get("k").has_value());
      BOOST_TEST(!f.db.state_read("cell").has_value());
      BOOST_TEST(!f.db.json_get("doc", "$").has_value());
      BOOST_TEST(f.db.event_read_by_type("created").empty());
      // The next append takes the next sequence: none was consumed.
      BOOST_TEST(f.db.event_append("next", ev(0)) == len + 1);
      BOOST_TEST(f.db.event_verify().ok);
    }
  }
}

BOOST_AUTO_TEST_CASE(appends_without_a_length_read_never_conflict) {
  Transaction t1 = db.begin(), t2 = db.begin();
  t1.event_append("a", ev(1));
  t2.event_append("b", ev(2));
  t2.event_append("b", ev(3));
  db.event_append("c", ev(4));  // auto-commit in between: sequence 1
  t2.commit();                  // sequences 2, 3
  t1.commit();                  // sequence 4
  BOOST_TEST(db.event_len() == 4u);
  BOOST_TEST(db.event_read(1)->type == "c");
  BOOST_TEST(db.event_read(2)->type == "b");
  BOOST_TEST((db.event_read(3)->payload.at("i") == Value(3)));
  BOOST_TEST(db.event_read(4)->type == "a");
  BOOST_TEST(db.event_verify().ok);
  BOOST_TEST(db.event_verify().checked == 4u);
}

BOOST_AUTO_TEST_CASE(append_if_the_log_has_n_events) {
  // The documented use of event_len: append only if nobody else appended.
  db.event_append("seed", ev(0));
  Transaction t1 = db.begin(), t2 = db.begin();
  BOOST_TEST(t1.event_len() == 1u);
  BOOST_TEST(t2.event_len() == 1u);
  t1.event_append("mine", ev(1));
  t2.event_append("mine", ev(2));
  t1.commit();
  STRATA_CHECK_ERRC(t2.commit(), errc::transaction_conflict);
  BOOST_TEST(db.event_len() == 2u);
  BOOST_TEST((db.event_read(2)->payload.at("i") == Value(1)));
}

// ---- read-your-writes ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(reads_see_own_writes_per_primitive) {
  db.event_append("seed", ev(0));
  db.state_set("existing", Value(1));
  Transaction tx = db.begin();
  tx.kv_put("k", Value(1));
  BOOST_TEST((tx.kv_get("k") == Value(1)));
  BOOST_TEST(tx.kv_delete("k"));
  BOOST_TEST(!tx.kv_get("k").has_value());

  tx.state_set("cell", Value("mine"));
  auto cell = tx.state_read("cell");
  BOOST_TEST_REQUIRE(cell.has_value());
  BOOST_TEST((cell->value == Value("mine")));
  BOOST_TEST(cell->version == 0u);                             // pending: no version yet
  BOOST_TEST(!tx.state_init("cell", Value("other")));           // present in this view
  BOOST_TEST(!tx.state_cas("cell", Version{0}, Value("x")));    // a pending write never matches
  BOOST_TEST(!tx.state_cas("cell", std::nullopt, Value("x")));  // not absent
  const Version existing = db.state_read("existing")->version;
  BOOST_TEST(tx.state_cas("existing", existing, Value(2)));
  BOOST_TEST((tx.state_read("existing")->value == Value(2)));
  BOOST_TEST(tx.state_init("fresh", Value(3)));
  BOOST_TEST((tx.state_read("fresh")->value == Value(3)));

  tx.json_set("doc", "$.a", Value(1));
  tx.json_set("doc", "$.list", Value::array({}));
  tx.json_array_append("doc", "$.list", Value(2));
  BOOST_TEST((tx.json_incr("doc", "$.a", Value(4)) == Value(5)));
  BOOST_TEST((tx.json_get("doc", "$") == json(R"({"a":5,"list":[2]})")));
  BOOST_TEST(tx.json_delete("doc", "$.list[0]") == 1u);
  BOOST_TEST(tx.json_delete("doc", "$.list[0]") == 0u);
  BOOST_TEST((tx.json_list().keys == std::vector<std::string>{"doc"}));
  BOOST_TEST(tx.json_delete("doc", "$") == 1u);
  BOOST_TEST(!tx.json_get("doc", "$").has_value());
  BOOST_TEST(tx.json_list().keys.empty());
  tx.json_set("doc", "$.b", Value(true));

  BOOST_TEST(tx.event_len() == 1u);
  tx.event_append("mine", ev(1));
  tx.event_append("mine", ev(2));
  BOOST_TEST(tx.event_len() == 3u);  // snapshot + pending
  // Own appends are not readable until commit (their sequences are unknown).
  BOOST_TEST(!tx.event_read(2).has_value());
  BOOST_TEST(tx.event_read_by_type("mine").empty());
  BOOST_TEST(tx.event_range(1, 10).size() == 1u);

  tx.commit();
  BOOST_TEST(!db.kv_get("k").has_value());
  BOOST_TEST((db.state_read("cell")->value == Value("mine")));
  BOOST_TEST((db.state_read("existing")->value == Value(2)));
  BOOST_TEST((db.state_read("fresh")->value == Value(3)));
  BOOST_TEST((db.json_get("doc", "$") == json(R"({"b":true})")));
  BOOST_TEST(db.event_len() == 3u);
  BOOST_TEST(db.event_read_by_type("mine").size() == 2u);
}

BOOST_AUTO_TEST_CASE(invalid_input_in_a_transaction_fails_the_call_only) {
  Transaction tx = db.begin();
  tx.kv_put("k", Value(1));
  STRATA_CHECK_ERRC(tx.event_append("", ev(1)), errc::invalid_event_type);
  STRATA_CHECK_ERRC(tx.event_append("t", Value(1)), errc::wrong_type);
  STRATA_CHECK_ERRC(tx.event_read(0), errc::invalid_sequence);
  STRATA_CHECK_ERRC(tx.event_range(2, 1), errc::invalid_sequence);
  STRATA_CHECK_ERRC(tx.event_read_by_type("t", 0), errc::invalid_limit);
  STRATA_CHECK_ERRC(tx.state_set("", Value(1)), errc::key_empty);
  STRATA_CHECK_ERRC(tx.state_set("c", strata::test::nested_array(129)), errc::nesting_too_deep);
  STRATA_CHECK_ERRC(tx.json_set("doc", "$.", Value(1)), errc::invalid_path);
  STRATA_CHECK_ERRC(tx.json_incr("doc", "$.n", Value(1)), errc::document_not_found);
  tx.json_set("doc", "$.s", Value("str"));
  STRATA_CHECK_ERRC(tx.json_incr("doc", "$.s", Value(1)), errc::wrong_type);
  STRATA_CHECK_ERRC(tx.json_array_append("doc", "$.s", Value(1)), errc::wrong_type);
  STRATA_CHECK_ERRC(tx.json_set("doc", "$.list[0]", Value(1)), errc::invalid_path);
  error_code ec;
  tx.event_append("t", Value("x"), ec);
  BOOST_TEST(is(ec, errc::wrong_type));
  BOOST_TEST(tx.active());
  tx.event_append("ok", ev(1));
  tx.commit();
  BOOST_TEST(db.event_len() == 1u);  // only the valid append
  BOOST_TEST((db.json_get("doc", "$") == json(R"({"s":"str"})")));
  BOOST_TEST(!db.state_read("c").has_value());
}

BOOST_AUTO_TEST_CASE(new_operations_refuse_an_inactive_transaction) {
  Transaction tx = db.begin();
  tx.commit();
  STRATA_CHECK_ERRC(tx.event_append("t", ev(1)), errc::transaction_not_active);
  STRATA_CHECK_ERRC(tx.event_len(), errc::transaction_not_active);
  STRATA_CHECK_ERRC(tx.event_read(1), errc::transaction_not_active);
  STRATA_CHECK_ERRC(tx.state_read("c"), errc::transaction_not_active);
  STRATA_CHECK_ERRC(tx.state_set("c", Value(1)), errc::transaction_not_active);
  STRATA_CHECK_ERRC(tx.state_cas("c", std::nullopt, Value(1)), errc::transaction_not_active);
  STRATA_CHECK_ERRC(tx.json_get("d", "$"), errc::transaction_not_active);
  STRATA_CHECK_ERRC(tx.json_set("d", "$", Value(1)), errc::transaction_not_active);
  STRATA_CHECK_ERRC(tx.json_list(), errc::transaction_not_active);
}

BOOST_AUTO_TEST_CASE(state_cas_in_a_transaction_is_checked_at_commit) {
  const Version v = db.state_set("c", Value(1));
  Transaction tx = db.begin();
  BOOST_TEST(tx.state_cas("c", v, Value(2)));
  BOOST_TEST(!tx.state_cas("c", v + 1, Value(3)));  // the view holds the pending write now
  db.state_set("c", Value(10));                     // someone else moves the cell
  STRATA_CHECK_ERRC(tx.commit(), errc::transaction_conflict);
  BOOST_TEST((db.state_read("c")->value == Value(10)));
}

BOOST_AUTO_TEST_CASE(committing_into_a_deleted_run_fails_whole) {
  db.create_run("r");
  Transaction tx = db.database()->begin("r");
  write_everything(tx);
  db.delete_run("r");
  STRATA_CHECK_ERRC(tx.commit(), errc::run_not_found);
  BOOST_TEST(db.info().keys["event"] == 0u);
  BOOST_TEST(db.info().keys["state"] == 0u);
  BOOST_TEST(db.info().keys["json"] == 0u);
}

// ---- the retrying form -----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(transaction_retries_a_mixed_body_and_applies_it_once) {
  Strata other = other_handle();
  db.kv_put("counter", Value(0));
  int attempts = 0;
  const std::int64_t result = db.transaction([&](Transaction& tx) {
    ++attempts;
    const std::int64_t n = tx.kv_get("counter")->as_int();
    if (attempts == 1) other.kv_put("counter", Value(100));  // invalidates this attempt
    tx.kv_put("counter", Value(n + 1));
    tx.event_append("incremented", Value::object({{"to", n + 1}}));
    tx.state_set("last", Value(n + 1));
    tx.json_set("summary", "$.count", Value(n + 1));
    return n + 1;
  });
  BOOST_TEST(attempts == 2);
  BOOST_TEST(result == 101);
  BOOST_TEST((db.kv_get("counter") == Value(101)));
  BOOST_TEST(db.event_len() == 1u);  // the failed attempt appended nothing
  BOOST_TEST((db.event_read(1)->payload.at("to") == Value(101)));
  BOOST_TEST((db.state_read("last")->value == Value(101)));
  BOOST_TEST((db.json_get("summary", "$.count") == Value(101)));
}

BOOST_AUTO_TEST_CASE(an_exception_in_a_mixed_body_rolls_everything_back) {
  const Version v = visible();
  BOOST_CHECK_THROW(db.transaction([&](Transaction& tx) {
    write_everything(tx);
    throw std::runtime_error("agent gave up");
  }),
                    std::runtime_error);
  nothing_visible(db);
  BOOST_TEST(visible() == v);
}

// ---- durability ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_mixed_commit_survives_reopen) {
  strata::test::TempDir dir("mixed");
  strata::Options o;
  o.durability = strata::Durability::Strict;
  Version v = 0;
  {
    Strata s = Strata::open(dir.db(), o);
    Transaction tx = s.begin();
    write_everything(tx);
    v = tx.commit();
    s.close();
  }
  Strata s = Strata::open(dir.db(), o);
  BOOST_TEST((s.kv_get("k") == Value("kv")));
  BOOST_TEST(s.state_read("cell")->version == v);
  BOOST_TEST((s.json_get("doc", "$.field") == Value("json")));
  BOOST_TEST(s.event_len() == 2u);
  BOOST_TEST(s.event_verify().ok);
  BOOST_TEST(s.event_append("after", ev(3)) == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
