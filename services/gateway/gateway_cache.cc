#include "services/gateway/gateway_cache.h"

namespace fazhi::gateway {

CacheTableBase::CacheTableBase(GatewayCache* cache, std::vector<Backend> sources,
                               size_t max_entries)
    : cache_(cache), sources_(std::move(sources)), max_entries_(max_entries) {
  absl::MutexLock lock(&cache_->mu_);
  cache_->tables_.push_back(this);
}

GatewayCache::GatewayCache(bool enabled) : enabled_(enabled) {
  for (auto& detail : detail_) detail = "the change stream is not established yet";
}

void GatewayCache::SetLive(Backend backend, bool live, const std::string& detail) {
  absl::MutexLock lock(&mu_);
  const int b = static_cast<int>(backend);
  live_[b] = live;
  detail_[b] = detail;
}

void GatewayCache::Invalidate(Backend backend) {
  absl::MutexLock lock(&mu_);
  ++epoch_[static_cast<int>(backend)];
  for (CacheTableBase* table : tables_) {
    for (Backend source : table->sources_) {
      if (source == backend) {
        table->ClearLocked();
        break;
      }
    }
  }
}

GatewayCache::View GatewayCache::TakeView() const {
  View view;
  absl::ReaderMutexLock lock(&mu_);
  for (int b = 0; b < kBackendCount; ++b) {
    view.epoch[b] = epoch_[b];
    if (!enabled_) {
      view.unusable_state[b] = v1::CACHE_STATE_DISABLED;
    } else if (!live_[b]) {
      view.unusable_state[b] = v1::CACHE_STATE_RESYNCHRONISING;
      view.detail[b] = detail_[b];
    } else {
      view.usable[b] = true;
    }
  }
  return view;
}

bool GatewayCache::UsableLocked(const CacheTableBase& table, const View& view) const {
  for (Backend source : table.sources_) {
    const int b = static_cast<int>(source);
    if (!view.usable[b] || !live_[b] || epoch_[b] != view.epoch[b]) return false;
  }
  return true;
}

void GatewayCache::Describe(const View& view, Backend backend, v1::CacheState state,
                            v1::BackendStatus* status) {
  status->set_cache(state);
  if (state == v1::CACHE_STATE_RESYNCHRONISING) {
    status->set_cache_detail(view.detail[static_cast<int>(backend)]);
  } else {
    status->clear_cache_detail();
  }
}

}  // namespace fazhi::gateway
