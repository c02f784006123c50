#include "common/server/tls.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/logging.h"
#include "common/server/call_identity.h"
#include "common/status/errors.h"

namespace fazhi::server {
namespace {

// OpenSSL objects freed when they go out of scope.
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Certificate = std::unique_ptr<X509, X509Free>;
using PrivateKey = std::unique_ptr<EVP_PKEY, KeyFree>;

// "--flag=path", how every message names a file.
std::string Named(const char* flag, const std::string& path) {
  return absl::StrCat("--", flag, "=", path);
}

absl::StatusOr<std::string> ReadPem(const char* flag, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    return errors::InvalidConfiguration(
        absl::StrCat(Named(flag, path), ": cannot read it: ", std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every certificate in the PEM text of `flag`'s file, in order; at least one.
absl::StatusOr<std::vector<Certificate>> ReadCertificates(const char* flag,
                                                          const std::string& path) {
  auto pem = ReadPem(flag, path);
  if (!pem.ok()) return pem.status();
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())));
  std::vector<Certificate> certificates;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certificates.emplace_back(cert);
  }
  ERR_clear_error();  // the end of the text reads as an error
  if (certificates.empty()) {
    return errors::InvalidConfiguration(absl::StrCat(
        Named(flag, path), ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));
  }
  return certificates;
}

absl::StatusOr<PrivateKey> ReadPrivateKey(const char* flag, const std::string& path) {
  auto pem = ReadPem(flag, path);
  if (!pem.ok()) return pem.status();
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())));
  // A passphrase callback that gives none: an encrypted key fails here
  // instead of OpenSSL prompting on a terminal the server does not have.
  auto no_passphrase = [](char*, int, int, void*) { return 0; };
  PrivateKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  ERR_clear_error();
  if (key == nullptr) {
    return errors::InvalidConfiguration(absl::StrCat(
        Named(flag, path), ": holds no unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)"));
  }
  return key;
}

// The certificate chain and key both given, readable, and belonging together.
absl::Status CheckIdentity(const TlsOptions& tls) {
  if (tls.key_file.empty()) {
    return errors::InvalidConfiguration(
        "--tls_cert_file is set but --tls_key_file is not: TLS needs the certificate's key too");
  }
  if (tls.cert_file.empty()) {
    return errors::InvalidConfiguration(
        "--tls_key_file is set but --tls_cert_file is not: TLS needs the key's certificate too");
  }
  auto chain = ReadCertificates("tls_cert_file", tls.cert_file);
  if (!chain.ok()) return chain.status();
  auto key = ReadPrivateKey("tls_key_file", tls.key_file);
  if (!key.ok()) return key.status();
  X509* leaf = chain->front().get();
  const int matches = X509_check_private_key(leaf, key->get());
  ERR_clear_error();
  if (matches != 1) {
    return errors::InvalidConfiguration(absl::StrCat(
        Named("tls_key_file", tls.key_file), " is not the private key of the certificate in ",
        Named("tls_cert_file", tls.cert_file)));
  }
  // Served anyway: the watched files may be replaced soon, and the clients'
  // errors will say the same.
  if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) {
    FAZHI_LOG(WARNING) << "the certificate in " << Named("tls_cert_file", tls.cert_file)
                       << " has expired";
  }
  return absl::OkStatus();
}

absl::Status CheckRefreshInterval(const TlsOptions& tls) {
  if (tls.refresh_interval < absl::Seconds(1)) {
    return errors::InvalidConfiguration(
        absl::StrCat("--tls_refresh_seconds must be at least 1, got ",
                     absl::ToInt64Seconds(tls.refresh_interval)));
  }
  return absl::OkStatus();
}

unsigned int RefreshSeconds(const TlsOptions& tls) {
  return static_cast<unsigned int>(absl::ToInt64Seconds(tls.refresh_interval));
}

}  // namespace

absl::Status CheckServerTls(const TlsOptions& tls) {
  if (!tls.serves_tls()) return absl::OkStatus();
  if (tls.cert_file.empty() && tls.key_file.empty()) {
    return errors::InvalidConfiguration(
        "--tls_client_ca_file is set but --tls_cert_file and --tls_key_file are not: mutual TLS "
        "needs the server's own certificate and key");
  }
  if (absl::Status s = CheckIdentity(tls); !s.ok()) return s;
  if (!tls.client_ca_file.empty()) {
    auto roots = ReadCertificates("tls_client_ca_file", tls.client_ca_file);
    if (!roots.ok()) return roots.status();
  }
  return CheckRefreshInterval(tls);
}

absl::Status CheckClientTls(const TlsOptions& tls) {
  if (!tls.dials_tls()) {
    const char* given = !tls.cert_file.empty()     ? "--tls_cert_file"
                        : !tls.key_file.empty()    ? "--tls_key_file"
                        : !tls.server_name.empty() ? "--tls_server_name"
                                                   : nullptr;
    if (given == nullptr) return absl::OkStatus();
    return errors::InvalidConfiguration(
        absl::StrCat(given,
                     " is set but --tls_ca_file is not: with TLS on, this process dials other "
                     "servers with TLS too, and needs the CA their certificates chain to"));
  }
  auto roots = ReadCertificates("tls_ca_file", tls.ca_file);
  if (!roots.ok()) return roots.status();
  if (!tls.cert_file.empty() || !tls.key_file.empty()) {
    if (absl::Status s = CheckIdentity(tls); !s.ok()) return s;
  }
  return CheckRefreshInterval(tls);
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsOptions& tls) {
  if (absl::Status s = CheckServerTls(tls); !s.ok()) return s;
  if (!tls.serves_tls()) return grpc::InsecureServerCredentials();
  const bool mutual = !tls.client_ca_file.empty();
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      tls.key_file, tls.cert_file, mutual ? tls.client_ca_file : "", RefreshSeconds(tls));
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (mutual) {
    options.watch_root_certs();
    options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  } else {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

absl::StatusOr<ChannelSecurity> MakeChannelSecurity(const TlsOptions& tls) {
  if (absl::Status s = CheckClientTls(tls); !s.ok()) return s;
  ChannelSecurity security;
  if (!tls.dials_tls()) return security;
  const bool identity = !tls.cert_file.empty();
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      identity ? tls.key_file : "", identity ? tls.cert_file : "", tls.ca_file,
      RefreshSeconds(tls));
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(provider);
  options.watch_root_certs();
  if (identity) options.watch_identity_key_cert_pairs();
  // The chain is checked against the watched CAs, and (gRPC's default
  // verifier) the certificate's subject alternative names against the host
  // dialled or `server_name`.
  options.set_verify_server_certs(true);
  security.credentials = grpc::experimental::TlsCredentials(options);
  security.server_name = tls.server_name;
  return security;
}

grpc::ChannelArguments MakeChannelArguments(int max_message_bytes) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(max_message_bytes);
  args.SetMaxSendMessageSize(max_message_bytes);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  return args;
}

std::shared_ptr<grpc::Channel> Dial(const std::string& target, const ChannelSecurity& security,
                                    grpc::ChannelArguments args) {
  if (!security.server_name.empty()) args.SetSslTargetNameOverride(security.server_name);
  if (security.tokens == nullptr)
    return grpc::CreateCustomChannel(target, security.credentials, args);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(NewTokenInterceptorFactory(security.tokens));
  return grpc::experimental::CreateCustomChannelWithInterceptors(target, security.credentials, args,
                                                                 std::move(interceptors));
}

}  // namespace fazhi::server
