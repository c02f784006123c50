#include "common/server/call_identity.h"

#include "absl/strings/str_cat.h"
#include "common/server/authorizer.h"

namespace fazhi::server {
namespace {

namespace gx = grpc::experimental;

constexpr absl::Duration kMintedLifetime = absl::Hours(12);
constexpr absl::Duration kRenewBefore = absl::Hours(1);

class TokenInterceptor : public gx::Interceptor {
 public:
  explicit TokenInterceptor(const TokenSource* tokens) : tokens_(tokens) {}
  void Intercept(gx::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            gx::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      const std::string token = tokens_->Token();
      if (!token.empty()) {
        methods->GetSendInitialMetadata()->insert(
            {kAuthorizationMetadataKey, absl::StrCat(kBearerPrefix, token)});
      }
    }
    methods->Proceed();
  }

 private:
  const TokenSource* tokens_;
};

class TokenInterceptorFactory : public gx::ClientInterceptorFactoryInterface {
 public:
  explicit TokenInterceptorFactory(std::shared_ptr<TokenSource> tokens)
      : tokens_(std::move(tokens)) {}
  gx::Interceptor* CreateClientInterceptor(gx::ClientRpcInfo*) override {
    return new TokenInterceptor(tokens_.get());
  }

 private:
  std::shared_ptr<TokenSource> tokens_;
};

}  // namespace

std::shared_ptr<TokenSource> TokenSource::Minting(std::shared_ptr<const DevTokenKeys> keys,
                                                  std::string principal) {
  auto source = std::make_shared<TokenSource>();
  source->keys_ = std::move(keys);
  source->principal_ = std::move(principal);
  return source;
}

std::shared_ptr<TokenSource> TokenSource::Fixed(std::string token) {
  auto source = std::make_shared<TokenSource>();
  absl::MutexLock lock(&source->mu_);
  source->token_ = std::move(token);
  source->renew_at_ = absl::InfiniteFuture();
  return source;
}

std::string TokenSource::Token() const {
  absl::MutexLock lock(&mu_);
  const absl::Time now = absl::Now();
  if (keys_ != nullptr && now >= renew_at_) {
    auto minted = keys_->Mint(principal_, kMintedLifetime, now);
    if (minted.ok()) {
      token_ = *std::move(minted);
      renew_at_ = now + kMintedLifetime - kRenewBefore;
    }
  }
  return token_;
}

std::unique_ptr<gx::ClientInterceptorFactoryInterface> NewTokenInterceptorFactory(
    std::shared_ptr<TokenSource> tokens) {
  return std::make_unique<TokenInterceptorFactory>(std::move(tokens));
}

void ActFor(grpc::ClientContext& context, const storage::Caller& caller) {
  const std::string& user = caller.on_behalf_of.empty() ? caller.principal : caller.on_behalf_of;
  if (user.empty() || user == kAnonymous || user == "system") return;
  context.AddMetadata(kOnBehalfOfMetadataKey, user);
}

}  // namespace fazhi::server
