#include "services/gateway/cache_followers.h"

#include <string>
#include <utility>

namespace fazhi::gateway {
namespace {

// The opener for `stub`, its request and change types read off the method.
template <typename Stub, typename Request, typename Change>
ChangeStreamOpener OpenerOf(Stub* stub, std::unique_ptr<grpc::ClientReader<Change>> (Stub::*)(
                                            grpc::ClientContext*, const Request&)) {
  return GrpcChangeStreamOpener<Stub, Request, Change>(stub);
}

}  // namespace

template <typename Stub>
void CacheFollowers::Follow(Backend backend, Stub* stub, const ChangeFollowerOptions& options) {
  ChangeFollowerCallbacks callbacks;
  callbacks.on_state = [this, backend](bool live, const std::string& detail) {
    cache_->SetLive(backend, live, detail);
  };
  callbacks.on_invalidate = [this, backend](const std::string&) { cache_->Invalidate(backend); };
  followers_.push_back(std::make_unique<ChangeFollower>(
      BackendName(backend), OpenerOf(stub, &Stub::WatchChanges), std::move(callbacks), options));
}

CacheFollowers::CacheFollowers(BackendClients* clients, GatewayCache* cache,
                               const ChangeFollowerOptions& options)
    : cache_(cache) {
  Follow(Backend::kCatalogue, clients->catalogue_stub(), options);
  Follow(Backend::kMetrics, clients->metrics_stub(), options);
  Follow(Backend::kReport, clients->report_stub(), options);
}

CacheFollowers::~CacheFollowers() { followers_.clear(); }

}  // namespace fazhi::gateway
