// Internal plumbing for transaction retries; not part of the public contract.
// Shared by Strata::transaction and Database::async_transaction (both are
// templates, so the helpers must be declared in a header).
#pragma once

#include <strata/error.hpp>
#include <strata/options.hpp>

#include <chrono>

namespace strata::detail {

/// Back-off before attempt `attempt + 1`: full jitter over a window that
/// doubles each attempt (capped at 64x Options::transaction_backoff), so
/// transactions that collided once do not collide again in step.
std::chrono::microseconds retry_delay(const Options& options, int attempt);
/// Throws Error(ec) unless ec is transaction_conflict and attempts remain
/// (Options::max_transaction_attempts).
void throw_unless_retryable(const Options& options, error_code ec, int attempt);

}  // namespace strata::detail
