// The event hash chain detects tampering with a closed database (docs/design/primitives.md):
// recovery re-installs logged events with the hashes the coordinator
// computed (it does not recompute them), so an edit of the WAL that keeps
// its CRC32C valid opens fine but event_verify() names the edited event.
// An edit that does not fix the checksum never gets that far: the reopen
// fails with errc::corruption naming the segment.
#define BOOST_TEST_MODULE durability_event_tamper
#include <boost/test/unit_test.hpp>

#include "support/temp_dir.hpp"

#include "wal/crc32c.hpp"
#include "wal/log_records.hpp"
#include "wal/record_format.hpp"

#include <strata/strata.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace strata;

namespace {

struct TempDir : test::TempDir {
  TempDir() : test::TempDir("tamper") {}
};

constexpr std::uint64_t kEvents = 12;
constexpr std::uint64_t kVictim = 7;

Options opts() {
  Options o;
  o.durability = Durability::Buffered;
  o.shards = 2;
  o.threads = 1;
  o.auto_compact_wal_bytes = 0;  // every event stays in the WAL
  return o;
}

/// The text of event k's payload; unique, so a byte search finds one record.
std::string marker(std::uint64_t k) { return "marker-" + std::to_string(100 + k); }

/// kEvents events, one commit each, then some KV commits so that the
/// victim's record is never the WAL's last (a damaged last record would be
/// a torn tail, not corruption).
void write_events(const fs::path& dir) {
  auto db = Strata::open(dir, opts());
  for (std::uint64_t k = 1; k <= kEvents; ++k) {
    const std::string type = k % 2 ? "step" : "obs";
    BOOST_TEST_REQUIRE(db.event_append(type, Value::object({{"text", Value(marker(k))}, {"k", Value(k)}})) == k);
  }
  for (int i = 0; i < 3; ++i) db.kv_put("after", Value(i));
  BOOST_TEST_REQUIRE(db.event_verify().ok);
  db.close();
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_file(const fs::path& p, const std::string& data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  BOOST_TEST_REQUIRE(out.good());
}

/// Where the victim's commit record sits.
struct Located {
  fs::path segment;
  std::string image;
  std::size_t offset = 0;        // of the record in the file
  std::size_t payload_size = 0;  // the payload starts at offset + 9
};

/// Scans every segment's records for the commit holding event `k` (found
/// by its marker, confirmed by decoding the record).
Located locate(const fs::path& dir, std::uint64_t k) {
  std::vector<Located> found;
  for (const auto& e : fs::directory_iterator(dir / "wal")) {
    const std::string image = read_file(e.path());
    wal::RecordReader reader(image);
    std::string why;
    BOOST_TEST_REQUIRE(reader.check_header(wal::kWalMagic, why), why);
    wal::RecordReader::Record r;
    while (reader.next(r, why) == wal::RecordReader::Status::Ok) {
      if (r.type != wal::RecordType::Commit || r.payload.find(marker(k)) == std::string_view::npos) continue;
      commit::OwnedCommit c;
      BOOST_TEST_REQUIRE(wal::decode_commit(r.payload, c, why), why);
      BOOST_TEST_REQUIRE(c.events.size() == 1u);
      BOOST_TEST_REQUIRE(c.events[0].sequence == k);
      BOOST_TEST_REQUIRE(c.patches.empty());
      BOOST_TEST_REQUIRE(c.writes.empty());  // so the payload ends with the 32 hash bytes
      found.push_back({e.path(), image, r.offset, r.payload.size()});
    }
  }
  BOOST_TEST_REQUIRE(found.size() == 1u);
  return found.front();
}

/// Edits the victim's record payload in place; with `fix_crc` the record's
/// CRC32C (over type and payload) is recomputed so the WAL stays valid.
void tamper(const fs::path& dir, const std::function<void(std::string& payload)>& edit, bool fix_crc) {
  Located at = locate(dir, kVictim);
  const std::size_t body = at.offset + 8;  // type byte, then the payload
  std::string payload = at.image.substr(body + 1, at.payload_size);
  const std::string original = payload;
  edit(payload);
  BOOST_TEST_REQUIRE(payload.size() == original.size());
  BOOST_TEST_REQUIRE(payload != original);
  at.image.replace(body + 1, payload.size(), payload);
  if (fix_crc) {
    std::string crc;
    wal::put_u32(crc, wal::crc32c(std::string_view(at.image).substr(body, 1 + payload.size())));
    at.image.replace(body + 1 + payload.size(), 4, crc);
  }
  write_file(at.segment, at.image);
}

void replace_marker(std::string& payload) {
  const auto pos = payload.find(marker(kVictim));
  BOOST_TEST_REQUIRE(pos != std::string::npos);
  payload.replace(pos, 6, "forged");  // "marker" -> "forged": same length, still a valid string
}

void flip_hash_byte(std::string& payload) { payload[payload.size() - 5] ^= 0x20; }

/// Reopens the tampered database and checks that the chain names kVictim.
void expect_verify_names_the_victim(const fs::path& dir, std::uint64_t events = kEvents) {
  auto db = Strata::open(dir, opts());
  BOOST_TEST(db.event_len() == events);
  const EventVerification v = db.event_verify();
  BOOST_TEST(!v.ok);
  BOOST_TEST_REQUIRE(v.first_bad.has_value());
  BOOST_TEST(*v.first_bad == kVictim);
  BOOST_TEST(v.checked == kVictim);  // events 1..k-1 verified before k failed
  BOOST_TEST(!v.reason.empty());
  BOOST_TEST_MESSAGE("event_verify: " << v.reason);
  // The rest of the log still reads: the damage is reported, not hidden.
  for (std::uint64_t k = 1; k <= events; ++k) BOOST_TEST(db.event_read(k).has_value());
  BOOST_TEST((db.kv_get("after") == std::optional(Value(2))));
}

}  // namespace

BOOST_AUTO_TEST_CASE(untampered_log_verifies) {
  TempDir dir;
  write_events(dir.db());
  auto db = Strata::open(dir.db(), opts());
  const EventVerification v = db.event_verify();
  BOOST_TEST(v.ok, v.reason);
  BOOST_TEST(v.checked == kEvents);
  BOOST_TEST(!v.first_bad.has_value());
}

BOOST_AUTO_TEST_CASE(edited_payload_with_a_valid_crc_is_named_by_event_verify) {
  TempDir dir;
  write_events(dir.db());
  tamper(dir.db(), replace_marker, true);
  expect_verify_names_the_victim(dir.db());
  auto db = Strata::open(dir.db(), opts());
  const auto e = db.event_read(kVictim);
  BOOST_TEST_REQUIRE(e.has_value());
  BOOST_TEST(e->payload.at("text").as_string() == "forged-" + std::to_string(100 + kVictim));
}

BOOST_AUTO_TEST_CASE(edited_hash_with_a_valid_crc_is_named_by_event_verify) {
  TempDir dir;
  write_events(dir.db());
  std::string hash_before;
  {
    auto db = Strata::open(dir.db(), opts());
    hash_before = db.event_read(kVictim)->hash;
  }
  tamper(dir.db(), flip_hash_byte, true);
  expect_verify_names_the_victim(dir.db());
  auto db = Strata::open(dir.db(), opts());
  BOOST_TEST(db.event_read(kVictim)->hash != hash_before);
  BOOST_TEST((Value(db.event_read(kVictim)->payload).as_object().at("k") == Value(kVictim)));
}

BOOST_AUTO_TEST_CASE(appends_after_a_tampered_reopen_do_not_heal_the_chain) {
  TempDir dir;
  write_events(dir.db());
  tamper(dir.db(), replace_marker, true);
  {
    auto db = Strata::open(dir.db(), opts());
    BOOST_TEST(db.event_append("step", Value::object({{"late", Value(true)}})) == kEvents + 1);
  }
  expect_verify_names_the_victim(dir.db(), kEvents + 1);
}

BOOST_AUTO_TEST_CASE(edits_without_fixing_the_crc_fail_the_reopen_as_corruption) {
  using Edit = std::function<void(std::string&)>;
  for (const Edit& edit : {Edit(replace_marker), Edit(flip_hash_byte)}) {
    TempDir dir;
    write_events(dir.db());
    const fs::path segment = locate(dir.db(), kVictim).segment;
    tamper(dir.db(), edit, false);
    try {
      Strata::open(dir.db(), opts());
      BOOST_ERROR("reopen of a WAL with a bad record checksum succeeded");
    } catch (const Error& e) {
      BOOST_TEST((e.code() == errc::corruption), e.what());
      BOOST_TEST(std::string(e.what()).find(segment.filename().string()) != std::string::npos, e.what());
    }
  }
}
