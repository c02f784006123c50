// The gateway's cache: answers and the backend inputs they are built from,
// kept fresh by following the backends' change streams (ChangeFollower),
// never by a TTL.
//
// Rules, per backend:
//  * A backend's cached data is used only while its change stream is live
//    (SetLive). Otherwise (cache off, stream not established) answers ask
//    the backend and say so (v1::CacheState DISABLED / RESYNCHRONISING).
//  * Invalidate(backend) drops every entry derived from the backend, on
//    every change it reports: a change names a resource, not the regions it
//    affects, so any change drops all of that backend's entries. Simple and
//    never stale; a write costs one refill per key asked afterwards.
//  * An entry is stored only if no invalidation of its backends happened
//    since its answer began (TakeView() takes each backend's epoch; Put() checks
//    them under the same lock Invalidate() takes). A fetch that raced a
//    change is used once and not kept.
//
// Entries live in tables (one per kind of value); each table names the
// backends its values derive from. A full table evicts an arbitrary entry.
#ifndef FAZHI_SERVICES_GATEWAY_GATEWAY_CACHE_H_
#define FAZHI_SERVICES_GATEWAY_GATEWAY_CACHE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "fazhi/gateway/v1/gateway_service.pb.h"
#include "services/gateway/backend.h"

namespace fazhi::gateway {

class GatewayCache;

// What all tables share; see CacheTable.
class CacheTableBase {
 public:
  virtual ~CacheTableBase() = default;

 protected:
  CacheTableBase(GatewayCache* cache, std::vector<Backend> sources, size_t max_entries);

 private:
  friend class GatewayCache;
  virtual void ClearLocked() = 0;

  GatewayCache* const cache_;
  const std::vector<Backend> sources_;
  const size_t max_entries_;
};

// Values of one kind by key, derived from `sources`. Read and written
// through GatewayCache, under its lock.
template <typename T>
class CacheTable final : public CacheTableBase {
 public:
  CacheTable(GatewayCache* cache, std::vector<Backend> sources, size_t max_entries)
      : CacheTableBase(cache, std::move(sources), max_entries) {}

 private:
  friend class GatewayCache;
  void ClearLocked() override { entries_.clear(); }

  absl::flat_hash_map<std::string, std::shared_ptr<const T>> entries_;
};

class GatewayCache {
 public:
  // A disabled cache stores nothing and says DISABLED.
  explicit GatewayCache(bool enabled);

  GatewayCache(const GatewayCache&) = delete;
  GatewayCache& operator=(const GatewayCache&) = delete;

  bool enabled() const { return enabled_; }

  // From the followers. Every backend starts not live.
  void SetLive(Backend backend, bool live, const std::string& detail);
  void Invalidate(Backend backend);

  // The cache as one answer sees it: taken once at the answer's start, and
  // passed to every Find and Put of that answer.
  struct View {
    // Cached data of the backend may be used (and stored).
    std::array<bool, kBackendCount> usable{};
    std::array<uint64_t, kBackendCount> epoch{};
    // The state to report for a backend that is not usable, and why.
    std::array<v1::CacheState, kBackendCount> unusable_state{};
    std::array<std::string, kBackendCount> detail;
  };
  View TakeView() const;

  // The entry under `key`, or null when absent or when a source of the
  // table is not usable in `view`.
  template <typename T>
  std::shared_ptr<const T> Find(const CacheTable<T>& table, const std::string& key,
                                const View& view) const;
  // Stores `value` unless a source of the table is not usable in `view` or
  // was invalidated since.
  template <typename T>
  void Put(CacheTable<T>& table, const std::string& key, std::shared_ptr<const T> value,
           const View& view);

  // Stores a freshly fetched value (when allowed) and hands it on; `state`
  // gets MISS when it was stored, else the view's unusable state of the
  // table's first source. Errors are passed through and never kept.
  template <typename T>
  absl::StatusOr<std::shared_ptr<const T>> StoreFetched(CacheTable<T>& table,
                                                        const std::string& key, const View& view,
                                                        absl::StatusOr<T> fetched,
                                                        v1::CacheState* state);

  // Find, or else fetch() and StoreFetched. `state` gets HIT or as for StoreFetched.
  template <typename T, typename Fetch>
  absl::StatusOr<std::shared_ptr<const T>> GetOrFetch(CacheTable<T>& table, const std::string& key,
                                                      const View& view, Fetch fetch,
                                                      v1::CacheState* state) {
    if (auto hit = Find(table, key, view)) {
      *state = v1::CACHE_STATE_HIT;
      return hit;
    }
    return StoreFetched(table, key, view, fetch(), state);
  }

  // Sets `status.cache` to `state`, with the view's reason when the backend
  // is resynchronising.
  static void Describe(const View& view, Backend backend, v1::CacheState state,
                       v1::BackendStatus* status);

 private:
  friend class CacheTableBase;
  bool UsableLocked(const CacheTableBase& table, const View& view) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const bool enabled_;
  mutable absl::Mutex mu_;
  std::vector<CacheTableBase*> tables_ ABSL_GUARDED_BY(mu_);
  std::array<bool, kBackendCount> live_ ABSL_GUARDED_BY(mu_){};
  std::array<uint64_t, kBackendCount> epoch_ ABSL_GUARDED_BY(mu_){};
  std::array<std::string, kBackendCount> detail_ ABSL_GUARDED_BY(mu_);
};

template <typename T>
std::shared_ptr<const T> GatewayCache::Find(const CacheTable<T>& table, const std::string& key,
                                            const View& view) const {
  absl::ReaderMutexLock lock(&mu_);
  if (!UsableLocked(table, view)) return nullptr;
  auto it = table.entries_.find(key);
  return it == table.entries_.end() ? nullptr : it->second;
}

template <typename T>
void GatewayCache::Put(CacheTable<T>& table, const std::string& key, std::shared_ptr<const T> value,
                       const View& view) {
  absl::MutexLock lock(&mu_);
  if (!UsableLocked(table, view)) return;
  if (table.entries_.size() >= table.max_entries_ && !table.entries_.contains(key)) {
    table.entries_.erase(table.entries_.begin());
  }
  table.entries_[key] = std::move(value);
}

template <typename T>
absl::StatusOr<std::shared_ptr<const T>> GatewayCache::StoreFetched(CacheTable<T>& table,
                                                                    const std::string& key,
                                                                    const View& view,
                                                                    absl::StatusOr<T> fetched,
                                                                    v1::CacheState* state) {
  if (!fetched.ok()) return fetched.status();
  auto value = std::make_shared<const T>(*std::move(fetched));
  const auto source = static_cast<int>(table.sources_.front());
  if (view.usable[source]) {
    Put(table, key, value, view);
    *state = v1::CACHE_STATE_MISS;
  } else {
    *state = view.unusable_state[source];
  }
  return value;
}

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_GATEWAY_CACHE_H_
