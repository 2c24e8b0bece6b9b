// Record framing shared by WAL segments and snapshot files (the on-disk
// contract; see docs/formats/wal.md).
//
//   record  := len:u32le  ~len:u32le  type:u8  payload:len bytes  crc:u32le
//   crc     := CRC32C(type ‖ payload)
//
// The complemented copy of the length makes a damaged length field
// detectable on its own: without it, a flipped bit that made a record look
// longer than the rest of the file would pass for a torn tail and silently
// cut off the valid records after it.
//
// A file starts with a 28-byte header: 8-byte magic, u32le format version,
// u32le reserved (0), u64le link, u32le CRC32C of the 24 bytes before it
// (so a damaged header is detected wherever the bit falls). In a WAL segment the link is the size of
// the previous segment when this one was started (0 if unknown), so that
// recovery notices a previous segment cut at a record boundary even when no
// record follows to show a version gap. The reader tells a torn tail (the last record runs
// past the end of the file, or is the last thing in the file and fails its
// checksum) from corruption (a bad length field, or a bad record with more
// data after it).
#pragma once

#include <strata/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::wal {

inline constexpr std::size_t kFileHeaderSize = 28;
inline constexpr std::size_t kRecordOverhead = 13;  // len + ~len + type + crc
inline constexpr std::uint32_t kFormatVersion = 1;
/// A record larger than this is treated as corrupt (a forged length must not
/// make the reader allocate gigabytes). Values are <= 16 MiB; a commit holds
/// many of them, so the cap is generous.
inline constexpr std::uint32_t kMaxRecordPayload = 1u << 30;

inline constexpr std::string_view kWalMagic = "STRATAWL";
inline constexpr std::string_view kSnapshotMagic = "STRATASN";

enum class RecordType : std::uint8_t {
  Commit = 1,      // one transaction: version, timestamp, writes
  RunCreate = 2,   // a run came into being
  RunDelete = 3,   // a run and all its data went away
  RunUpdate = 4,   // status / metadata changed
  SnapshotBegin = 16,  // snapshot files only
  SnapshotRun = 17,
  SnapshotChain = 18,
  SnapshotEnd = 19,
};

std::string file_header(std::string_view magic, std::uint64_t link = 0);
void put_u64(std::string& out, std::uint64_t v);
std::uint64_t get_u64(const char* p) noexcept;
/// Appends one framed record.
void append_record(std::string& out, RecordType type, std::string_view payload);

/// Sequential reader over an in-memory file image.
class RecordReader {
 public:
  enum class Status { Ok, End, TornTail, Corrupt };
  struct Record {
    RecordType type{};
    std::string_view payload;
    std::size_t offset = 0;  // of the record's first byte in the file
  };

  explicit RecordReader(std::string_view file) : file_(file), pos_(kFileHeaderSize) {}

  /// Checks magic, version and the reserved word. Returns false with `why`
  /// on mismatch.
  bool check_header(std::string_view magic, std::string& why) const;
  /// The header's link field. REQUIRES: check_header() passed.
  std::uint64_t link() const noexcept { return get_u64(file_.data() + 16); }
  /// Next record; Status::End at a clean end of file.
  Status next(Record& out, std::string& why);
  /// Offset where the next record would start (the valid length after a
  /// torn tail).
  std::size_t position() const noexcept { return pos_; }

 private:
  bool rest_is_zero() const noexcept;
  std::string_view file_;
  std::size_t pos_;
};

void put_u32(std::string& out, std::uint32_t v);
std::uint32_t get_u32(const char* p) noexcept;

}  // namespace strata::wal
