// SHA-256 (FIPS 180-4): the hash of the event log's hash chain (docs/design/primitives.md,
// `hash = SHA-256(prev_hash ‖ seq ‖ type ‖ canonical payload ‖ timestamp)`).
//
// Hand-written rather than linked from OpenSSL: the chain hashes small
// records, so a portable scalar implementation is fast enough and keeps the
// library free of a crypto dependency. Not constant-time with respect to
// anything secret — it hashes public data only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace strata::crypto {

using Digest = std::array<std::uint8_t, 32>;

/// Incremental hasher: feed bytes with update() in any split, then call
/// finish() once. The result equals sha256() of the concatenated input.
/// After finish() the object must not be updated or finished again (REQUIRED;
/// construct a new one). Not thread-safe; cheap to construct (no allocation).
class Sha256 {
 public:
  Sha256() noexcept;

  void update(std::string_view bytes) noexcept { update(bytes.data(), bytes.size()); }
  /// `p` may be null only when `n` is 0.
  void update(const void* p, std::size_t n) noexcept;

  /// Pads, processes the final block(s) and returns the digest.
  Digest finish() noexcept;

 private:
  void compress(const std::uint8_t* block) noexcept;

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;     // bytes waiting in buffer_ (always < 64)
  std::uint64_t total_bytes_ = 0;  // message length so far, for the padding
};

/// One-shot digest of `bytes`.
Digest sha256(std::string_view bytes) noexcept;

/// Lowercase hexadecimal, 64 characters.
std::string to_hex(const Digest& d);

}  // namespace strata::crypto
