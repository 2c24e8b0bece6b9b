// Payloads of WAL records (src/wal/log_records): encode/decode round trips,
// and malformed payloads rejected cleanly (no crash, no partial accept) —
// recovery trusts decode_* after the CRC, so they must stand on their own.
// Covers every write op: put, delete, event append (op 3) and JSON patch
// (op 4, whose edits are Set or Erase of a canonical path).
#define BOOST_TEST_MODULE wal_log_records
#include <boost/test/unit_test.hpp>

#include "codec/value_codec.hpp"
#include "events/event_log.hpp"
#include "json/path.hpp"
#include "keys/storage_key.hpp"
#include "mvcc/version_chain.hpp"
#include "wal/log_records.hpp"

#include <strata/value.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using strata::Object;
using strata::Value;
using strata::commit::WriteIntent;
namespace keys = strata::keys;
namespace wal = strata::wal;
namespace commit = strata::commit;

/// wal::encode_commit of an entry made of these parts (copies: encoding
/// reads the parts, never moves them).
void encode_commit(strata::Version version, std::int64_t ts, keys::RunId run, std::vector<WriteIntent> writes,
                   std::string& payload, std::vector<strata::events::AppendedEvent> events = {},
                   std::vector<strata::commit::JsonPatch> patches = {}) {
  strata::commit::CommitEntry c{version, ts, run, writes, events, patches};
  wal::encode_commit(c, payload);
}

WriteIntent put(std::string user_key, Value v) {
  WriteIntent w;
  w.key = keys::storage_key(7, keys::Primitive::Kv, user_key);
  w.value = std::move(v);
  return w;
}

WriteIntent del(std::string user_key) {
  WriteIntent w;
  w.key = keys::storage_key(7, keys::Primitive::Kv, user_key);
  w.tombstone = true;
  return w;
}

std::vector<WriteIntent> sample_writes() {
  Object nested;
  nested["list"] = Value(strata::Array{Value(1), Value("two"), Value(nullptr)});
  nested["flag"] = Value(true);
  std::vector<WriteIntent> w;
  w.push_back(put("alpha", Value("hello")));
  w.push_back(put("beta", Value(std::int64_t{-42})));
  w.push_back(del("gone"));
  w.push_back(put("gamma", Value(nested)));
  w.push_back(put("bytes", Value(strata::Bytes{0, 1, 2, 255})));
  w.push_back(put("float", Value(3.25)));
  w.push_back(put("", Value(nullptr)));  // empty user key: storage key is still 5 bytes
  w.push_back(put("ttl-short", Value("expires")));
  w.back().ttl_ms = 1;
  w.push_back(put("ttl-longest", Value(1)));
  w.back().ttl_ms = strata::mvcc::VersionNode::kMaxTtlMs;
  w.push_back(del("last-is-a-delete"));
  return w;
}

std::string encoded_commit() {
  std::string p;
  encode_commit(123456789, 1'700'000'000'123'456, 7, sample_writes(), p);
  return p;
}

void check_writes_equal(const std::vector<WriteIntent>& got, const std::vector<WriteIntent>& want) {
  BOOST_TEST_REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    BOOST_TEST_CONTEXT("write " << i) {
      BOOST_TEST(got[i].key == want[i].key);
      BOOST_TEST(got[i].tombstone == want[i].tombstone);
      BOOST_TEST(got[i].ttl_ms == want[i].ttl_ms);
      if (!want[i].tombstone) BOOST_TEST((got[i].value == want[i].value));
    }
  }
}

strata::RunInfo sample_run() {
  strata::RunInfo info;
  info.name = "agent-7.run_b";
  info.created_us = 1'700'000'000'000'001;
  info.status = strata::RunStatus::Paused;
  info.metadata["owner"] = Value("ops");
  info.metadata["retries"] = Value(3);
  return info;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(round_trips)

BOOST_AUTO_TEST_CASE(commit) {
  strata::commit::OwnedCommit c;
  std::string why;
  BOOST_TEST_REQUIRE(wal::decode_commit(encoded_commit(), c, why), why);
  BOOST_TEST(c.version == 123456789u);
  BOOST_TEST(c.timestamp_us == 1'700'000'000'123'456);
  BOOST_TEST(c.run == 7u);
  check_writes_equal(c.writes, sample_writes());
}

BOOST_AUTO_TEST_CASE(commit_extremes) {
  // Largest version/timestamp/run id and an empty write list.
  std::string p;
  const auto max_ts = std::numeric_limits<std::int64_t>::max();
  encode_commit(std::numeric_limits<strata::Version>::max(), max_ts,
                     std::numeric_limits<keys::RunId>::max(), {}, p);
  strata::commit::OwnedCommit c;
  std::string why;
  BOOST_TEST_REQUIRE(wal::decode_commit(p, c, why), why);
  BOOST_TEST(c.version == std::numeric_limits<strata::Version>::max());
  BOOST_TEST(c.timestamp_us == max_ts);
  BOOST_TEST(c.run == std::numeric_limits<keys::RunId>::max());
  BOOST_TEST(c.writes.empty());
}

BOOST_AUTO_TEST_CASE(decode_reuses_entry_without_leaking_old_writes) {
  strata::commit::OwnedCommit c;
  std::string why;
  BOOST_TEST_REQUIRE(wal::decode_commit(encoded_commit(), c, why));
  std::string p;
  std::vector<WriteIntent> one{put("only", Value(1))};
  encode_commit(2, 3, 4, one, p);
  BOOST_TEST_REQUIRE(wal::decode_commit(p, c, why));
  check_writes_equal(c.writes, one);
}

BOOST_AUTO_TEST_CASE(run_create) {
  std::string p;
  wal::encode_run_create(42, sample_run(), p);
  wal::RunEntry e;
  std::string why;
  BOOST_TEST_REQUIRE(wal::decode_run_create(p, e, why), why);
  BOOST_TEST(e.id == 42u);
  BOOST_TEST(e.info.name == sample_run().name);
  BOOST_TEST(e.info.created_us == sample_run().created_us);
  BOOST_TEST((Value(e.info.metadata) == Value(sample_run().metadata)));
}

BOOST_AUTO_TEST_CASE(run_delete) {
  std::string p;
  wal::encode_run_delete(99, p);
  wal::RunEntry e;
  std::string why;
  BOOST_TEST_REQUIRE(wal::decode_run_delete(p, e, why), why);
  BOOST_TEST(e.id == 99u);
}

BOOST_AUTO_TEST_CASE(run_update_every_status) {
  for (int s = 0; s <= static_cast<int>(strata::RunStatus::Archived); ++s) {
    auto info = sample_run();
    info.status = static_cast<strata::RunStatus>(s);
    std::string p;
    wal::encode_run_update(5, info, p);
    wal::RunEntry e;
    std::string why;
    BOOST_TEST_REQUIRE(wal::decode_run_update(p, e, why), why);
    BOOST_TEST(e.id == 5u);
    BOOST_TEST(static_cast<int>(e.info.status) == s);
    BOOST_TEST((Value(e.info.metadata) == Value(info.metadata)));
  }
}

BOOST_AUTO_TEST_CASE(strings) {
  std::string p;
  wal::put_string(p, std::string("a\0b", 3));
  wal::put_string(p, "");
  std::string_view in = p;
  std::string s;
  BOOST_TEST_REQUIRE(wal::get_string(in, s));
  BOOST_TEST(s == std::string("a\0b", 3));
  BOOST_TEST_REQUIRE(wal::get_string(in, s));
  BOOST_TEST(s.empty());
  BOOST_TEST(in.empty());
  BOOST_TEST(!wal::get_string(in, s));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(malformed)

BOOST_AUTO_TEST_CASE(every_truncation_of_a_commit_is_rejected) {
  const std::string p = encoded_commit();
  for (std::size_t n = 0; n < p.size(); ++n) {
    strata::commit::OwnedCommit c;
    std::string why;
    BOOST_TEST_CONTEXT("prefix of " << n << " bytes") {
      BOOST_TEST(!wal::decode_commit(std::string_view(p).substr(0, n), c, why));
      BOOST_TEST(!why.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(every_truncation_of_run_records_is_rejected) {
  std::string create, update, drop;
  wal::encode_run_create(300, sample_run(), create);
  wal::encode_run_update(300, sample_run(), update);
  wal::encode_run_delete(300, drop);
  wal::RunEntry e;
  std::string why;
  for (std::size_t n = 0; n < create.size(); ++n)
    BOOST_TEST(!wal::decode_run_create(std::string_view(create).substr(0, n), e, why), "create prefix " << n);
  for (std::size_t n = 0; n < update.size(); ++n)
    BOOST_TEST(!wal::decode_run_update(std::string_view(update).substr(0, n), e, why), "update prefix " << n);
  for (std::size_t n = 0; n < drop.size(); ++n)
    BOOST_TEST(!wal::decode_run_delete(std::string_view(drop).substr(0, n), e, why), "delete prefix " << n);
}

BOOST_AUTO_TEST_CASE(trailing_bytes_are_rejected) {
  strata::commit::OwnedCommit c;
  wal::RunEntry e;
  std::string why;
  BOOST_TEST(!wal::decode_commit(encoded_commit() + "x", c, why));
  BOOST_TEST(why.find("trailing") != std::string::npos);
  std::string drop;
  wal::encode_run_delete(3, drop);
  BOOST_TEST(!wal::decode_run_delete(drop + '\0', e, why));
  std::string create;
  wal::encode_run_create(3, sample_run(), create);
  BOOST_TEST(!wal::decode_run_create(create + '\1', e, why));
}

BOOST_AUTO_TEST_CASE(a_ttl_of_zero_or_past_48_bits_is_rejected) {
  for (std::uint64_t ttl : {std::uint64_t{1}, strata::mvcc::VersionNode::kMaxTtlMs}) {
    std::string p;
    std::vector<WriteIntent> one{put("k", Value(1))};
    one[0].ttl_ms = ttl;
    encode_commit(1, 1, 7, one, p);
    strata::commit::OwnedCommit c;
    std::string why;
    BOOST_TEST(wal::decode_commit(p, c, why), why);
  }
  // Forge the two bad values by hand: op 6, key, ttl varint, value.
  for (std::uint64_t ttl : {std::uint64_t{0}, strata::mvcc::VersionNode::kMaxTtlMs + 1}) {
    std::string p;
    std::vector<WriteIntent> one{put("k", Value(1))};
    one[0].ttl_ms = 77;  // one varint byte, replaced below
    encode_commit(1, 1, 7, one, p);
    const std::size_t at = p.find('\x4d');  // 77
    BOOST_TEST_REQUIRE(at != std::string::npos);
    std::string varint;
    strata::codec::put_varint(varint, ttl);
    std::string bad = p.substr(0, at) + varint + p.substr(at + 1);
    strata::commit::OwnedCommit c;
    std::string why;
    BOOST_TEST(!wal::decode_commit(bad, c, why));
    BOOST_TEST(why.find("ttl") != std::string::npos, why);
  }
}

BOOST_AUTO_TEST_CASE(unknown_write_op_is_rejected) {
  std::string p;
  std::vector<WriteIntent> one{put("k", Value(1))};
  encode_commit(1, 1, 7, one, p);
  // version, ts, run and count are one-byte varints here: the op is byte 4.
  // Ops 1-6 are put, delete, event, JSON patch, vector and put with a TTL;
  // 7 is the first unknown.
  for (char op : {'\0', '\7', '\x7f', '\xff'}) {
    std::string bad = p;
    bad[4] = op;
    strata::commit::OwnedCommit c;
    std::string why;
    BOOST_TEST(!wal::decode_commit(bad, c, why));
    BOOST_TEST(why.find("op") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(key_shorter_than_run_header_is_rejected) {
  WriteIntent w;
  w.key = "abcd";  // 4 bytes: no room for run id + primitive tag
  w.value = Value(1);
  std::string p;
  encode_commit(1, 1, 7, std::vector<WriteIntent>{w}, p);
  strata::commit::OwnedCommit c;
  std::string why;
  BOOST_TEST(!wal::decode_commit(p, c, why));
}

BOOST_AUTO_TEST_CASE(huge_write_count_is_rejected_without_allocating) {
  std::string p;
  strata::codec::put_varint(p, 1);
  strata::codec::put_varint(p, 1);
  strata::codec::put_varint(p, 7);
  strata::codec::put_varint(p, std::numeric_limits<std::uint64_t>::max());
  strata::commit::OwnedCommit c;
  std::string why;
  BOOST_TEST(!wal::decode_commit(p, c, why));
}

BOOST_AUTO_TEST_CASE(bad_run_status_and_non_object_metadata) {
  std::string p;
  wal::encode_run_update(1, sample_run(), p);
  std::string bad_status = p;
  bad_status[1] = 6;  // one past Archived (id 1 is a one-byte varint)
  wal::RunEntry e;
  std::string why;
  BOOST_TEST(!wal::decode_run_update(bad_status, e, why));
  BOOST_TEST(why.find("status") != std::string::npos);

  std::string not_object;
  strata::codec::put_varint(not_object, 1);
  not_object.push_back(0);
  strata::codec::encode_value(Value("a string"), not_object);
  BOOST_TEST(!wal::decode_run_update(not_object, e, why));
}

BOOST_AUTO_TEST_CASE(every_byte_mutation_of_a_commit_never_crashes) {
  // ASan/UBSan watch the decoder; decoding may succeed (the CRC is what
  // rejects such damage on disk) but must never read out of bounds.
  const std::string p = encoded_commit();
  std::size_t rejected = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    for (unsigned char x : {0x01, 0x80, 0xff}) {
      std::string bad = p;
      bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ x);
      strata::commit::OwnedCommit c;
      std::string why;
      if (!wal::decode_commit(bad, c, why)) ++rejected;
    }
  }
  BOOST_TEST(rejected > 0u);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- event (op 3) and JSON patch (op 4) writes ------------------------------------

namespace {

namespace events = strata::events;
namespace json = strata::json;

events::AppendedEvent event(std::uint64_t seq, std::string type, Value payload, std::uint8_t fill) {
  events::AppendedEvent e;
  e.sequence = seq;
  e.type = std::move(type);
  e.payload = std::move(payload);
  for (std::size_t i = 0; i < e.hash.size(); ++i) e.hash[i] = static_cast<std::uint8_t>(fill + i);
  return e;
}

std::vector<events::AppendedEvent> sample_events() {
  Value nested = Value::parse_json(R"({"tool": "search", "args": {"q": "a \"quoted\" term", "k": [1, 2.5, null]}})");
  std::vector<events::AppendedEvent> out;
  out.push_back(event(41, "tool_call", nested, 0x00));
  out.push_back(event(42, "note", Value(Object{}), 0xe0));  // empty payload; hash bytes wrap past 0xff
  out.push_back(event(1ull << 40, "ünïcode type", Value::object({{"bytes", Value(strata::Bytes{0, 255})}}), 0x7f));
  return out;
}

json::Path path(std::string_view text) {
  json::Path p;
  std::string why;
  BOOST_TEST_REQUIRE(!json::parse_path(text, p, &why), why);
  return p;
}

json::ResolvedEdit set_edit(std::string_view p, Value v) {
  return {json::ResolvedEdit::Kind::Set, path(p), std::move(v)};
}
json::ResolvedEdit erase_edit(std::string_view p) { return {json::ResolvedEdit::Kind::Erase, path(p), Value()}; }

std::string doc_key(std::string user_key) { return keys::storage_key(7, keys::Primitive::Json, user_key); }

std::vector<strata::commit::JsonPatch> sample_patches() {
  std::vector<strata::commit::JsonPatch> out;
  out.push_back({doc_key("profile"),
                 {set_edit(R"($["say \"hi\""])", Value("quoted key")),
                  set_edit(R"($["k k"].list[3])", Value::parse_json(R"({"deep": [[1], {"x": {"y": false}}]})")),
                  erase_edit("$.a[0].b"),
                  set_edit(R"($["dots.and[brackets]"]["\u0001"])", Value(std::int64_t{-9}))}});
  out.push_back({doc_key("whole"), {set_edit("$", Value::parse_json(R"({"replaced": [1, 2, 3]})"))}});
  out.push_back({doc_key("dropped"), {erase_edit("$")}});
  return out;
}

std::string encoded_mixed_commit() {
  const auto writes = sample_writes();
  const auto evs = sample_events();
  const auto patches = sample_patches();
  std::string p;
  encode_commit(77, 1'700'000'000'000'077, 7, writes, p, evs, patches);
  return p;
}

void check_events_equal(const std::vector<events::AppendedEvent>& got, const std::vector<events::AppendedEvent>& want) {
  BOOST_TEST_REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    BOOST_TEST_CONTEXT("event " << i) {
      BOOST_TEST(got[i].sequence == want[i].sequence);
      BOOST_TEST(got[i].type == want[i].type);
      BOOST_TEST((got[i].payload == want[i].payload));
      BOOST_TEST((got[i].hash == want[i].hash));
    }
  }
}

void check_patches_equal(const std::vector<strata::commit::JsonPatch>& got, const std::vector<strata::commit::JsonPatch>& want) {
  BOOST_TEST_REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    BOOST_TEST_CONTEXT("patch " << i) {
      BOOST_TEST(got[i].key == want[i].key);
      BOOST_TEST_REQUIRE(got[i].edits.size() == want[i].edits.size());
      for (std::size_t j = 0; j < got[i].edits.size(); ++j) {
        BOOST_TEST_CONTEXT("edit " << j << " " << json::format_path(want[i].edits[j].path)) {
          BOOST_TEST((got[i].edits[j].kind == want[i].edits[j].kind));
          BOOST_TEST((got[i].edits[j].path == want[i].edits[j].path));
          BOOST_TEST((got[i].edits[j].value == want[i].edits[j].value));
        }
      }
    }
  }
}

/// Commit header for hand-built records: version 1, ts 1, run 7, `n` writes.
std::string commit_header(std::uint64_t n) {
  std::string p;
  strata::codec::put_varint(p, 1);
  strata::codec::put_varint(p, 1);
  strata::codec::put_varint(p, 7);
  strata::codec::put_varint(p, n);
  return p;
}

/// A commit holding one patch of `doc` with one edit whose bytes are `edit`.
std::string commit_with_raw_edit(const std::string& edit) {
  std::string p = commit_header(1);
  p.push_back(4);
  wal::put_string(p, doc_key("doc"));
  strata::codec::put_varint(p, 1);
  return p + edit;
}

std::string decode_failure(const std::string& payload) {
  strata::commit::OwnedCommit c;
  std::string why;
  if (wal::decode_commit(payload, c, why)) return "(accepted)";
  return why.empty() ? "(rejected without a reason)" : why;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(events_and_patches)

BOOST_AUTO_TEST_CASE(mixed_commit_round_trips) {
  strata::commit::OwnedCommit c;
  std::string why;
  BOOST_TEST_REQUIRE(wal::decode_commit(encoded_mixed_commit(), c, why), why);
  BOOST_TEST(c.version == 77u);
  BOOST_TEST(c.timestamp_us == 1'700'000'000'000'077);
  BOOST_TEST(c.run == 7u);
  check_writes_equal(c.writes, sample_writes());
  check_events_equal(c.events, sample_events());
  check_patches_equal(c.patches, sample_patches());
}

BOOST_AUTO_TEST_CASE(events_only_and_patches_only_round_trip) {
  const auto evs = sample_events();
  const auto patches = sample_patches();
  std::string only_events, only_patches;
  encode_commit(5, 6, 7, {}, only_events, evs);
  encode_commit(5, 6, 7, {}, only_patches, {}, patches);
  strata::commit::OwnedCommit c;
  std::string why;
  BOOST_TEST_REQUIRE(wal::decode_commit(only_events, c, why), why);
  BOOST_TEST(c.writes.empty());
  BOOST_TEST(c.patches.empty());
  check_events_equal(c.events, evs);
  // Decoding into the same entry must not keep the previous record's events.
  BOOST_TEST_REQUIRE(wal::decode_commit(only_patches, c, why), why);
  BOOST_TEST(c.writes.empty());
  BOOST_TEST(c.events.empty());
  check_patches_equal(c.patches, patches);
}

BOOST_AUTO_TEST_CASE(patch_size_is_the_encoded_size) {
  // The coordinator compares patch_size with the whole document's size to
  // pick what to log; it must be exactly what the record grows by.
  for (const auto& patch : sample_patches()) {
    std::string without, with;
    encode_commit(1, 1, 7, {}, without);
    encode_commit(1, 1, 7, {}, with, {}, std::vector<strata::commit::JsonPatch>{patch});
    BOOST_TEST(wal::patch_size(patch) == with.size() - without.size());
  }
}

BOOST_AUTO_TEST_CASE(every_truncation_of_a_mixed_commit_is_rejected_with_a_reason) {
  const std::string p = encoded_mixed_commit();
  for (std::size_t n = 0; n < p.size(); ++n) {
    strata::commit::OwnedCommit c;
    std::string why;
    BOOST_TEST_CONTEXT("prefix of " << n << " of " << p.size() << " bytes") {
      BOOST_TEST(!wal::decode_commit(std::string_view(p).substr(0, n), c, why));
      BOOST_TEST(!why.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(every_truncation_of_an_event_only_commit_is_rejected) {
  const auto evs = sample_events();
  std::string p;
  encode_commit(9, 9, 7, {}, p, evs);
  for (std::size_t n = 0; n < p.size(); ++n)
    BOOST_TEST(decode_failure(p.substr(0, n)) != "(accepted)", "prefix " << n);
  BOOST_TEST(decode_failure(p + '\0').find("trailing") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_json_edit_kind_is_rejected) {
  for (char kind : {'\0', '\3', '\x7f', '\xff'}) {
    std::string edit(1, kind);
    wal::put_string(edit, "$.a");
    strata::codec::encode_value(Value(1), edit);
    const std::string why = decode_failure(commit_with_raw_edit(edit));
    BOOST_TEST(why.find("unknown JSON edit kind") != std::string::npos, why);
  }
  // The hand-built frame itself is sound: with a valid kind it decodes.
  std::string good(1, '\2');
  wal::put_string(good, "$.a");
  BOOST_TEST(decode_failure(commit_with_raw_edit(good)) == "(accepted)");
}

BOOST_AUTO_TEST_CASE(invalid_json_path_in_an_edit_is_rejected) {
  for (std::string text : {"", "a.b", "$.a[", "$.a[x]", "$['single']", "$. a"}) {
    std::string edit(1, '\2');
    wal::put_string(edit, text);
    const std::string why = decode_failure(commit_with_raw_edit(edit));
    BOOST_TEST(why != "(accepted)", "path " << text);
    BOOST_TEST(why.find("path") != std::string::npos, why);
  }
}

BOOST_AUTO_TEST_CASE(event_payload_that_is_not_an_object_is_rejected) {
  for (const Value& payload : {Value("text"), Value(1), Value(nullptr), Value(strata::Array{Value(1)})}) {
    std::string p = commit_header(1);
    p.push_back(3);
    strata::codec::put_varint(p, 1);
    wal::put_string(p, "type");
    strata::codec::encode_value(payload, p);
    p.append(32, 'h');
    const std::string why = decode_failure(p);
    BOOST_TEST(why.find("not an object") != std::string::npos, why);
  }
}

BOOST_AUTO_TEST_CASE(event_hash_cut_short_is_rejected) {
  std::string p = commit_header(1);
  p.push_back(3);
  strata::codec::put_varint(p, 1);
  wal::put_string(p, "type");
  strata::codec::encode_value(Value(Object{}), p);
  for (std::size_t n = 0; n < 32; ++n)
    BOOST_TEST(decode_failure(p + std::string(n, 'h')) != "(accepted)", n << " hash bytes");
  BOOST_TEST(decode_failure(p + std::string(32, 'h')) == "(accepted)");
}

BOOST_AUTO_TEST_CASE(patch_with_a_short_key_or_huge_edit_count_is_rejected) {
  std::string short_key = commit_header(1);
  short_key.push_back(4);
  wal::put_string(short_key, "abcd");  // no room for run id + primitive tag
  strata::codec::put_varint(short_key, 0);
  BOOST_TEST(decode_failure(short_key).find("key") != std::string::npos);

  std::string huge = commit_header(1);
  huge.push_back(4);
  wal::put_string(huge, doc_key("doc"));
  strata::codec::put_varint(huge, std::numeric_limits<std::uint64_t>::max());
  BOOST_TEST(decode_failure(huge) != "(accepted)");  // and no giant allocation (ASan would say)
}

BOOST_AUTO_TEST_CASE(every_byte_mutation_of_a_mixed_commit_never_crashes) {
  const std::string p = encoded_mixed_commit();
  std::size_t rejected = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    for (unsigned char x : {0x01, 0x80, 0xff}) {
      std::string bad = p;
      bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ x);
      if (decode_failure(bad) != "(accepted)") ++rejected;
    }
  }
  BOOST_TEST(rejected > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
