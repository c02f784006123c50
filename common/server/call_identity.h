// The client side of identity: what a Fazhi process sends so that the
// servers it calls know who is calling, and for whom.
//
// Under mutual TLS the channel's client certificate says it (tls.h); in
// local development a development token does, sent by the channel on every
// call (TokenSource, given to Dial through ChannelSecurity). A service
// calling on behalf of its own caller says so per call with ActFor.
#ifndef FAZHI_COMMON_SERVER_CALL_IDENTITY_H_
#define FAZHI_COMMON_SERVER_CALL_IDENTITY_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/client_interceptor.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/server/dev_token.h"
#include "common/storage/audit_trail.h"

namespace fazhi::server {

// The bearer token a channel sends with every call.
class TokenSource {
 public:
  // Tokens for `principal`, minted from `keys` and minted again an hour
  // before they expire (a long-running service in local development).
  static std::shared_ptr<TokenSource> Minting(std::shared_ptr<const DevTokenKeys> keys,
                                              std::string principal);
  // One fixed token (fazhictl with --token_file).
  static std::shared_ptr<TokenSource> Fixed(std::string token);

  // The token to send now; "" when none can be had (the call then goes
  // without, and the server says why it is refused).
  std::string Token() const;

 private:
  std::shared_ptr<const DevTokenKeys> keys_;
  std::string principal_;
  mutable absl::Mutex mu_;
  mutable std::string token_ ABSL_GUARDED_BY(mu_);
  mutable absl::Time renew_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

// The interceptor that sends `tokens`' token as "authorization: Bearer …".
std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> NewTokenInterceptorFactory(
    std::shared_ptr<TokenSource> tokens);

// Marks `context` as a call made for `caller`'s end user (the user a
// service acts for, else the caller), unless the caller is anonymous.
void ActFor(grpc::ClientContext& context, const storage::Caller& caller);

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_CALL_IDENTITY_H_
