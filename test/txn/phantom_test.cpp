// Read ranges (docs/design/transactions.md): a transaction's listings are
// validated at commit, so a key another transaction writes into a listed
// range after the snapshot — an insert (a phantom), a change or a delete —
// makes the commit conflict, for KV and JSON listings, event ranges and the
// per-type event index; writes outside the range covered do not. Every case
// commits through the three front ends.
#define BOOST_TEST_MODULE txn_phantom
#include "support/frontends.hpp"

using namespace strata;
using strata::test::Api;
using strata::test::check_fails;
using strata::test::ok;

namespace {

/// Lists `prefix` in a transaction, lets `meanwhile` commit through another
/// handle, writes one key, and commits through the front end.
template <class List, class Meanwhile>
test::Result<Version> listed_then(test::FrontendFixture& f, Api& api, List&& list, Meanwhile&& meanwhile) {
  Transaction tx = f.db.begin();
  list(tx);
  Strata other = f.other_handle();
  meanwhile(other);
  tx.kv_put("decision", 1);
  return api.commit(tx);
}

void seed_tasks(Strata& db) {
  for (const char* k : {"task:1", "task:2", "task:3"}) db.kv_put(k, 1);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kv_ranges)

STRATA_FRONTEND_TEST(an_insert_into_a_listed_prefix_conflicts) {
  Api api(db, front);
  seed_tasks(db);
  auto r = listed_then(*this, api, [](Transaction& tx) { BOOST_TEST(tx.kv_list("task:").keys.size() == 3u); },
                       [](Strata& o) { o.kv_put("task:4", 1); });
  check_fails(r, errc::transaction_conflict, {"task:4", "listing"});
  BOOST_TEST(!db.kv_get("decision").has_value());
}

STRATA_FRONTEND_TEST(a_delete_or_change_in_a_listed_prefix_conflicts) {
  Api api(db, front);
  seed_tasks(db);
  check_fails(listed_then(*this, api, [](Transaction& tx) { tx.kv_list("task:"); },
                          [](Strata& o) { o.kv_delete("task:2"); }),
              errc::transaction_conflict);
  check_fails(listed_then(*this, api, [](Transaction& tx) { tx.kv_list("task:"); },
                          [](Strata& o) { o.kv_put("task:3", 2); }),
              errc::transaction_conflict);
}

STRATA_FRONTEND_TEST(writes_outside_the_listed_range_do_not_conflict) {
  Api api(db, front);
  seed_tasks(db);
  // Another prefix, a key that sorts right after the prefix, and — for a
  // limited page — a key after the page's last key.
  ok(listed_then(*this, api, [](Transaction& tx) { tx.kv_list("task:"); },
                 [](Strata& o) {
                   o.kv_put("other:1", 1);
                   o.kv_put("task;", 1);
                 }));
  ok(listed_then(*this, api, [](Transaction& tx) { BOOST_TEST(tx.kv_list("task:", PageRequest{2, {}}).keys.size() == 2u); },
                 [](Strata& o) { o.kv_put("task:9", 1); }));
  // ... but an insert inside the page's range conflicts.
  check_fails(listed_then(*this, api, [](Transaction& tx) { tx.kv_list("task:", PageRequest{2, {}}); },
                          [](Strata& o) { o.kv_put("task:1a", 1); }),
              errc::transaction_conflict);
}

STRATA_FRONTEND_TEST(a_listing_of_an_empty_prefix_sees_a_later_first_key) {
  Api api(db, front);
  check_fails(listed_then(*this, api, [](Transaction& tx) { BOOST_TEST(tx.kv_list("job:").keys.empty()); },
                          [](Strata& o) { o.kv_put("job:1", 1); }),
              errc::transaction_conflict);
}

STRATA_FRONTEND_TEST(own_writes_in_the_listed_range_do_not_conflict) {
  Api api(db, front);
  seed_tasks(db);
  Transaction tx = db.begin();
  tx.kv_list("task:");
  tx.kv_put("task:4", 1);
  tx.kv_delete("task:1");
  ok(api.commit(tx));
  BOOST_TEST(db.kv_list("task:").keys.size() == 3u);
}

STRATA_FRONTEND_TEST(a_read_only_listing_never_conflicts) {
  Api api(db, front);
  seed_tasks(db);
  Transaction tx = db.begin();
  tx.kv_list("task:");
  other_handle().kv_put("task:4", 1);
  BOOST_TEST(ok(api.commit(tx)) == tx.snapshot_version());
}

STRATA_FRONTEND_TEST(other_runs_never_conflict) {
  Api api(db, front);
  seed_tasks(db);
  db.create_run("elsewhere");
  ok(listed_then(*this, api, [](Transaction& tx) { tx.kv_list("task:"); },
                 [](Strata& o) {
                   o.set_run("elsewhere");
                   o.kv_put("task:4", 1);
                 }));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(json_and_event_ranges)

STRATA_FRONTEND_TEST(a_new_document_in_a_listed_prefix_conflicts) {
  Api api(db, front);
  db.json_set("doc:a", "$", 1);
  check_fails(listed_then(*this, api, [](Transaction& tx) { tx.json_list("doc:"); },
                          [](Strata& o) { o.json_set("doc:b", "$", 1); }),
              errc::transaction_conflict, {"doc:b"});
  ok(listed_then(*this, api, [](Transaction& tx) { tx.json_list("doc:"); },
                 [](Strata& o) { o.json_set("memo", "$", 1); }));
}

STRATA_FRONTEND_TEST(an_append_into_a_read_event_range_conflicts) {
  Api api(db, front);
  db.event_append("t", Object{});
  // [1, 10] was read with one event in it: a second event lands in the range.
  check_fails(listed_then(*this, api, [](Transaction& tx) { BOOST_TEST(tx.event_range(1, 10).size() == 1u); },
                          [](Strata& o) { o.event_append("t", Object{}); }),
              errc::transaction_conflict);
  // [1, 1] is complete and events are immutable: later appends do not matter.
  ok(listed_then(*this, api, [](Transaction& tx) { tx.event_range(1, 1); },
                 [](Strata& o) { o.event_append("t", Object{}); }));
}

STRATA_FRONTEND_TEST(a_new_event_of_a_read_type_conflicts) {
  Api api(db, front);
  db.event_append("tool_call", Object{});
  check_fails(listed_then(*this, api, [](Transaction& tx) { tx.event_read_by_type("tool_call"); },
                          [](Strata& o) { o.event_append("tool_call", Object{}); }),
              errc::transaction_conflict);
  ok(listed_then(*this, api, [](Transaction& tx) { tx.event_read_by_type("tool_call"); },
                 [](Strata& o) { o.event_append("note", Object{}); }));
}

BOOST_AUTO_TEST_SUITE_END()
