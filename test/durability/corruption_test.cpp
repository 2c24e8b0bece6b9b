// Damage to the files of a closed database (docs/guides/durability.md, docs/design/reliability.md): a flipped bit or
// a truncation anywhere in a WAL segment or the snapshot is either refused
// (errc::corruption naming the file and offset) or — only for the final
// record of the last segment, a torn tail — dropped with truncated_bytes
// reported. Whatever opens reads back a prefix of the committed history:
// never garbage, never a silently different value.
#define BOOST_TEST_MODULE durability_corruption
#include <boost/test/unit_test.hpp>

#include "support/temp_dir.hpp"

#include "wal/record_format.hpp"

#include <strata/strata.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace strata;

namespace {

/// Hundreds of damaged copies are opened, each open fsyncs a few times:
/// on tmpfs (/dev/shm) that costs nothing, so prefer it when present. The
/// damage is in the bytes, which do not depend on the filesystem.
struct TempDir : test::TempDir {
  TempDir() : test::TempDir("corruption", bytes_only_base()) {}
};

constexpr int kKeys = 4;

Options opts() {
  Options o;
  o.durability = Durability::Strict;
  o.shards = 1;
  o.threads = 1;
  o.wal_segment_bytes = 256;  // a handful of commits per segment
  o.auto_compact_wal_bytes = 0;
  return o;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_file(const fs::path& p, const std::string& data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

/// One file of the golden database and where its records start.
struct FileInfo {
  fs::path rel;  // relative to the database directory
  std::string image;
  std::vector<std::size_t> record_starts;
  bool last_segment = false;
};

/// The golden database: commits before and after a snapshot, spread over
/// several WAL segments, plus the full history of every key.
struct Golden {
  TempDir tmp;
  fs::path db = tmp.root / "golden";
  std::map<std::string, std::vector<VersionedValue>> history;
  Version snapshot_version = 0;
  Version last_version = 0;
  std::vector<FileInfo> files;

  Golden() {
    {
      auto s = Strata::open(db, opts());
      for (int i = 0; i < 12; ++i) s.kv_put("k" + std::to_string(i % kKeys), Value(i));
      s.kv_delete("k0");
      s.compact();
      snapshot_version = s.info().visible_version;
      for (int i = 12; i < 40; ++i) {
        if (i % 9 == 0) s.kv_delete("k" + std::to_string(i % kKeys));
        else s.kv_put("k" + std::to_string(i % kKeys), Value("value " + std::to_string(i)));
      }
      // End with records in the last segment (a rotation can leave it
      // header-only): damage there is the torn-tail case.
      for (int i = 40; last_segment_is_empty() && i < 200; ++i) s.kv_put("k" + std::to_string(i % kKeys), Value(i));
      last_version = s.info().visible_version;
      for (int k = 0; k < kKeys; ++k) history["k" + std::to_string(k)] = s.kv_history("k" + std::to_string(k));
    }
    collect_files();
  }

  bool last_segment_is_empty() const {
    std::vector<fs::path> segs;
    for (const auto& e : fs::directory_iterator(db / "wal")) segs.push_back(e.path());
    return segs.empty() || fs::file_size(*std::max_element(segs.begin(), segs.end())) <= wal::kFileHeaderSize;
  }

  void collect_files() {
    std::vector<fs::path> segs;
    for (const auto& e : fs::directory_iterator(db / "wal")) segs.push_back(fs::relative(e.path(), db));
    std::sort(segs.begin(), segs.end());
    for (const auto& e : fs::directory_iterator(db))
      if (e.path().extension() == ".snap") files.push_back(describe(fs::relative(e.path(), db), false));
    for (std::size_t i = 0; i < segs.size(); ++i) files.push_back(describe(segs[i], i + 1 == segs.size()));
  }

  FileInfo describe(const fs::path& rel, bool last) const {
    FileInfo f{rel, read_file(db / rel), {}, last};
    wal::RecordReader reader(f.image);
    wal::RecordReader::Record r;
    std::string why;
    while (reader.next(r, why) == wal::RecordReader::Status::Ok) f.record_starts.push_back(r.offset);
    BOOST_TEST_REQUIRE(reader.position() == f.image.size(), "golden file " << rel << " is not clean");
    return f;
  }

  std::size_t segments() const {
    return static_cast<std::size_t>(std::count_if(files.begin(), files.end(),
                                                  [](const FileInfo& f) { return f.rel.extension() == ".log"; }));
  }
};

const Golden& golden() {
  static Golden g;
  return g;
}

/// The reopened database shows the golden history cut at its visible
/// version, which lies between the snapshot and the last commit.
void check_is_prefix(Strata& s, const std::string& ctx) {
  const Golden& g = golden();
  const Version v = s.info().visible_version;
  BOOST_TEST(v >= g.snapshot_version, ctx);
  BOOST_TEST(v <= g.last_version, ctx);
  for (const auto& [key, full] : g.history) {
    std::vector<VersionedValue> want;
    for (const auto& vv : full)
      if (vv.version <= v) want.push_back(vv);
    const bool same = s.kv_history(key) == want;
    BOOST_TEST(same, ctx << ": history of " << key << " is not the golden one at version " << v);
    const auto live = s.kv_get(key);
    const bool live_ok = want.empty() || want.front().tombstone ? !live.has_value()
                                                                 : live.has_value() && *live == want.front().value;
    BOOST_TEST(live_ok, ctx << ": value of " << key);
  }
}

enum class Outcome { Corruption, Truncated, Other };

/// Opens a damaged copy and classifies the result; checks the message of a
/// corruption error and the data of a database that opened.
Outcome open_damaged(const fs::path& dir, const FileInfo& f, std::size_t damage_at, const std::string& ctx) {
  try {
    auto s = Strata::open(dir, opts());
    const auto info = s.info();
    check_is_prefix(s, ctx);
    return info.truncated_bytes > 0 ? Outcome::Truncated : Outcome::Other;
  } catch (const Error& e) {
    const std::string what = e.what();
    if (e.code() != make_error_code(errc::corruption)) {
      BOOST_TEST_MESSAGE(ctx << ": unexpected error " << what);
      return Outcome::Other;
    }
    BOOST_TEST(what.find("offset ") != std::string::npos, ctx << ": " << what);
    // A cut at a record boundary is noticed at the next segment's first
    // record; any other damage is reported in the damaged file itself, at
    // or before the damage.
    const bool names_file = what.find(f.rel.filename().string()) != std::string::npos;
    const bool names_some_file = what.find(".log") != std::string::npos || what.find(".snap") != std::string::npos;
    BOOST_TEST(names_some_file, ctx << ": " << what);
    if (names_file) {
      const auto at = what.find("offset ") + 7;
      const auto offset = std::stoull(what.substr(at));
      BOOST_TEST(offset <= damage_at, ctx << ": " << what);
    }
    return Outcome::Corruption;
  }
}

/// A scratch copy of the golden database with one file replaced.
struct DamagedCopy {
  fs::path dir;
  DamagedCopy(const fs::path& scratch, const FileInfo& f, const std::string& image) : dir(scratch / "copy") {
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::copy(golden().db, dir, fs::copy_options::recursive);
    write_file(dir / f.rel, image);
  }
};

/// About `target` evenly spread offsets in [0, size), always including the
/// header and the first and last bytes of each record.
std::vector<std::size_t> offsets_of(const FileInfo& f, std::size_t target) {
  std::vector<std::size_t> out;
  const std::size_t stride = std::max<std::size_t>(1, f.image.size() / target);
  for (std::size_t i = 0; i < f.image.size(); i += stride) out.push_back(i);
  for (std::size_t i = 0; i < wal::kFileHeaderSize; ++i) out.push_back(i);
  for (std::size_t s : f.record_starts)
    for (std::size_t d : {0, 1, 4, 5, 8, 9}) out.push_back(s + d);
  for (std::size_t i = 1; i <= f.record_starts.size(); ++i) {
    const std::size_t end = i < f.record_starts.size() ? f.record_starts[i] : f.image.size();
    out.push_back(end - 1);  // a checksum byte
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  while (!out.empty() && out.back() >= f.image.size()) out.pop_back();
  return out;
}

bool in_final_record_of_last_segment(const FileInfo& f, std::size_t offset) {
  return f.last_segment && !f.record_starts.empty() && offset >= f.record_starts.back();
}

/// The reserved header word (bytes 12..15) is checked separately below.
bool in_reserved_header_field(std::size_t offset) { return offset >= 12 && offset < 16; }

}  // namespace

BOOST_AUTO_TEST_CASE(golden_database_has_a_snapshot_and_several_segments) {
  const Golden& g = golden();
  BOOST_TEST(g.segments() >= 2u);
  BOOST_TEST(std::any_of(g.files.begin(), g.files.end(), [](const FileInfo& f) { return f.rel.extension() == ".snap"; }));
  BOOST_TEST(g.snapshot_version > 0u);
  BOOST_TEST(g.last_version > g.snapshot_version);
  for (const auto& f : g.files)
    if (f.last_segment) BOOST_TEST(!f.record_starts.empty(), "the last segment must hold records");
  // The untouched copy opens with everything.
  TempDir scratch;
  const FileInfo& any = g.files.front();
  DamagedCopy copy(scratch.root, any, any.image);
  auto s = Strata::open(copy.dir, opts());
  BOOST_TEST(s.info().visible_version == g.last_version);
  BOOST_TEST(s.info().truncated_bytes == 0u);
  check_is_prefix(s, "intact copy");
}

BOOST_AUTO_TEST_CASE(flipped_bits_are_detected) {
  TempDir scratch;
  for (const auto& f : golden().files) {
    std::size_t corrupt = 0, truncated = 0;
    for (std::size_t off : offsets_of(f, 100)) {
      if (in_reserved_header_field(off)) continue;
      std::string image = f.image;
      image[off] = static_cast<char>(image[off] ^ (1 << (off % 8)));
      DamagedCopy copy(scratch.root, f, image);
      const std::string ctx = f.rel.string() + " bit flip at " + std::to_string(off);
      const Outcome o = open_damaged(copy.dir, f, off, ctx);
      if (in_final_record_of_last_segment(f, off)) {
        BOOST_TEST((o == Outcome::Corruption || o == Outcome::Truncated), ctx);
      } else {
        BOOST_TEST((o == Outcome::Corruption), ctx << ": expected corruption");
      }
      corrupt += o == Outcome::Corruption;
      truncated += o == Outcome::Truncated;
    }
    BOOST_TEST_MESSAGE(f.rel << ": " << corrupt << " corruption, " << truncated << " torn tails");
    BOOST_TEST(corrupt > 0u);
  }
}

BOOST_AUTO_TEST_CASE(truncations_are_detected) {
  TempDir scratch;
  for (const auto& f : golden().files) {
    for (std::size_t len : offsets_of(f, 100)) {
      DamagedCopy copy(scratch.root, f, f.image.substr(0, len));
      const std::string ctx = f.rel.string() + " truncated to " + std::to_string(len);
      const Outcome o = open_damaged(copy.dir, f, len, ctx);
      if (!f.last_segment) {
        BOOST_TEST((o == Outcome::Corruption), ctx << ": expected corruption");
        continue;
      }
      // The last segment: a torn tail, whatever the length.
      BOOST_TEST((o != Outcome::Corruption), ctx);
      const bool at_boundary = len == 0 || len == wal::kFileHeaderSize ||
                               std::find(f.record_starts.begin(), f.record_starts.end(), len) != f.record_starts.end();
      if (!at_boundary) BOOST_TEST((o == Outcome::Truncated), ctx << ": truncated_bytes not reported");
    }
  }
}

BOOST_AUTO_TEST_CASE(torn_tail_repair_is_idempotent) {
  TempDir scratch;
  const auto& files = golden().files;
  const auto last = std::find_if(files.begin(), files.end(), [](const FileInfo& f) { return f.last_segment; });
  BOOST_TEST_REQUIRE((last != files.end()));
  DamagedCopy copy(scratch.root, *last, last->image.substr(0, last->image.size() - 3));
  Version v1 = 0;
  {
    auto s = Strata::open(copy.dir, opts());
    BOOST_TEST(s.info().truncated_bytes > 0u);
    v1 = s.info().visible_version;
    BOOST_TEST(v1 == golden().last_version - 1);
  }
  auto s = Strata::open(copy.dir, opts());
  BOOST_TEST(s.info().truncated_bytes == 0u);
  BOOST_TEST(s.info().visible_version == v1);
  check_is_prefix(s, "second open after repair");
}

BOOST_AUTO_TEST_CASE(missing_middle_segment_is_corruption) {
  TempDir scratch;
  const auto& files = golden().files;
  std::vector<const FileInfo*> segs;
  for (const auto& f : files)
    if (f.rel.extension() == ".log") segs.push_back(&f);
  BOOST_TEST_REQUIRE(segs.size() >= 2u);
  DamagedCopy copy(scratch.root, *segs.front(), segs.front()->image);
  fs::remove(copy.dir / segs.front()->rel);
  BOOST_CHECK_EXCEPTION(Strata::open(copy.dir, opts()), Error,
                        [](const Error& e) { return e.code() == make_error_code(errc::corruption); });
}

// Known gaps, kept as failing tests until the library closes them.

BOOST_AUTO_TEST_CASE(flip_in_reserved_header_field_is_detected) {
  // record_format.hpp documents the word at bytes 12..15 as "reserved (0)",
  // but RecordReader::check_header never looks at it: a flipped bit there
  // opens silently (docs/design/reliability.md: flipped bits anywhere are detected).
  TempDir scratch;
  for (const auto& f : golden().files) {
    std::string image = f.image;
    image[13] = static_cast<char>(image[13] ^ 0x04);
    DamagedCopy copy(scratch.root, f, image);
    const std::string ctx = f.rel.string() + " reserved header bit";
    BOOST_TEST((open_damaged(copy.dir, f, 13, ctx) == Outcome::Corruption), ctx << ": expected corruption");
  }
}

BOOST_AUTO_TEST_CASE(cut_at_record_boundary_before_an_empty_last_segment_is_detected) {
  // Reopening without writing leaves an empty (header-only) last segment.
  // Cutting the segment before it at a record boundary then loses
  // acknowledged commits with no error: nothing ties a segment's end to
  // the next segment's start.
  TempDir scratch;
  const fs::path dir = scratch.root / "db";
  Version last = 0;
  {
    auto s = Strata::open(dir, opts());
    for (int i = 0; i < 3; ++i) last = s.kv_put("k", Value(i));
  }
  { auto s = Strata::open(dir, opts()); }  // creates the empty segment
  std::vector<fs::path> segs;
  for (const auto& e : fs::directory_iterator(dir / "wal")) segs.push_back(e.path());
  std::sort(segs.begin(), segs.end());
  BOOST_TEST_REQUIRE(segs.size() >= 2u);
  const fs::path victim = segs[segs.size() - 2];
  FileInfo f{fs::relative(victim, dir), read_file(victim), {}, false};
  wal::RecordReader reader(f.image);
  wal::RecordReader::Record r;
  std::string why;
  while (reader.next(r, why) == wal::RecordReader::Status::Ok) f.record_starts.push_back(r.offset);
  BOOST_TEST_REQUIRE(!f.record_starts.empty());
  fs::resize_file(victim, f.record_starts.back());  // drop the last commit, cleanly
  try {
    auto s = Strata::open(dir, opts());
    BOOST_TEST(s.info().visible_version == last, "commit " << last << " vanished without a corruption error");
  } catch (const Error& e) {
    BOOST_TEST((e.code() == make_error_code(errc::corruption)), e.what());
  }
}
