// CRC32C (Castagnoli) — the checksum of every WAL and snapshot record.
// Hardware (SSE4.2) when the CPU has it, a table otherwise; same result.
#pragma once

#include <cstdint>
#include <string_view>

namespace strata::wal {

std::uint32_t crc32c(std::string_view data, std::uint32_t seed = 0) noexcept;

}  // namespace strata::wal
