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

std::size_t RunRegistry::size() const {
  std::shared_lock lock(mu_);
  return by_name_.size();
}

}  // namespace strata::detail
