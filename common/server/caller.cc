#include "common/server/caller.h"

namespace fazhi::server {

std::string ActorOf(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kActorMetadataKey);
  if (it == metadata.end() || it->second.empty() || it->second.size() > 128) return "anonymous";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace fazhi::server
