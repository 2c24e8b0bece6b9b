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
  std::unique_lock lock(mu_);
  if (by_name_.contains(name)) {
    ec = make_error_code(errc::run_exists);
    return nullptr;
  }
  RunInfo info;
  info.name = std::string(name);
  info.metadata = std::move(metadata);
  info.created_us = created_us;
  auto run = std::make_shared<RunState>(next_id_++, std::move(info));
  by_name_.emplace(std::string(name), run);
  ec = {};
  return run;
}

RunRef RunRegistry::remove(std::string_view name) {
  std::unique_lock lock(mu_);
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return nullptr;
  RunRef run = std::move(it->second);
  by_name_.erase(it);
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

void RunRegistry::restore(keys::RunId id, RunInfo info) {
  std::unique_lock lock(mu_);
  for (auto it = by_name_.begin(); it != by_name_.end(); ++it)
    if (it->second->id == id || it->first == info.name) {
      by_name_.erase(it);
      break;
    }
  std::string name = info.name;
  by_name_.emplace(std::move(name), std::make_shared<RunState>(id, std::move(info)));
  if (id >= next_id_) next_id_ = id + 1;
}

RunRef RunRegistry::find_by_id(keys::RunId id) const {
  std::shared_lock lock(mu_);
  for (const auto& [name, run] : by_name_)
    if (run->id == id) return run;
  return nullptr;
}

RunRef RunRegistry::remove_by_id(keys::RunId id) {
  std::unique_lock lock(mu_);
  for (auto it = by_name_.begin(); it != by_name_.end(); ++it)
    if (it->second->id == id) {
      RunRef r = std::move(it->second);
      by_name_.erase(it);
      return r;
    }
  return nullptr;
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
