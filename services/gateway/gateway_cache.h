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
//    since its answer began (Look() takes each backend's epoch; Put() checks
//    them under the same lock Invalidate() takes). A fetch that raced a
//    change is used once and not kept.
//
// Entries live on shelves (one per kind of value); each shelf names the
// backends its values derive from. A full shelf evicts an arbitrary entry.
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

// What all shelves share; see Shelf.
class ShelfBase {
 public:
  virtual ~ShelfBase() = default;

 protected:
  ShelfBase(GatewayCache* cache, std::vector<Backend> sources, size_t max_entries);

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
class Shelf final : public ShelfBase {
 public:
  Shelf(GatewayCache* cache, std::vector<Backend> sources, size_t max_entries)
      : ShelfBase(cache, std::move(sources), max_entries) {}

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

  // The cache as one answer sees it, taken once at the answer's start.
  struct View {
    // Cached data of the backend may be used (and stored).
    std::array<bool, kBackendCount> usable{};
    std::array<uint64_t, kBackendCount> epoch{};
    // The state to report for a backend that is not usable, and why.
    std::array<v1::CacheState, kBackendCount> unusable_state{};
    std::array<std::string, kBackendCount> detail;
  };
  View Look() const;

  // The entry under `key`, or null when absent or when a source of the
  // shelf is not usable in `view`.
  template <typename T>
  std::shared_ptr<const T> Find(const Shelf<T>& shelf, const std::string& key,
                                const View& view) const;
  // Stores `value` unless a source of the shelf is not usable in `view` or
  // was invalidated since.
  template <typename T>
  void Put(Shelf<T>& shelf, const std::string& key, std::shared_ptr<const T> value,
           const View& view);

  // Keeps a freshly fetched value (when allowed) and hands it on; `state`
  // gets MISS when it was kept, else the view's unusable state of the
  // shelf's first source. Errors are passed through and never kept.
  template <typename T>
  absl::StatusOr<std::shared_ptr<const T>> Keep(Shelf<T>& shelf, const std::string& key,
                                                const View& view, absl::StatusOr<T> fetched,
                                                v1::CacheState* state);

  // Find, or else fetch() and Keep. `state` gets HIT or as for Keep.
  template <typename T, typename Fetch>
  absl::StatusOr<std::shared_ptr<const T>> GetOrFetch(Shelf<T>& shelf, const std::string& key,
                                                      const View& view, Fetch fetch,
                                                      v1::CacheState* state) {
    if (auto hit = Find(shelf, key, view)) {
      *state = v1::CACHE_STATE_HIT;
      return hit;
    }
    return Keep(shelf, key, view, fetch(), state);
  }

  // Sets `status.cache` to `state`, with the view's reason when the backend
  // is resynchronising.
  static void Describe(const View& view, Backend backend, v1::CacheState state,
                       v1::BackendStatus* status);

 private:
  friend class ShelfBase;
  bool UsableLocked(const ShelfBase& shelf, const View& view) const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const bool enabled_;
  mutable absl::Mutex mu_;
  std::vector<ShelfBase*> shelves_ ABSL_GUARDED_BY(mu_);
  std::array<bool, kBackendCount> live_ ABSL_GUARDED_BY(mu_){};
  std::array<uint64_t, kBackendCount> epoch_ ABSL_GUARDED_BY(mu_){};
  std::array<std::string, kBackendCount> detail_ ABSL_GUARDED_BY(mu_);
};

template <typename T>
std::shared_ptr<const T> GatewayCache::Find(const Shelf<T>& shelf, const std::string& key,
                                            const View& view) const {
  absl::ReaderMutexLock lock(&mu_);
  if (!UsableLocked(shelf, view)) return nullptr;
  auto it = shelf.entries_.find(key);
  return it == shelf.entries_.end() ? nullptr : it->second;
}

template <typename T>
void GatewayCache::Put(Shelf<T>& shelf, const std::string& key, std::shared_ptr<const T> value,
                       const View& view) {
  absl::MutexLock lock(&mu_);
  if (!UsableLocked(shelf, view)) return;
  if (shelf.entries_.size() >= shelf.max_entries_ && !shelf.entries_.contains(key)) {
    shelf.entries_.erase(shelf.entries_.begin());
  }
  shelf.entries_[key] = std::move(value);
}

template <typename T>
absl::StatusOr<std::shared_ptr<const T>> GatewayCache::Keep(Shelf<T>& shelf, const std::string& key,
                                                            const View& view,
                                                            absl::StatusOr<T> fetched,
                                                            v1::CacheState* state) {
  if (!fetched.ok()) return fetched.status();
  auto value = std::make_shared<const T>(*std::move(fetched));
  const auto source = static_cast<int>(shelf.sources_.front());
  if (view.usable[source]) {
    Put(shelf, key, value, view);
    *state = v1::CACHE_STATE_MISS;
  } else {
    *state = view.unusable_state[source];
  }
  return value;
}

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_GATEWAY_CACHE_H_
