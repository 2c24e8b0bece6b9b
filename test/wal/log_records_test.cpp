// Payloads of WAL records (src/wal/log_records): encode/decode round trips,
// and malformed payloads rejected cleanly (no crash, no partial accept) —
// recovery trusts decode_* after the CRC, so they must stand on their own.
#define BOOST_TEST_MODULE wal_log_records
#include <boost/test/unit_test.hpp>

#include "codec/value_codec.hpp"
#include "keys/storage_key.hpp"
#include "wal/log_records.hpp"

#include <strata/value.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using strata::Object;
using strata::Value;
using strata::actors::WriteIntent;
namespace keys = strata::keys;
namespace wal = strata::wal;

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
  w.push_back(del("last-is-a-delete"));
  return w;
}

std::string encoded_commit() {
  std::string p;
  wal::encode_commit(123456789, 1'700'000'000'123'456, 7, sample_writes(), p);
  return p;
}

void check_writes_equal(const std::vector<WriteIntent>& got, const std::vector<WriteIntent>& want) {
  BOOST_TEST_REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    BOOST_TEST_CONTEXT("write " << i) {
      BOOST_TEST(got[i].key == want[i].key);
      BOOST_TEST(got[i].tombstone == want[i].tombstone);
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
  wal::CommitEntry c;
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
  wal::encode_commit(std::numeric_limits<strata::Version>::max(), max_ts,
                     std::numeric_limits<keys::RunId>::max(), {}, p);
  wal::CommitEntry c;
  std::string why;
  BOOST_TEST_REQUIRE(wal::decode_commit(p, c, why), why);
  BOOST_TEST(c.version == std::numeric_limits<strata::Version>::max());
  BOOST_TEST(c.timestamp_us == max_ts);
  BOOST_TEST(c.run == std::numeric_limits<keys::RunId>::max());
  BOOST_TEST(c.writes.empty());
}

BOOST_AUTO_TEST_CASE(decode_reuses_entry_without_leaking_old_writes) {
  wal::CommitEntry c;
  std::string why;
  BOOST_TEST_REQUIRE(wal::decode_commit(encoded_commit(), c, why));
  std::string p;
  std::vector<WriteIntent> one{put("only", Value(1))};
  wal::encode_commit(2, 3, 4, one, p);
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
    wal::CommitEntry c;
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
  wal::CommitEntry c;
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

BOOST_AUTO_TEST_CASE(unknown_write_op_is_rejected) {
  std::string p;
  std::vector<WriteIntent> one{put("k", Value(1))};
  wal::encode_commit(1, 1, 7, one, p);
  // version, ts, run and count are one-byte varints here: the op is byte 4.
  for (char op : {'\0', '\3', '\x7f', '\xff'}) {
    std::string bad = p;
    bad[4] = op;
    wal::CommitEntry c;
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
  wal::encode_commit(1, 1, 7, std::vector<WriteIntent>{w}, p);
  wal::CommitEntry c;
  std::string why;
  BOOST_TEST(!wal::decode_commit(p, c, why));
}

BOOST_AUTO_TEST_CASE(huge_write_count_is_rejected_without_allocating) {
  std::string p;
  strata::codec::put_varint(p, 1);
  strata::codec::put_varint(p, 1);
  strata::codec::put_varint(p, 7);
  strata::codec::put_varint(p, std::numeric_limits<std::uint64_t>::max());
  wal::CommitEntry c;
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
      wal::CommitEntry c;
      std::string why;
      if (!wal::decode_commit(bad, c, why)) ++rejected;
    }
  }
  BOOST_TEST(rejected > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
