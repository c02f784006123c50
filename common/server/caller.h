// Who is calling: the name a service writes into change logs and provenance.
#ifndef FAZHI_COMMON_SERVER_CALLER_H_
#define FAZHI_COMMON_SERVER_CALLER_H_

#include <grpcpp/grpcpp.h>

#include <string>

namespace fazhi::server {

// The metadata key a caller names itself with until authentication does.
inline constexpr char kActorMetadataKey[] = "x-fazhi-actor";

// The caller's "x-fazhi-actor" metadata when it is 1..128 bytes, else
// "anonymous".
std::string ActorOf(const grpc::ServerContext& context);

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_CALLER_H_
