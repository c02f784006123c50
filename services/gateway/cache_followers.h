// Keeps a GatewayCache fresh: one ChangeFollower per backend, reading its
// WatchChanges stream, marks the backend live or not and drops its entries
// on every change (the rules are in gateway_cache.h).
#ifndef FAZHI_SERVICES_GATEWAY_CACHE_FOLLOWERS_H_
#define FAZHI_SERVICES_GATEWAY_CACHE_FOLLOWERS_H_

#include <memory>
#include <vector>

#include "services/gateway/backend_clients.h"
#include "services/gateway/change_follower.h"
#include "services/gateway/gateway_cache.h"

namespace fazhi::gateway {

class CacheFollowers {
 public:
  // Starts following the three backends through `clients`' stubs. `clients`
  // and `cache` must outlive this object.
  CacheFollowers(BackendClients* clients, GatewayCache* cache,
                 const ChangeFollowerOptions& options);
  // Stops following: no callback reaches the cache afterwards.
  ~CacheFollowers();

  CacheFollowers(const CacheFollowers&) = delete;
  CacheFollowers& operator=(const CacheFollowers&) = delete;

 private:
  template <typename Stub>
  void Follow(Backend backend, Stub* stub, const ChangeFollowerOptions& options);

  GatewayCache* const cache_;
  std::vector<std::unique_ptr<ChangeFollower>> followers_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_CACHE_FOLLOWERS_H_
