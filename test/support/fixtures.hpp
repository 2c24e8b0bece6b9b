// Shared helpers for the semantic test suites (KV, runs, transactions):
// a fresh in-memory database per test case, assertions on strata error
// codes, and small builders for values and keys that hit the limits.
#pragma once

#include <strata/strata.hpp>

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace strata::test {

/// Several shards so that multi-key commits and lists really cross shards;
/// one pool thread is enough because the sync facade runs inline.
inline Options small_options() {
  Options o;
  o.shards = 4;
  o.threads = 1;
  return o;
}

/// A durable database for reopen tests: a few shards, one pool thread, and
/// no automatic compaction (a test compacts where it means to).
inline Options reopen_options(Durability d) {
  Options o;
  o.durability = d;
  o.shards = 3;
  o.threads = 1;
  o.auto_compact_wal_bytes = 0;
  return o;
}

/// A fresh in-memory database per test case; `db` is the handle on "default".
struct DbFixture {
  Strata db = Strata::open_temp(small_options());

  /// A second handle on the same database (own current run, "default").
  Strata other_handle() const { return Strata(db.database()); }
  /// The database's visible version: compare before/after to prove that a
  /// rejected operation consumed no version.
  Version visible() { return db.info().visible_version; }
  /// Live KV keys in the whole database.
  std::uint64_t live_kv_keys() { return db.info().keys["kv"]; }
};

/// Predicate for BOOST_CHECK_EXCEPTION: the Error carries `expected`.
struct CodeIs {
  errc expected;
  bool operator()(const Error& e) const {
    if (e.code() == expected) return true;
    BOOST_TEST_MESSAGE("got " << e.code().message() << " (" << e.what() << ")");
    return false;
  }
};

/// Predicate: code matches and what() mentions every fragment.
struct CodeAndMessage {
  errc expected;
  std::vector<std::string> fragments;
  bool operator()(const Error& e) const {
    bool ok = CodeIs{expected}(e);
    const std::string what = e.what();
    for (const auto& f : fragments) {
      if (what.find(f) == std::string::npos) {
        BOOST_TEST_MESSAGE("what() \"" << what << "\" lacks \"" << f << "\"");
        ok = false;
      }
    }
    return ok;
  }
};

/// True when ec is the strata code `e` (errc has no operator<<, so tests
/// compare through this instead of printing the enum).
inline bool is(const error_code& ec, errc e) { return ec == make_error_code(e); }

/// An error_code that is "dirty" before a call, to prove the error_code&
/// overload clears it on success.
inline error_code dirty_ec() { return make_error_code(errc::internal); }

/// Walks every page of kv_list with the given page size and returns all
/// keys in the order they were returned.
template <class Lister>
std::vector<std::string> list_all_pages(Lister&& list, std::string_view prefix, std::size_t limit) {
  std::vector<std::string> all;
  PageRequest page{limit, {}};
  for (int guard = 0; guard < 100000; ++guard) {
    KeyPage p = list(prefix, page);
    all.insert(all.end(), p.keys.begin(), p.keys.end());
    if (!p.next_cursor) return all;
    BOOST_TEST_REQUIRE(p.keys.size() == limit);  // only a full page may promise more
    page.cursor = *p.next_cursor;
  }
  BOOST_FAIL("pagination did not terminate");
  return all;
}

inline std::vector<std::string> list_all_pages(Strata& db, std::string_view prefix, std::size_t limit) {
  return list_all_pages([&](std::string_view p, const PageRequest& r) { return db.kv_list(p, r); }, prefix, limit);
}

/// Arrays nested `depth` levels around an Int (Value::depth() == depth).
inline Value nested_array(std::size_t depth) {
  Value v = 1;
  for (std::size_t i = 0; i < depth; ++i) v = Array{std::move(v)};
  return v;
}

}  // namespace strata::test

#define STRATA_CHECK_ERRC(expr, code) BOOST_CHECK_EXCEPTION(expr, ::strata::Error, ::strata::test::CodeIs{code})
