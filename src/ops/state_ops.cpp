#include "ops/state_ops.hpp"

#include "keys/storage_key.hpp"
#include "ops/checks.hpp"

namespace strata::ops {

using detail::Outcome;

namespace {
std::string cell_key(const detail::RunState& run, std::string_view cell) {
  return keys::storage_key(run.id, keys::Primitive::State, cell);
}
}  // namespace

Outcome<commit::PreparedCommit> StateWrite::prepare(detail::Engine& e) {
  Outcome<commit::PreparedCommit> o;
  if (!key_ok(cell, o) || !value_ok(value, "value for state cell", cell, o) || !usable(e, *run, o)) return o;
  std::string key = cell_key(*run, cell);
  o.value.run = run.get();
  using Kind = commit::Expectation::Kind;
  if (mode == Mode::Init || (mode == Mode::Cas && !expected)) o.value.expectations.push_back({key, Kind::Absent, 0});
  if (mode == Mode::Cas && expected) o.value.expectations.push_back({key, Kind::VersionIs, *expected});
  o.value.writes.push_back({std::move(key), false, std::move(value)});
  return o;
}

Outcome<std::string> StateRead::point(detail::Engine& e) const {
  Outcome<std::string> o;
  if (key_ok(cell, o) && usable(e, *run, o)) o.value = cell_key(*run, cell);
  return o;
}

}  // namespace strata::ops
