// JSON paths (src/json/path): every grammar rule accepted and rejected with
// an offset-bearing message, the canonical text and its round trip, the
// prefix conflict rule and stable_prefix.
#define BOOST_TEST_MODULE json_path
#include <boost/test/unit_test.hpp>

#include "json/path.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using strata::errc;
using strata::json::Path;
using strata::json::PathSegment;
using strata::json::format_path;
using strata::json::overlaps;
using strata::json::parse_path;
using strata::json::stable_prefix;

PathSegment F(std::string name) { return {PathSegment::Kind::Field, std::move(name), 0}; }
PathSegment I(std::int64_t i) { return {PathSegment::Kind::Index, {}, i}; }
Path P(std::vector<PathSegment> segs) { return Path{std::move(segs)}; }

/// Parses text that must be valid.
Path parsed(std::string_view text) {
  Path p;
  std::string detail;
  const auto ec = parse_path(text, p, &detail);
  BOOST_TEST_INFO("parsing " << text << ": " << detail);
  BOOST_TEST(!ec);
  return p;
}

/// Asserts that `text` is rejected with invalid_path and a detail that
/// names the path and the offset; returns the detail.
std::string rejected(std::string_view text, std::size_t offset) {
  Path p;
  std::string detail;
  const auto ec = parse_path(text, p, &detail);
  BOOST_TEST_CONTEXT("text [" << text << "] detail [" << detail << "]") {
    BOOST_TEST((ec == errc::invalid_path));
    BOOST_TEST(detail.starts_with("path \""));
    BOOST_TEST(detail.ends_with(" at offset " + std::to_string(offset)));
  }
  return detail;
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(grammar_accepts)

BOOST_AUTO_TEST_CASE(root) {
  BOOST_TEST(parsed("$").is_root());
  BOOST_TEST(format_path(Path{}) == "$");
}

BOOST_AUTO_TEST_CASE(dotted_names) {
  BOOST_TEST((parsed("$.a") == P({F("a")})));
  BOOST_TEST((parsed("$.a.b") == P({F("a"), F("b")})));
  BOOST_TEST((parsed("$.Az_09-x$") == P({F("Az_09-x$")})));
  BOOST_TEST((parsed("$.$") == P({F("$")})));
  BOOST_TEST((parsed("$.-1") == P({F("-1")})));  // a name, not an index
  BOOST_TEST((parsed("$.0") == P({F("0")})));
  BOOST_TEST((parsed("$.h\xC3\xA9llo.\xE6\x97\xA5") == P({F("h\xC3\xA9llo"), F("\xE6\x97\xA5")})));
}

BOOST_AUTO_TEST_CASE(indexes) {
  BOOST_TEST((parsed("$[0]") == P({I(0)})));
  BOOST_TEST((parsed("$[3]") == P({I(3)})));
  BOOST_TEST((parsed("$[10]") == P({I(10)})));
  BOOST_TEST((parsed("$[-1]") == P({I(-1)})));
  BOOST_TEST((parsed("$[-20]") == P({I(-20)})));
  BOOST_TEST((parsed("$[9223372036854775807]") == P({I(std::numeric_limits<std::int64_t>::max())})));
  BOOST_TEST((parsed("$[-9223372036854775808]") == P({I(std::numeric_limits<std::int64_t>::min())})));
  BOOST_TEST((parsed("$[1][2][-3]") == P({I(1), I(2), I(-3)})));
}

BOOST_AUTO_TEST_CASE(quoted_keys) {
  BOOST_TEST((parsed(R"($["key with spaces"])") == P({F("key with spaces")})));
  BOOST_TEST((parsed(R"($[""])") == P({F("")})));
  BOOST_TEST((parsed(R"($["a.b[c]d"])") == P({F("a.b[c]d")})));
  BOOST_TEST((parsed(R"($["it's"])") == P({F("it's")})));
  BOOST_TEST((parsed(R"($["q\"b\\s\/"])") == P({F("q\"b\\s/")})));
  BOOST_TEST((parsed(R"($["\b\f\n\r\t"])") == P({F("\b\f\n\r\t")})));
  BOOST_TEST((parsed(R"($["\u00e9\u00C9"])") == P({F("\xC3\xA9\xC3\x89")})));
  BOOST_TEST((parsed(R"($["\u0000"])") == P({F(std::string(1, '\0'))})));
  BOOST_TEST((parsed(R"($["\u20AC"])") == P({F("\xE2\x82\xAC")})));
  BOOST_TEST((parsed(R"($["\ud83d\ude00"])") == P({F("\xF0\x9F\x98\x80")})));  // U+1F600, a surrogate pair
  BOOST_TEST((parsed("$[\"raw \xC3\xA9\"]") == P({F("raw \xC3\xA9")})));
}

BOOST_AUTO_TEST_CASE(mixed) {
  BOOST_TEST((parsed(R"($.a[0]["b c"].d[-2])") == P({F("a"), I(0), F("b c"), F("d"), I(-2)})));
}

BOOST_AUTO_TEST_CASE(parse_replaces_previous_contents) {
  Path p = P({F("old"), I(1)});
  BOOST_TEST(!parse_path("$.new", p, nullptr));
  BOOST_TEST((p == P({F("new")})));
}

BOOST_AUTO_TEST_CASE(segment_and_length_limits_inclusive) {
  BOOST_TEST(parsed("$" + repeat(".a", 128)).segments.size() == 128u);
  const std::string longest = "$." + std::string(strata::json::kMaxPathBytes - 2, 'k');
  BOOST_TEST(longest.size() == strata::json::kMaxPathBytes);
  BOOST_TEST(parsed(longest).segments.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(grammar_rejects)

BOOST_AUTO_TEST_CASE(missing_or_wrong_start) {
  rejected("", 0);
  rejected("a", 0);
  rejected(".a", 0);
  rejected("$$", 1);
  rejected("$a", 1);
}

BOOST_AUTO_TEST_CASE(bad_names) {
  rejected("$.", 2);
  rejected("$.a.", 4);
  rejected("$..a", 2);
  rejected("$.a]", 3);
  rejected("$.a/b", 3);
  rejected("$.a\"", 3);
  rejected("$.a*", 3);
}

BOOST_AUTO_TEST_CASE(whitespace_anywhere) {
  BOOST_TEST(rejected(" $", 0).find("whitespace") != std::string::npos);
  BOOST_TEST(rejected("$ ", 1).find("whitespace") != std::string::npos);
  rejected("$ .a", 1);
  rejected("$. a", 2);
  rejected("$.a b", 3);
  rejected("$.a\t", 3);
  rejected("$.a\n", 3);
  rejected("$[ 1]", 2);
  rejected("$[1 ]", 3);
  rejected("$[- 1]", 3);
  rejected("$[\"a\" ]", 5);
}

BOOST_AUTO_TEST_CASE(bad_brackets) {
  BOOST_TEST(rejected("$[", 2).find("expected a digit or '\"' after '['") != std::string::npos);
  const std::string example = rejected("$.a[x]", 4);
  BOOST_TEST(example == "path \"$.a[x]\": expected a digit or '\"' after '[' at offset 4");
  rejected("$[]", 2);
  rejected("$[1", 3);
  rejected("$[1x]", 3);
  rejected("$[1.5]", 3);
  rejected("$[1]]", 4);
  rejected("$[a]", 2);
  rejected("$[-]", 3);
  BOOST_TEST(rejected("$['a']", 2).find("single-quoted") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_indexes) {
  rejected("$[+1]", 2);
  BOOST_TEST(rejected("$[01]", 2).find("leading zeros") != std::string::npos);
  rejected("$[00]", 2);
  rejected("$[-01]", 3);
  rejected("$[-0]", 2);
  BOOST_TEST(rejected("$[9223372036854775808]", 2).find("64-bit") != std::string::npos);
  rejected("$[-9223372036854775809]", 2);
  rejected("$[99999999999999999999999]", 2);
}

BOOST_AUTO_TEST_CASE(bad_quoted_keys) {
  BOOST_TEST(rejected(R"($["a])", 2).find("unterminated") != std::string::npos);
  rejected(R"($["a")", 5);
  rejected(R"($["a"x])", 5);
  rejected(R"($["a\x"])", 4);
  rejected(R"($["a\)", 4);
  rejected(R"($["\u12"])", 3);
  rejected(R"($["\u12G4"])", 3);
  rejected(R"($["\ud800"])", 3);
  rejected(R"($["\ud800\u0041"])", 3);
  rejected(R"($["\udc00"])", 3);
  BOOST_TEST(rejected("$[\"a\tb\"]", 4).find("control") != std::string::npos);
  rejected("$[\"a\nb\"]", 4);
  rejected("$[\"\x01\"]", 3);
}

BOOST_AUTO_TEST_CASE(too_many_segments) {
  const std::string text = "$" + repeat(".a", 129);
  BOOST_TEST(rejected(text, 1 + 2 * 128).find("128") != std::string::npos);
  rejected("$" + repeat("[0]", 129), 1 + 3 * 128);
}

BOOST_AUTO_TEST_CASE(too_long) {
  const std::string text = "$." + std::string(strata::json::kMaxPathBytes - 1, 'k');
  const std::string detail = rejected(text, strata::json::kMaxPathBytes);
  BOOST_TEST(detail.find("4096") != std::string::npos);
  BOOST_TEST(detail.size() < 200u);  // the text in the message is truncated
}

BOOST_AUTO_TEST_CASE(null_detail_is_allowed) {
  Path p;
  BOOST_TEST((parse_path("$[", p, nullptr) == errc::invalid_path));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(canonical_text)

BOOST_AUTO_TEST_CASE(format_chooses_dot_or_quotes) {
  BOOST_TEST(format_path(P({F("a"), F("b_c-$9")})) == "$.a.b_c-$9");
  BOOST_TEST(format_path(P({F("a b")})) == R"($["a b"])");
  BOOST_TEST(format_path(P({F("")})) == R"($[""])");
  BOOST_TEST(format_path(P({F("a.b")})) == R"($["a.b"])");
  BOOST_TEST(format_path(P({F("q\"\\")})) == R"($["q\"\\"])");
  BOOST_TEST(format_path(P({F("\n\x01\x7f")})) == "$[\"\\n\\u0001\x7f\"]");
  BOOST_TEST(format_path(P({F("\xC3\xA9t\xC3\xA9")})) == "$.\xC3\xA9t\xC3\xA9");
  BOOST_TEST(format_path(P({I(0), I(-1), I(42)})) == "$[0][-1][42]");
}

BOOST_AUTO_TEST_CASE(non_canonical_input_formats_canonically) {
  BOOST_TEST(format_path(parsed(R"($["abc"])")) == "$.abc");
  BOOST_TEST(format_path(parsed(R"($["\u0041"])")) == "$.A");
  BOOST_TEST(format_path(parsed(R"($["\/"])")) == R"($["/"])");
  BOOST_TEST(format_path(parsed(R"($["\u00e9"])")) == "$.\xC3\xA9");
}

// Regression: members that are not valid UTF-8 were accepted (a member is an
// Object key, and Object keys must be UTF-8), as raw bytes or via escapes.
BOOST_AUTO_TEST_CASE(members_that_are_not_utf8_are_invalid_paths) {
  for (const std::string& text :
       {std::string("$.\xff\xfe"), std::string("$[\"\xc0\xaf\"]"), std::string("$.ok[\"\xed\xa0\x80\"]")}) {
    Path p;
    std::string detail;
    BOOST_TEST(parse_path(text, p, &detail) == make_error_code(strata::errc::invalid_path));
    BOOST_TEST(detail.find("UTF-8") != std::string::npos, detail);
  }
}

BOOST_AUTO_TEST_CASE(round_trip_tricky_paths) {
  const std::vector<Path> cases = {
      Path{},
      P({F("")}),
      P({F(""), F(""), I(0)}),
      P({F("with space"), F("dot.ted"), F("[br]"), F("'single'")}),
      P({F("\""), F("\\"), F("\\\""), F("\"\\\"")}),
      P({F("\xC3\xA9"), F("\xF0\x9F\x98\x80 smile"), F("\xE6\x97\xA5\xE6\x9C\xAC")}),
      P({F(std::string("nul\0inside", 10)), F("\x01\x1f\x7f"), F("\b\f\n\r\t")}),
      P({F("$"), F("-"), F("-1"), F("0"), F("$.a")}),
      P({I(-1), I(-2), I(0), I(7)}),
      P({I(std::numeric_limits<std::int64_t>::max()), I(std::numeric_limits<std::int64_t>::min())}),
      P({F("a"), I(-1), F("b c"), I(3), F("")}),
  };
  for (const Path& p : cases) {
    const std::string text = format_path(p);
    BOOST_TEST_CONTEXT("text " << text) {
      Path back;
      BOOST_TEST(!parse_path(text, back, nullptr));
      BOOST_TEST((back == p));
      BOOST_TEST(format_path(back) == text);
    }
  }
}

BOOST_AUTO_TEST_CASE(round_trip_at_segment_limit) {
  Path p;
  for (int i = 0; i < 128; ++i) p.segments.push_back(i % 2 ? I(-i) : F("k " + std::to_string(i)));
  Path back;
  BOOST_TEST(!parse_path(format_path(p), back, nullptr));
  BOOST_TEST((back == p));
  p.segments.push_back(F("one too many"));
  BOOST_TEST((parse_path(format_path(p), back, nullptr) == errc::invalid_path));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(conflict_rule)

BOOST_AUTO_TEST_CASE(overlaps_truth_table) {
  const Path root;
  const Path a = P({F("a")});
  const Path ab = P({F("a"), F("b")});
  const Path ac = P({F("a"), F("c")});
  const Path a0 = P({F("a"), I(0)});
  const Path a1 = P({F("a"), I(1)});
  const Path a_field0 = P({F("a"), F("0")});
  const Path b = P({F("b")});
  struct Row {
    const Path& x;
    const Path& y;
    bool expected;
    const char* why;
  };
  const std::vector<Row> table = {
      {root, root, true, "root vs root"},
      {root, ab, true, "root overlaps everything"},
      {ab, root, true, "root overlaps everything (reversed)"},
      {a, a, true, "equal"},
      {ab, ab, true, "equal, deeper"},
      {a, ab, true, "prefix"},
      {ab, a, true, "prefix, reversed"},
      {a, a0, true, "prefix into an array"},
      {ab, ac, false, "siblings"},
      {a, b, false, "top-level siblings"},
      {a0, a1, false, "sibling elements"},
      {a0, a_field0, false, "index 0 vs field \"0\""},
      {ab, a0, false, "field vs index"},
      {b, a0, false, "different roots"},
  };
  for (const auto& row : table) {
    BOOST_TEST_CONTEXT(row.why) {
      BOOST_TEST(overlaps(row.x, row.y) == row.expected);
      BOOST_TEST(overlaps(row.y, row.x) == row.expected);  // symmetric
    }
  }
}

BOOST_AUTO_TEST_CASE(stable_prefix_cuts_before_first_negative_index) {
  BOOST_TEST((stable_prefix(parsed("$.a[-1].b")) == parsed("$.a")));
  BOOST_TEST((stable_prefix(parsed("$[-1]")) == Path{}));
  BOOST_TEST((stable_prefix(parsed("$.a[2].b[-3][-1]")) == parsed("$.a[2].b")));
  BOOST_TEST((stable_prefix(parsed("$.a[2].b")) == parsed("$.a[2].b")));
  BOOST_TEST((stable_prefix(Path{}) == Path{}));
  BOOST_TEST((stable_prefix(parsed(R"($["-1"])")) == parsed(R"($["-1"])")));  // a field named "-1" is stable
}

BOOST_AUTO_TEST_SUITE_END()
