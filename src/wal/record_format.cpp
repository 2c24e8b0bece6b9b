#include "wal/record_format.hpp"

#include "wal/crc32c.hpp"

namespace strata::wal {

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::uint32_t get_u32(const char* p) noexcept {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

void put_u64(std::string& out, std::uint64_t v) {
  put_u32(out, static_cast<std::uint32_t>(v));
  put_u32(out, static_cast<std::uint32_t>(v >> 32));
}

std::uint64_t get_u64(const char* p) noexcept { return get_u32(p) | std::uint64_t{get_u32(p + 4)} << 32; }

std::string file_header(std::string_view magic, std::uint64_t link) {
  std::string h(magic);
  put_u32(h, kFormatVersion);
  put_u32(h, 0);
  put_u64(h, link);
  put_u32(h, crc32c(h));
  return h;
}

void append_record(std::string& out, RecordType type, std::string_view payload) {
  put_u32(out, static_cast<std::uint32_t>(payload.size()));
  put_u32(out, ~static_cast<std::uint32_t>(payload.size()));
  const std::size_t body = out.size();
  out.push_back(static_cast<char>(type));
  out.append(payload);
  put_u32(out, crc32c(std::string_view(out).substr(body)));
}

bool RecordReader::check_header(std::string_view magic, std::string& why) const {
  if (file_.size() < kFileHeaderSize || file_.substr(0, 8) != magic) {
    why = "bad file header (expected magic " + std::string(magic) + ")";
    return false;
  }
  if (get_u32(file_.data() + 8) != kFormatVersion) {
    why = "unsupported format version " + std::to_string(get_u32(file_.data() + 8));
    return false;
  }
  if (get_u32(file_.data() + 24) != crc32c(file_.substr(0, 24))) {
    why = "bad file header (checksum mismatch)";
    return false;
  }
  if (get_u32(file_.data() + 12) != 0) {
    why = "bad file header (reserved field is not zero)";
    return false;
  }
  return true;
}

bool RecordReader::rest_is_zero() const noexcept {
  // A crash can leave the end of an extended file zero-filled (the size
  // reached the disk, the data did not): that is a torn tail, not damage.
  return file_.find_first_not_of('\0', pos_) == std::string_view::npos;
}

RecordReader::Status RecordReader::next(Record& out, std::string& why) {
  if (pos_ == file_.size()) return Status::End;
  const std::size_t left = file_.size() - pos_;
  if (left < 8) {
    why = "record header cut short";
    return Status::TornTail;
  }
  const std::uint32_t len = get_u32(file_.data() + pos_);
  if (get_u32(file_.data() + pos_ + 4) != ~len || len > kMaxRecordPayload) {
    why = "damaged record length field";
    return rest_is_zero() ? Status::TornTail : Status::Corrupt;
  }
  if (left < kRecordOverhead + std::size_t{len}) {
    why = "record runs past the end of the file";
    return Status::TornTail;
  }
  std::string_view body = file_.substr(pos_ + 8, 1 + std::size_t{len});
  const std::uint32_t stored = get_u32(file_.data() + pos_ + 9 + len);
  if (crc32c(body) != stored) {
    why = "checksum mismatch";
    const bool last = pos_ + kRecordOverhead + len == file_.size();
    return last || rest_is_zero() ? Status::TornTail : Status::Corrupt;
  }
  out.type = static_cast<RecordType>(static_cast<unsigned char>(body[0]));
  out.payload = body.substr(1);
  out.offset = pos_;
  pos_ += kRecordOverhead + len;
  return Status::Ok;
}

}  // namespace strata::wal
