// Engine: state cells (SPEC §5) — values with compare-and-swap on the version
// that wrote them. Conditions are coordinator expectations, checked against
// the newest version at commit, so a CAS never loses to a concurrent writer
// silently: exactly one of two racing CAS calls on the same version wins.
#include "engine/engine.hpp"

#include "codec/value_codec.hpp"
#include "keys/key_rules.hpp"

namespace strata::detail {

namespace {

std::string cell_key(const RunState& run, std::string_view cell) {
  return keys::storage_key(run.id, keys::Primitive::State, cell);
}

Version committed_version(const actors::CommitOutcome& out) { return out.version; }
/// state_init: the new version, or the existing one when the cell was set.
Version init_version(const actors::CommitOutcome& out) {
  return out.expectation_failed ? out.existing_version : out.version;
}
std::optional<Version> cas_version(const actors::CommitOutcome& out) {
  if (out.expectation_failed) return std::nullopt;
  return out.version;
}

}  // namespace

Outcome<AutoCommit> Engine::prepare_state_write(const RunState& run, std::string_view cell, Value value,
                                                std::optional<actors::Expectation::Kind> condition,
                                                Version expected) {
  Outcome<AutoCommit> o;
  if ((o.ec = keys::check_user_key(cell, &o.detail))) return o;
  if ((o.ec = codec::check_value_limits(value, &o.detail))) {
    o.detail = "value for state cell " + keys::quote_for_message(cell) + ": " + o.detail;
    return o;
  }
  if ((o.ec = usable(run, o.detail))) return o;
  std::string key = cell_key(run, cell);
  o.value.run = &run;
  if (condition) o.value.expectations.push_back({key, *condition, expected});
  o.value.writes.push_back({std::move(key), false, std::move(value)});
  return o;
}

Outcome<Version> Engine::state_set(const RunState& run, std::string_view cell, Value value) {
  return run_auto<Version>(prepare_state_write(run, cell, std::move(value), std::nullopt, 0), committed_version);
}

void Engine::state_set_async(RunRef run, std::string_view cell, Value value, Completion<Version> c) {
  auto p = prepare_state_write(*run, cell, std::move(value), std::nullopt, 0);
  run_auto_async<Version>(std::move(p), std::move(run), committed_version, std::move(c));
}

Outcome<std::optional<VersionedValue>> Engine::state_read(const RunState& run, std::string_view cell) {
  Outcome<std::optional<VersionedValue>> o;
  if ((o.ec = keys::check_user_key(cell, &o.detail)) || (o.ec = usable(run, o.detail))) return o;
  o.value = read_versioned_at(cell_key(run, cell), coordinator_->visible());
  return o;
}

Outcome<Version> Engine::state_init(const RunState& run, std::string_view cell, Value value) {
  auto p = prepare_state_write(run, cell, std::move(value), actors::Expectation::Kind::Absent, 0);
  return run_auto<Version>(std::move(p), init_version);
}

void Engine::state_init_async(RunRef run, std::string_view cell, Value value, Completion<Version> c) {
  auto p = prepare_state_write(*run, cell, std::move(value), actors::Expectation::Kind::Absent, 0);
  run_auto_async<Version>(std::move(p), std::move(run), init_version, std::move(c));
}

namespace {
/// expected = nullopt: create only if absent; else the version must match.
std::pair<actors::Expectation::Kind, Version> cas_condition(std::optional<Version> expected) {
  if (!expected) return {actors::Expectation::Kind::Absent, 0};
  return {actors::Expectation::Kind::VersionIs, *expected};
}
}  // namespace

Outcome<std::optional<Version>> Engine::state_cas(const RunState& run, std::string_view cell,
                                                  std::optional<Version> expected, Value value) {
  auto [kind, version] = cas_condition(expected);
  auto p = prepare_state_write(run, cell, std::move(value), kind, version);
  return run_auto<std::optional<Version>>(std::move(p), cas_version);
}

void Engine::state_cas_async(RunRef run, std::string_view cell, std::optional<Version> expected, Value value,
                             Completion<std::optional<Version>> c) {
  auto [kind, version] = cas_condition(expected);
  auto p = prepare_state_write(*run, cell, std::move(value), kind, version);
  run_auto_async<std::optional<Version>>(std::move(p), std::move(run), cas_version, std::move(c));
}

}  // namespace strata::detail
