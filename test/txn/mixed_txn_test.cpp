// Transactions that mix every primitive (docs/design/transactions.md): KV, events, state cells
// and JSON commit together at one version or not at all. Checks visibility
// before and after commit (including from a concurrent snapshot), rollback,
// a conflict on any one primitive aborting everything (no event appended, no
// sequence or version consumed), read-your-writes per primitive, and
// Strata::transaction retrying a mixed body.
//
// The cases run through every front end of the public API
// (support/frontends.hpp). A Transaction's reads and writes are synchronous
// only, so what varies is the commit — api.commit(tx): commit(), commit(ec)
// or async_commit — and the auto-commit operations that make concurrent
// changes or check results.
#define BOOST_TEST_MODULE txn_mixed
#include "support/frontends.hpp"
#include "support/temp_dir.hpp"

#include <strata/strata.hpp>

#include <boost/test/unit_test.hpp>

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
using strata::test::Api;
using strata::test::check_fails;
using strata::test::DbFixture;
using strata::test::ok;

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

/// None of write_everything's effects are visible through `api`.
void nothing_visible(Api& api) {
  BOOST_TEST(!ok(api.kv_get("k")).has_value());
  BOOST_TEST(ok(api.event_len()) == 0u);
  BOOST_TEST(!ok(api.event_read(1)).has_value());
  BOOST_TEST(ok(api.event_read_by_type("created")).empty());
  BOOST_TEST(!ok(api.state_read("cell")).has_value());
  BOOST_TEST(!ok(api.json_get("doc", "$")).has_value());
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

BOOST_AUTO_TEST_SUITE(mixed_txn)

// ---- atomicity ------------------------------------------------------------------------

STRATA_FRONTEND_TEST(all_primitives_commit_at_one_version) {
  Api api(db, front);
  Transaction early = db.begin();  // a snapshot from before the commit
  Transaction tx = db.begin();
  write_everything(tx);
  nothing_visible(api);
  const Version v = ok(api.commit(tx));
  BOOST_TEST(v == visible());
  // Everything is there, at version v and one timestamp.
  BOOST_TEST((ok(api.kv_get("k")) == Value("kv")));
  BOOST_TEST(ok(api.kv_history("k")).at(0).version == v);
  auto cell = ok(api.state_read("cell"));
  BOOST_TEST_REQUIRE(cell.has_value());
  BOOST_TEST(cell->version == v);
  BOOST_TEST((ok(api.json_get("doc", "$")) == json(R"({"field":"json"})")));
  BOOST_TEST(ok(api.event_len()) == 2u);
  auto events = ok(api.event_range(1, 2));
  BOOST_TEST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[0].type == "created");
  BOOST_TEST(events[1].type == "updated");
  BOOST_TEST(events[0].timestamp_us == events[1].timestamp_us);
  BOOST_TEST(events[0].timestamp_us == cell->timestamp_us);
  BOOST_TEST(ok(api.event_verify()).ok);
  // The older snapshot still sees none of it.
  nothing_visible(early);
  BOOST_TEST(early.event_len() == 0u);
  early.rollback();
  Transaction late = db.begin();
  BOOST_TEST(late.event_len() == 2u);
  BOOST_TEST((late.json_get("doc", "$.field") == Value("json")));
}

STRATA_FRONTEND_TEST(a_mixed_commit_consumes_exactly_one_version) {
  Api api(db, front);
  const Version before = visible();
  Transaction tx = db.begin();
  write_everything(tx);
  BOOST_TEST(ok(api.commit(tx)) == before + 1);
  BOOST_TEST(db.info().commits >= 1u);
}

STRATA_FRONTEND_TEST(rollback_discards_every_primitive) {
  Api api(db, front);
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
  nothing_visible(api);
  BOOST_TEST(visible() == before);
  BOOST_TEST(ok(api.event_append("first", ev(0))) == 1u);  // no sequence was consumed
}

// ---- conflicts abort everything --------------------------------------------------------------

namespace {

struct ConflictCase {
  const char* name;
  std::function<void(Transaction&)> read;  // the read that will be invalidated
  std::function<void(Api&)> interfere;     // a commit by someone else, through the front end under test
};

std::vector<ConflictCase> conflict_cases() {
  return {
      {"kv", [](Transaction& t) { t.kv_get("guard"); }, [](Api& s) { ok(s.kv_put("guard", Value(1))); }},
      {"state", [](Transaction& t) { t.state_read("guard"); }, [](Api& s) { ok(s.state_set("guard", Value(1))); }},
      {"state_cas", [](Transaction& t) { BOOST_TEST(t.state_cas("guard", std::nullopt, Value(0))); },
       [](Api& s) { ok(s.state_set("guard", Value(1))); }},
      {"json", [](Transaction& t) { t.json_get("gdoc", "$.x"); },
       [](Api& s) { ok(s.json_set("gdoc", "$.x", Value(1))); }},
      {"event_len", [](Transaction& t) { t.event_len(); }, [](Api& s) { ok(s.event_append("other", ev(9))); }},
  };
}

}  // namespace

STRATA_FRONTEND_TEST(a_conflict_on_any_primitive_aborts_all_of_them) {
  for (const auto& c : conflict_cases()) {
    BOOST_TEST_CONTEXT("conflict on " << c.name) {
      DbFixture f;  // a fresh database per case
      Api api(f.db, front);
      Api other(f.other_handle(), front);
      Transaction tx = f.db.begin();
      c.read(tx);
      write_everything(tx);
      c.interfere(other);
      const Version v = f.visible();
      const auto len = ok(api.event_len());
      const auto conflicts = f.db.info().conflicts;
      check_fails(api.commit(tx), errc::transaction_conflict);
      BOOST_TEST(!tx.active());
      BOOST_TEST(f.visible() == v);
      BOOST_TEST(ok(api.event_len()) == len);
      BOOST_TEST(f.db.info().conflicts == conflicts + 1);
      BOOST_TEST(!ok(api.kv_get("k")).has_value());
      BOOST_TEST(!ok(api.state_read("cell")).has_value());
      BOOST_TEST(!ok(api.json_get("doc", "$")).has_value());
      BOOST_TEST(ok(api.event_read_by_type("created")).empty());
      // The next append takes the next sequence: none was consumed.
      BOOST_TEST(ok(api.event_append("next", ev(0))) == len + 1);
      BOOST_TEST(ok(api.event_verify()).ok);
    }
  }
}

STRATA_FRONTEND_TEST(appends_without_a_length_read_never_conflict) {
  Api api(db, front);
  Transaction t1 = db.begin(), t2 = db.begin();
  t1.event_append("a", ev(1));
  t2.event_append("b", ev(2));
  t2.event_append("b", ev(3));
  ok(api.event_append("c", ev(4)));  // auto-commit in between: sequence 1
  ok(api.commit(t2));                // sequences 2, 3
  ok(api.commit(t1));                // sequence 4
  BOOST_TEST(ok(api.event_len()) == 4u);
  BOOST_TEST(ok(api.event_read(1))->type == "c");
  BOOST_TEST(ok(api.event_read(2))->type == "b");
  BOOST_TEST((ok(api.event_read(3))->payload.at("i") == Value(3)));
  BOOST_TEST(ok(api.event_read(4))->type == "a");
  const auto verified = ok(api.event_verify());
  BOOST_TEST(verified.ok);
  BOOST_TEST(verified.checked == 4u);
}

STRATA_FRONTEND_TEST(append_if_the_log_has_n_events) {
  Api api(db, front);
  // The documented use of event_len: append only if nobody else appended.
  db.event_append("seed", ev(0));
  Transaction t1 = db.begin(), t2 = db.begin();
  BOOST_TEST(t1.event_len() == 1u);
  BOOST_TEST(t2.event_len() == 1u);
  t1.event_append("mine", ev(1));
  t2.event_append("mine", ev(2));
  ok(api.commit(t1));
  check_fails(api.commit(t2), errc::transaction_conflict);
  BOOST_TEST(ok(api.event_len()) == 2u);
  BOOST_TEST((ok(api.event_read(2))->payload.at("i") == Value(1)));
}

// ---- read-your-writes ----------------------------------------------------------------------

STRATA_FRONTEND_TEST(reads_see_own_writes_per_primitive) {
  Api api(db, front);
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
  const Version existing = ok(api.state_read("existing"))->version;
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

  ok(api.commit(tx));
  BOOST_TEST(!ok(api.kv_get("k")).has_value());
  BOOST_TEST((ok(api.state_read("cell"))->value == Value("mine")));
  BOOST_TEST((ok(api.state_read("existing"))->value == Value(2)));
  BOOST_TEST((ok(api.state_read("fresh"))->value == Value(3)));
  BOOST_TEST((ok(api.json_get("doc", "$")) == json(R"({"b":true})")));
  BOOST_TEST(ok(api.event_len()) == 3u);
  BOOST_TEST(ok(api.event_read_by_type("mine")).size() == 2u);
}

STRATA_FRONTEND_TEST(invalid_input_in_a_transaction_fails_the_call_only) {
  Api api(db, front);
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
  BOOST_TEST(strata::test::is(ec, errc::wrong_type));
  BOOST_TEST(tx.active());
  tx.event_append("ok", ev(1));
  ok(api.commit(tx));
  BOOST_TEST(ok(api.event_len()) == 1u);  // only the valid append
  BOOST_TEST((ok(api.json_get("doc", "$")) == json(R"({"s":"str"})")));
  BOOST_TEST(!ok(api.state_read("c")).has_value());
}

// The commit varies: every commit form leaves the transaction inactive.
STRATA_FRONTEND_TEST(new_operations_refuse_an_inactive_transaction) {
  Api api(db, front);
  Transaction tx = db.begin();
  ok(api.commit(tx));
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

STRATA_FRONTEND_TEST(state_cas_in_a_transaction_is_checked_at_commit) {
  Api api(db, front);
  const Version v = db.state_set("c", Value(1));
  Transaction tx = db.begin();
  BOOST_TEST(tx.state_cas("c", v, Value(2)));
  BOOST_TEST(!tx.state_cas("c", v + 1, Value(3)));  // the view holds the pending write now
  ok(api.state_set("c", Value(10)));                // someone else moves the cell
  check_fails(api.commit(tx), errc::transaction_conflict);
  BOOST_TEST((ok(api.state_read("c"))->value == Value(10)));
}

STRATA_FRONTEND_TEST(committing_into_a_deleted_run_fails_whole) {
  Api api(db, front);
  db.create_run("r");
  Transaction tx = db.database()->begin("r");
  write_everything(tx);
  db.delete_run("r");
  check_fails(api.commit(tx), errc::run_not_found);
  BOOST_TEST(db.info().keys["event"] == 0u);
  BOOST_TEST(db.info().keys["state"] == 0u);
  BOOST_TEST(db.info().keys["json"] == 0u);
}

// ---- the retrying form -----------------------------------------------------------------------
// transaction(fn) is a throwing, synchronous facade call; the concurrent
// change and the checks go through the front end under test.

STRATA_FRONTEND_TEST(transaction_retries_a_mixed_body_and_applies_it_once) {
  Api api(db, front);
  Api other(other_handle(), front);
  db.kv_put("counter", Value(0));
  int attempts = 0;
  const std::int64_t result = db.transaction([&](Transaction& tx) {
    ++attempts;
    const std::int64_t n = tx.kv_get("counter")->as_int();
    if (attempts == 1) ok(other.kv_put("counter", Value(100)));  // invalidates this attempt
    tx.kv_put("counter", Value(n + 1));
    tx.event_append("incremented", Value::object({{"to", n + 1}}));
    tx.state_set("last", Value(n + 1));
    tx.json_set("summary", "$.count", Value(n + 1));
    return n + 1;
  });
  BOOST_TEST(attempts == 2);
  BOOST_TEST(result == 101);
  BOOST_TEST((ok(api.kv_get("counter")) == Value(101)));
  BOOST_TEST(ok(api.event_len()) == 1u);  // the failed attempt appended nothing
  BOOST_TEST((ok(api.event_read(1))->payload.at("to") == Value(101)));
  BOOST_TEST((ok(api.state_read("last"))->value == Value(101)));
  BOOST_TEST((ok(api.json_get("summary", "$.count")) == Value(101)));
}

STRATA_FRONTEND_TEST(an_exception_in_a_mixed_body_rolls_everything_back) {
  Api api(db, front);
  const Version v = visible();
  BOOST_CHECK_THROW(db.transaction([&](Transaction& tx) {
    write_everything(tx);
    throw std::runtime_error("agent gave up");
  }),
                    std::runtime_error);
  nothing_visible(api);
  BOOST_TEST(visible() == v);
}

// ---- durability ----------------------------------------------------------------------------

// Strict durability: each commit form must not complete before the commit
// is on disk, so a reopen finds it.
STRATA_FRONTEND_TEST(a_mixed_commit_survives_reopen) {
  strata::test::TempDir dir("mixed");
  strata::Options o;
  o.durability = strata::Durability::Strict;
  Version v = 0;
  {
    Strata s = Strata::open(dir.db(), o);
    Transaction tx = s.begin();
    write_everything(tx);
    v = ok(Api(s, front).commit(tx));
    s.close();
  }
  Strata s = Strata::open(dir.db(), o);
  Api api(s, front);
  BOOST_TEST((ok(api.kv_get("k")) == Value("kv")));
  BOOST_TEST(ok(api.state_read("cell"))->version == v);
  BOOST_TEST((ok(api.json_get("doc", "$.field")) == Value("json")));
  BOOST_TEST(ok(api.event_len()) == 2u);
  BOOST_TEST(ok(api.event_verify()).ok);
  BOOST_TEST(ok(api.event_append("after", ev(3))) == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
