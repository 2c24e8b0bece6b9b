// The float vectors of one collection's index, `dimension` floats per slot,
// in fixed-size chunks: appending never moves a stored vector, so the HNSW
// graph and concurrent readers can hold pointers into it.
//
// Each slot may carry `extra_words` 32-bit words right after its vector: the
// HNSW graph keeps a node's bottom-layer links there, so the cache lines a
// search just loaded to score a node also hold the links it follows next
// (the layout hnswlib uses, and most of its speed on this machine).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace strata::vector {

using Slot = std::uint32_t;

class VectorStorage {
 public:
  explicit VectorStorage(std::size_t dimension, std::size_t extra_words = 0)
      : dim_(dimension), extra_(extra_words), stride_bytes_((dimension + extra_words) * 4) {}

  std::size_t dimension() const noexcept { return dim_; }
  std::size_t size() const noexcept { return size_; }
  /// Distance in floats from one slot's vector to the next one's.
  std::size_t stride() const noexcept { return dim_ + extra_; }
  /// Appends a vector (its extra words zeroed); returns its slot.
  Slot add(const float* v) {
    if (size_ % kChunkSlots == 0) chunks_.push_back(std::make_unique<std::byte[]>(kChunkSlots * stride_bytes_));
    const Slot s = static_cast<Slot>(size_++);
    std::memcpy(at(s), v, dim_ * sizeof(float));
    if (extra_) std::memset(extra(s), 0, extra_ * 4);
    return s;
  }
  const float* at(Slot s) const noexcept { return reinterpret_cast<const float*>(record(s)); }
  float* at(Slot s) noexcept { return reinterpret_cast<float*>(const_cast<std::byte*>(record(s))); }
  /// The slot's extra words.
  std::uint32_t* extra(Slot s) noexcept {
    return reinterpret_cast<std::uint32_t*>(const_cast<std::byte*>(record(s)) + dim_ * 4);
  }
  const std::uint32_t* extra(Slot s) const noexcept { return reinterpret_cast<const std::uint32_t*>(record(s) + dim_ * 4); }
  /// How many slots from `s` on lie one stride apart after at(s) (to the
  /// end of its chunk or of the storage).
  std::size_t contiguous_from(Slot s) const noexcept {
    return std::min(kChunkSlots - s % kChunkSlots, size_ - s);
  }
  std::size_t memory_bytes() const noexcept { return chunks_.size() * kChunkSlots * stride_bytes_; }

 private:
  const std::byte* record(Slot s) const noexcept {
    return chunks_[s / kChunkSlots].get() + (s % kChunkSlots) * stride_bytes_;
  }

  static constexpr std::size_t kChunkSlots = 1024;
  std::size_t dim_;
  std::size_t extra_;
  std::size_t stride_bytes_;
  std::size_t size_ = 0;
  std::vector<std::unique_ptr<std::byte[]>> chunks_;
};

}  // namespace strata::vector
