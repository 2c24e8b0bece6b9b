#include "mvcc/version_chain.hpp"

#include <cassert>
#include <cstring>
#include <new>

namespace strata::mvcc {

ChainPtr VersionChain::make(std::string_view key, std::size_t hash) {
  void* mem = ::operator new(sizeof(VersionChain) + key.size());
  auto* chain = new (mem) VersionChain(key.size(), hash);
  std::memcpy(reinterpret_cast<char*>(chain + 1), key.data(), key.size());
  return ChainPtr(chain);
}

void ChainDeleter::operator()(VersionChain* c) const noexcept {
  c->~VersionChain();
  ::operator delete(c);
}

VersionChain::~VersionChain() {
  std::unique_ptr<VersionNode> n = std::move(newest_);
  while (n) n = std::move(n->older);
}

void VersionChain::push(Version version, std::int64_t timestamp_us, bool tombstone, Value&& value,
                        std::uint64_t ttl_ms) {
  assert(version > latest_version());
  auto node = std::make_unique<VersionNode>();
  node->version = version;
  node->timestamp_us = timestamp_us;
  node->tombstone = tombstone;
  node->set_ttl_ms(ttl_ms);
  node->value = std::move(value);
  node->older = std::move(newest_);
  newest_ = std::move(node);
}

}  // namespace strata::mvcc
