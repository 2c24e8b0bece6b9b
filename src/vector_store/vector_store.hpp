// VectorStore — the derived vector indexes of a database: one
// CollectionIndex per collection, kept up to date behind the visible version
// by an indexer thread, and the search that combines an index with the
// changes it has not applied yet.
//
// Vectors are ordinary MVCC data (vector/layout.hpp); the store only derives
// from them. It is a commit::CommitObserver: the coordinator tells it about
// every applied commit (and recovery about every replayed one), and it
// queues the collection's vector changes in version order — microseconds,
// inside the commit step. The expensive work (copying vectors into the
// index, HNSW inserts, rebuilds after churn, freeing a dropped collection's
// vectors) runs on the indexer thread, never in a commit.
//
// A search at snapshot S is exact about S: the index answers for the
// changes it applied (its slots are multi-version), and the changes still
// queued up to S are scored from the MVCC data directly, so a vector
// acknowledged before the search began is findable and a deleted one never
// appears.
#pragma once

#include "actors/read_view.hpp"
#include "actors/shard_actor.hpp"
#include "commit/apply_commit.hpp"
#include "vector/collection_index.hpp"
#include "vector/filter.hpp"
#include "vector/layout.hpp"

#include <strata/vector.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace strata::vector_store {

class VectorStore final : public commit::CommitObserver {
 public:
  VectorStore(actors::ShardMap& shards, const detail::RunRegistry& runs);
  ~VectorStore() override;

  /// Builds the indexes of every collection in the shards as of `covered`
  /// (the snapshot recovery loaded; 0: none), before the WAL is replayed
  /// through on_commit.
  void load_snapshot_state(Version covered);
  /// Starts the indexer thread. Idempotent.
  void start();
  /// Stops it (pending changes stay queued; searches remain exact).
  void stop();

  /// A collection id no other collection of this database has had.
  vector::CollectionId next_id() noexcept { return next_id_.fetch_add(1, std::memory_order_relaxed); }

  // ---- commit::CommitObserver ---------------------------------------------------
  void on_commit(const commit::CommitEntry& entry) override;
  /// A run was deleted: its indexes go (its data was erased with it).
  void drop_run(keys::RunId run);

  // ---- reads ------------------------------------------------------------------------
  struct SearchRequest {
    const detail::RunState* run;
    vector::CollectionRecord record;  // as read at the snapshot
    std::vector<float> query;
    std::size_t k;
    const vector::Filter* filter;
    Version snapshot;
    bool exact;
    std::size_t ef;
  };
  std::vector<VectorMatch> search(const SearchRequest& r);
  /// Live vectors at the snapshot, the index kind and its memory.
  struct Stats {
    std::uint64_t count = 0;
    bool graph = false;
    std::uint64_t memory_bytes = 0;
  };
  Stats stats(const detail::RunState& run, const vector::CollectionRecord& record, Version snapshot);
  /// Waits until every change committed so far is in the indexes and every
  /// graph caught up (tests and benchmarks).
  void wait_until_indexed();
  /// Memory of every index (info()).
  std::uint64_t memory_bytes();

 private:
  struct Change {
    Version version;
    std::string key;  // user key of the vector
  };
  /// One collection: its index (replaced whole by a rebuild) and the changes
  /// committed to it that the indexer has not applied yet, in version order.
  struct Collection {
    keys::RunId run = 0;
    std::shared_ptr<vector::CollectionIndex> index;
    std::deque<Change> pending;
  };
  using CollectionKey = std::pair<keys::RunId, vector::CollectionId>;

  void run();
  bool work_once();
  bool apply_pending(Collection& c, std::shared_ptr<vector::CollectionIndex> index);
  void erase_vectors(keys::RunId run, vector::CollectionId id);
  /// Whether `owner`'s run is a fork that sees a collection with that id in
  /// an ancestor at `snapshot` (its vectors are then not orphans).
  bool inherited(const CollectionKey& owner, Version snapshot) const;
  void on_collection_change(const commit::CommitEntry& entry, const commit::WriteIntent& w);
  std::vector<VectorMatch> scan_mvcc(const SearchRequest& r);
  void score_stored(const SearchRequest& r, const std::string& user_key, const Value& stored,
                    std::vector<std::pair<float, VectorMatch>>& out);

  actors::ShardMap& shards_;
  const detail::RunRegistry& runs_;
  std::atomic<vector::CollectionId> next_id_{1};
  std::mutex mu_;  // collections_, erase_jobs_, stopping_
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::map<CollectionKey, Collection> collections_;
  std::deque<CollectionKey> erase_jobs_;  // dropped collections whose vectors are still in the shards
  bool stopping_ = false;
  bool busy_ = false;
  std::thread thread_;
};

}  // namespace strata::vector_store
