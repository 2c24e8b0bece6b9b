#include "runs/run_registry.hpp"

namespace strata::detail {

RunRegistry::RunRegistry(std::int64_t now_us) {
  error_code ignored;
  create("default", {}, now_us, ignored);
}

RunRef RunRegistry::find(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

RunRef RunRegistry::create(std::string_view name, Object metadata, std::int64_t created_us, error_code& ec) {
  return fork(name, nullptr, 0, std::move(metadata), created_us, ec);
}

RunRef RunRegistry::fork(std::string_view name, const RunRef& parent, Version fork_version, Object metadata,
                         std::int64_t created_us, error_code& ec) {
  std::unique_lock lock(mu_);
  if (by_name_.contains(name)) {
    ec = make_error_code(errc::run_exists);
    return nullptr;
  }
  RunInfo info;
  info.name = std::string(name);
  info.metadata = std::move(metadata);
  info.created_us = created_us;
  if (parent) {
    info.parent = parent->name();
    info.fork_version = fork_version;
  }
  auto run = std::make_shared<RunState>(next_id_++, std::move(info), parent, parent ? fork_version : 0);
  if (parent) any_forks_.store(true, std::memory_order_release);
  by_name_.emplace(std::string(name), run);
  by_id_.emplace(run->id, run);
  ec = {};
  return run;
}

std::vector<std::string> RunRegistry::children_of(const RunState& run) const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, r] : by_name_)
    if (r->parent.get() == &run) out.push_back(name);
  return out;
}

RunRef RunRegistry::remove(std::string_view name) {
  std::unique_lock lock(mu_);
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return nullptr;
  RunRef run = std::move(it->second);
  by_name_.erase(it);
  by_id_.erase(run->id);
  return run;
}

std::vector<RunInfo> RunRegistry::list() const {
  std::shared_lock lock(mu_);
  std::vector<RunInfo> out;
  out.reserve(by_name_.size());
  for (const auto& [name, run] : by_name_) out.push_back(run->info());
  return out;
}

std::vector<RunRef> RunRegistry::all() const {
  std::shared_lock lock(mu_);
  std::vector<RunRef> out;
  for (const auto& [name, run] : by_name_) out.push_back(run);
  return out;
}

bool RunRegistry::restore(keys::RunId id, RunInfo info, keys::RunId parent_id) {
  std::unique_lock lock(mu_);
  RunRef parent;
  if (parent_id != 0) {
    auto p = by_id_.find(parent_id);
    if (p == by_id_.end() || parent_id == id) return false;
    parent = p->second;
    info.parent = parent->name();
    any_forks_.store(true, std::memory_order_release);
  } else {
    info.parent.reset();
    info.fork_version.reset();
  }
  for (auto it = by_name_.begin(); it != by_name_.end(); ++it)
    if (it->second->id == id || it->first == info.name) {
      by_id_.erase(it->second->id);
      by_name_.erase(it);
      break;
    }
  const Version fork_version = parent ? info.fork_version.value_or(0) : 0;
  std::string name = info.name;
  auto run = std::make_shared<RunState>(id, std::move(info), std::move(parent), fork_version);
  by_name_.emplace(std::move(name), run);
  by_id_[id] = std::move(run);
  if (id >= next_id_) next_id_ = id + 1;
  return true;
}

RunRef RunRegistry::find_by_id(keys::RunId id) const {
  std::shared_lock lock(mu_);
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

RunRef RunRegistry::remove_by_id(keys::RunId id) {
  std::unique_lock lock(mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return nullptr;
  RunRef r = std::move(it->second);
  by_id_.erase(it);
  by_name_.erase(r->name());
  return r;
}

keys::RunId RunRegistry::next_id() const {
  std::shared_lock lock(mu_);
  return next_id_;
}

void RunRegistry::set_next_id(keys::RunId id) {
  std::unique_lock lock(mu_);
  if (id > next_id_) next_id_ = id;
}

std::size_t RunRegistry::size() const {
  std::shared_lock lock(mu_);
  return by_name_.size();
}

}  // namespace strata::detail
