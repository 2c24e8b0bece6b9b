// JsonChangeLog carries the path-level OCC invariant: validation may turn a
// merge into a conflict, but must never miss a conflict — even for versions
// it has pruned or never saw.
#define BOOST_TEST_MODULE json_change_log
#include <boost/test/unit_test.hpp>

#include "actors/json_change_log.hpp"

using strata::actors::JsonChangeLog;
using strata::json::Path;

namespace {
Path path(const char* text) {
  Path p;
  std::string detail;
  BOOST_REQUIRE(!strata::json::parse_path(text, p, &detail));
  return p;
}
}  // namespace

BOOST_AUTO_TEST_CASE(disjoint_paths_do_not_overlap_and_prefixes_do) {
  JsonChangeLog log;
  log.record(5, "doc", {path("$.a.b")});
  BOOST_TEST(!log.overlaps(5, "doc", path("$.a.c")));
  BOOST_TEST(!log.overlaps(5, "doc", path("$.x")));
  BOOST_TEST(log.overlaps(5, "doc", path("$.a")));      // reader of the parent
  BOOST_TEST(log.overlaps(5, "doc", path("$.a.b.c")));  // reader below the change
  BOOST_TEST(log.overlaps(5, "doc", path("$")));
}

BOOST_AUTO_TEST_CASE(several_documents_in_one_version_are_told_apart) {
  JsonChangeLog log;
  log.record(7, "a", {path("$.x")});
  log.record(7, "b", {path("$.y")});
  BOOST_TEST(log.overlaps(7, "a", path("$.x")));
  BOOST_TEST(!log.overlaps(7, "a", path("$.y")));
  BOOST_TEST(log.overlaps(7, "b", path("$.y")));
}

BOOST_AUTO_TEST_CASE(unknown_versions_count_as_conflicts) {
  JsonChangeLog log(2);
  log.record(1, "doc", {path("$.a")});
  log.record(2, "doc", {path("$.b")});
  log.record(3, "doc", {path("$.c")});  // prunes version 1
  BOOST_TEST(log.overlaps(1, "doc", path("$.zzz")));   // pruned: conservative
  BOOST_TEST(!log.overlaps(3, "doc", path("$.zzz")));  // known and disjoint
  BOOST_TEST(log.overlaps(4, "doc", path("$.zzz")));   // never recorded for this document
  BOOST_TEST(log.overlaps(3, "other", path("$.c")));   // version known, document not: conservative
  JsonChangeLog empty;
  BOOST_TEST(empty.overlaps(1, "doc", path("$.a")));
}
