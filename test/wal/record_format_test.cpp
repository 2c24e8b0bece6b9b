// Record framing shared by WAL segments and snapshots (src/wal/record_format):
// round trips, CRC32C known vectors, and the torn-tail vs corruption
// classification that recovery relies on to never skip acknowledged data.
#define BOOST_TEST_MODULE wal_record_format
#include <boost/test/unit_test.hpp>

#include "wal/crc32c.hpp"
#include "wal/record_format.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using strata::wal::RecordReader;
using strata::wal::RecordType;
using Status = RecordReader::Status;

struct Rec {
  RecordType type;
  std::string payload;
};

std::vector<Rec> sample_records() {
  return {{RecordType::RunCreate, "first"},
          {RecordType::Commit, std::string(300, 'x')},
          {RecordType::RunDelete, ""},
          {RecordType::Commit, std::string("a\0b\xff", 4)}};
}

/// A WAL image: header + the records; `starts` receives each record's offset.
std::string build(const std::vector<Rec>& recs, std::vector<std::size_t>* starts = nullptr) {
  std::string file = strata::wal::file_header(strata::wal::kWalMagic);
  for (const auto& r : recs) {
    if (starts) starts->push_back(file.size());
    strata::wal::append_record(file, r.type, r.payload);
  }
  return file;
}

struct ReadResult {
  std::vector<Rec> records;
  Status final_status = Status::Ok;
  std::size_t position = 0;
  std::string why;
};

ReadResult read_all(std::string_view file) {
  ReadResult out;
  RecordReader reader(file);
  RecordReader::Record r;
  for (int guard = 0; guard < 100000; ++guard) {
    const Status s = reader.next(r, out.why);
    if (s != Status::Ok) {
      out.final_status = s;
      break;
    }
    out.records.push_back({r.type, std::string(r.payload)});
  }
  out.position = reader.position();
  return out;
}

bool same_prefix(const std::vector<Rec>& got, const std::vector<Rec>& all) {
  if (got.size() > all.size()) return false;
  for (std::size_t i = 0; i < got.size(); ++i)
    if (got[i].type != all[i].type || got[i].payload != all[i].payload) return false;
  return true;
}

const char* name(Status s) {
  switch (s) {
    case Status::Ok: return "Ok";
    case Status::End: return "End";
    case Status::TornTail: return "TornTail";
    case Status::Corrupt: return "Corrupt";
  }
  return "?";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crc32c_vectors)

BOOST_AUTO_TEST_CASE(known_vectors) {
  using strata::wal::crc32c;
  BOOST_TEST(crc32c("123456789") == 0xE3069283u);
  BOOST_TEST(crc32c("") == 0u);
  // RFC 3720 (iSCSI) test vectors.
  BOOST_TEST(crc32c(std::string(32, '\0')) == 0x8A9136AAu);
  BOOST_TEST(crc32c(std::string(32, '\xff')) == 0x62A8AB43u);
  std::string inc;
  for (int i = 0; i < 32; ++i) inc.push_back(static_cast<char>(i));
  BOOST_TEST(crc32c(inc) == 0x46DD794Eu);
}

BOOST_AUTO_TEST_CASE(seed_chains_like_one_pass) {
  using strata::wal::crc32c;
  const std::string a = "hello, ", b = "write-ahead log with more than eight bytes";
  BOOST_TEST(crc32c(b, crc32c(a)) == crc32c(a + b));
  // Odd lengths exercise the byte tail after the 8-byte hardware loop.
  for (std::size_t n = 0; n < 20; ++n) {
    const std::string s(n, 'q');
    BOOST_TEST(crc32c(s.substr(n / 2), crc32c(s.substr(0, n / 2))) == crc32c(s));
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(framing)

BOOST_AUTO_TEST_CASE(header_layout) {
  const std::string h = strata::wal::file_header(strata::wal::kSnapshotMagic);
  BOOST_TEST(h.size() == strata::wal::kFileHeaderSize);
  BOOST_TEST(h.substr(0, 8) == "STRATASN");
  BOOST_TEST(strata::wal::get_u32(h.data() + 8) == strata::wal::kFormatVersion);
  BOOST_TEST(strata::wal::get_u32(h.data() + 12) == 0u);
}

BOOST_AUTO_TEST_CASE(record_layout_is_len_notlen_type_payload_crc) {
  std::string out;
  strata::wal::append_record(out, RecordType::Commit, "abc");
  BOOST_TEST(out.size() == strata::wal::kRecordOverhead + 3);
  BOOST_TEST(strata::wal::get_u32(out.data()) == 3u);
  BOOST_TEST(strata::wal::get_u32(out.data() + 4) == ~3u);
  BOOST_TEST(static_cast<int>(out[8]) == static_cast<int>(RecordType::Commit));
  BOOST_TEST(out.substr(9, 3) == "abc");
  BOOST_TEST(strata::wal::get_u32(out.data() + 12) == strata::wal::crc32c(out.substr(8, 4)));
}

BOOST_AUTO_TEST_CASE(round_trip_with_offsets) {
  const auto recs = sample_records();
  std::vector<std::size_t> starts;
  const std::string file = build(recs, &starts);
  RecordReader reader(file);
  std::string why;
  BOOST_TEST(reader.check_header(strata::wal::kWalMagic, why));
  RecordReader::Record r;
  for (std::size_t i = 0; i < recs.size(); ++i) {
    BOOST_TEST_REQUIRE(name(reader.next(r, why)) == "Ok");
    BOOST_TEST(static_cast<int>(r.type) == static_cast<int>(recs[i].type));
    BOOST_TEST(r.payload == recs[i].payload);
    BOOST_TEST(r.offset == starts[i]);
  }
  BOOST_TEST(name(reader.next(r, why)) == "End");
  BOOST_TEST(reader.position() == file.size());
}

BOOST_AUTO_TEST_CASE(empty_file_after_header_is_a_clean_end) {
  const auto r = read_all(build({}));
  BOOST_TEST(name(r.final_status) == "End");
  BOOST_TEST(r.records.empty());
}

BOOST_AUTO_TEST_CASE(header_checks) {
  std::string why;
  const std::string good = build(sample_records());
  BOOST_TEST(!RecordReader(good).check_header(strata::wal::kSnapshotMagic, why));
  BOOST_TEST(!why.empty());
  BOOST_TEST(!RecordReader(good.substr(0, 10)).check_header(strata::wal::kWalMagic, why));
  std::string bad_version = good;
  bad_version[8] = 2;
  why.clear();
  BOOST_TEST(!RecordReader(bad_version).check_header(strata::wal::kWalMagic, why));
  BOOST_TEST(why.find("version") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(classification)

BOOST_AUTO_TEST_CASE(cut_anywhere_in_last_record_is_torn_tail) {
  const auto recs = sample_records();
  std::vector<std::size_t> starts;
  const std::string file = build(recs, &starts);
  const std::size_t last = starts.back();
  for (std::size_t cut = last + 1; cut < file.size(); ++cut) {
    const auto r = read_all(std::string_view(file).substr(0, cut));
    BOOST_TEST_CONTEXT("cut at " << cut) {
      BOOST_TEST(name(r.final_status) == "TornTail");
      BOOST_TEST(r.position == last);
      BOOST_TEST(r.records.size() == recs.size() - 1);
      BOOST_TEST(same_prefix(r.records, recs));
    }
  }
}

BOOST_AUTO_TEST_CASE(cut_at_every_offset_never_yields_a_wrong_record) {
  const auto recs = sample_records();
  std::vector<std::size_t> starts;
  const std::string file = build(recs, &starts);
  for (std::size_t cut = strata::wal::kFileHeaderSize; cut <= file.size(); ++cut) {
    const auto r = read_all(std::string_view(file).substr(0, cut));
    const bool boundary = cut == file.size() || std::find(starts.begin(), starts.end(), cut) != starts.end();
    BOOST_TEST_CONTEXT("cut at " << cut) {
      BOOST_TEST(name(r.final_status) == (boundary ? "End" : "TornTail"));
      BOOST_TEST(same_prefix(r.records, recs));
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_complement_length_is_corrupt) {
  const auto recs = sample_records();
  std::vector<std::size_t> starts;
  const std::string good = build(recs, &starts);
  for (std::size_t i = 0; i < starts.size(); ++i) {
    std::string file = good;
    file[starts[i] + 5] ^= 0x10;  // a bit of ~len
    const auto r = read_all(file);
    BOOST_TEST_CONTEXT("record " << i) {
      BOOST_TEST(name(r.final_status) == "Corrupt");
      BOOST_TEST(r.position == starts[i]);
      BOOST_TEST(r.records.size() == i);
      BOOST_TEST(r.why.find("length") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(length_flip_that_looks_like_a_long_record_is_corrupt) {
  // Without ~len this would read as "runs past the end" (torn) and drop
  // the valid records after it.
  const auto recs = sample_records();
  std::vector<std::size_t> starts;
  std::string file = build(recs, &starts);
  file[starts[1] + 2] ^= 0x40;
  BOOST_TEST(name(read_all(file).final_status) == "Corrupt");
}

BOOST_AUTO_TEST_CASE(oversized_length_with_valid_complement_is_corrupt) {
  std::string file = build(sample_records());
  const std::uint32_t huge = strata::wal::kMaxRecordPayload + 1;
  strata::wal::put_u32(file, huge);
  strata::wal::put_u32(file, ~huge);
  file.append(64, 'z');
  const auto r = read_all(file);
  BOOST_TEST(name(r.final_status) == "Corrupt");
  BOOST_TEST(r.records.size() == sample_records().size());
}

BOOST_AUTO_TEST_CASE(zero_filled_tail_is_torn) {
  const auto recs = sample_records();
  const std::string good = build(recs);
  for (std::size_t zeros : {1u, 7u, 8u, 13u, 100u, 4096u}) {
    const auto r = read_all(good + std::string(zeros, '\0'));
    BOOST_TEST_CONTEXT(zeros << " zero bytes") {
      BOOST_TEST(name(r.final_status) == "TornTail");
      BOOST_TEST(r.position == good.size());
      BOOST_TEST(r.records.size() == recs.size());
    }
  }
}

BOOST_AUTO_TEST_CASE(last_record_zeroed_after_its_length_is_torn) {
  // The file size reached the disk with the length, the rest did not.
  const auto recs = sample_records();
  std::vector<std::size_t> starts;
  std::string file = build(recs, &starts);
  for (std::size_t i = starts.back() + 8; i < file.size(); ++i) file[i] = '\0';
  const auto r = read_all(file);
  BOOST_TEST(name(r.final_status) == "TornTail");
  BOOST_TEST(r.position == starts.back());
}

BOOST_AUTO_TEST_CASE(crc_mismatch_with_records_after_is_corrupt) {
  const auto recs = sample_records();
  std::vector<std::size_t> starts;
  const std::string good = build(recs, &starts);
  for (std::size_t i = 0; i + 1 < starts.size(); ++i) {
    std::string file = good;
    file[starts[i + 1] - 1] ^= 0x01;  // the record's stored crc
    const auto r = read_all(file);
    BOOST_TEST_CONTEXT("record " << i) {
      BOOST_TEST(name(r.final_status) == "Corrupt");
      BOOST_TEST(r.position == starts[i]);
      BOOST_TEST(r.why.find("checksum") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(crc_mismatch_in_last_record_is_torn) {
  const auto recs = sample_records();
  std::vector<std::size_t> starts;
  std::string file = build(recs, &starts);
  file[starts.back() + 9] ^= 0x01;  // the payload
  const auto r = read_all(file);
  BOOST_TEST(name(r.final_status) == "TornTail");
  BOOST_TEST(r.position == starts.back());
}

BOOST_AUTO_TEST_CASE(every_single_bit_flip_is_detected) {
  // Flipping any bit of any record: the reader yields only intact records
  // of the original, then Corrupt — or TornTail if the flip is in the last
  // record. Never a changed record, never a clean End.
  const auto recs = sample_records();
  std::vector<std::size_t> starts;
  const std::string good = build(recs, &starts);
  for (std::size_t byte = strata::wal::kFileHeaderSize; byte < good.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string file = good;
      file[byte] = static_cast<char>(file[byte] ^ (1 << bit));
      const auto r = read_all(file);
      const bool in_last = byte >= starts.back();
      BOOST_TEST_CONTEXT("byte " << byte << " bit " << bit) {
        BOOST_TEST(same_prefix(r.records, recs));
        if (in_last)
          BOOST_TEST((r.final_status == Status::TornTail || r.final_status == Status::Corrupt));
        else
          BOOST_TEST(name(r.final_status) == "Corrupt");
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
