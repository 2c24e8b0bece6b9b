// The float vectors of one collection's index, `dimension` floats per slot,
// in fixed-size chunks: appending never moves a stored vector, so the HNSW
// graph and concurrent readers can hold pointers into it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace strata::vector {

using Slot = std::uint32_t;

class VectorStorage {
 public:
  explicit VectorStorage(std::size_t dimension) : dim_(dimension) {}

  std::size_t dimension() const noexcept { return dim_; }
  std::size_t size() const noexcept { return size_; }
  /// Appends a vector; returns its slot.
  Slot add(const float* v) {
    if (size_ % kChunkSlots == 0) chunks_.push_back(std::make_unique<float[]>(kChunkSlots * dim_));
    const Slot s = static_cast<Slot>(size_++);
    std::memcpy(at(s), v, dim_ * sizeof(float));
    return s;
  }
  const float* at(Slot s) const noexcept { return chunks_[s / kChunkSlots].get() + (s % kChunkSlots) * dim_; }
  float* at(Slot s) noexcept { return chunks_[s / kChunkSlots].get() + (s % kChunkSlots) * dim_; }
  std::size_t memory_bytes() const noexcept { return chunks_.size() * kChunkSlots * dim_ * sizeof(float); }

 private:
  static constexpr std::size_t kChunkSlots = 1024;
  std::size_t dim_;
  std::size_t size_ = 0;
  std::vector<std::unique_ptr<float[]>> chunks_;
};

}  // namespace strata::vector
