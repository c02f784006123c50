// Transport security for every Fazhi server and client: the one place that
// turns PEM files into gRPC credentials.
//
// The files are watched, not read once: gRPC's FileWatcherCertificateProvider
// re-reads them every `refresh_interval`, and every TLS handshake after that
// uses what it found. Replacing the files (atomically: a new directory and a
// renamed symlink, as the kubelet updates a mounted Secret) rotates the
// certificate, the key or the trusted CAs without a restart. Connections
// already open keep the certificate they were made with until they close
// (the servers' maximum connection age bounds that).
//
// With no file named, servers listen and clients dial in plaintext (local
// development, tests, the local overlay). A half-given configuration (a
// certificate without its key, a file that cannot be read or holds no PEM, a
// key that is not the certificate's) is refused at start-up with a message
// naming the flag, never served in plaintext instead.
//
//   server::TlsOptions tls;                  // usually from flags
//   tls.cert_file = "/etc/fazhi/tls/tls.crt";
//   tls.key_file = "/etc/fazhi/tls/tls.key";
//   tls.ca_file = "/etc/fazhi/tls/ca.crt";   // to dial other servers
//   auto security = server::MakeChannelSecurity(tls);
//   if (!security.ok()) ...                  // the message names the flag
//   auto channel = server::Dial("metrics:50052", *security);
#ifndef FAZHI_COMMON_SERVER_TLS_H_
#define FAZHI_COMMON_SERVER_TLS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace fazhi::server {

// The TLS files of one process, which may serve, dial, or both (the gateway
// and the report service do both, with one identity). Each field is named
// after its flag, which every error message uses.
struct TlsOptions {
  // --tls_cert_file, --tls_key_file: this process's certificate chain and
  // private key (PEM). A server's identity; also shown to the servers it
  // dials when they ask for a client certificate (mutual TLS).
  std::string cert_file;
  std::string key_file;
  // --tls_client_ca_file (servers): the CA certificates a client's
  // certificate must chain to. Set: mutual TLS, a client without such a
  // certificate is refused during the handshake.
  std::string client_ca_file;
  // --tls_ca_file (clients): the CA certificates a server's certificate must
  // chain to. Set: dial with TLS.
  std::string ca_file;
  // --tls_server_name (clients): the name the server's certificate must carry
  // (a DNS or IP subject alternative name) instead of the host dialled, e.g.
  // "catalogue" when dialling a port-forward on localhost.
  std::string server_name;
  // --tls_refresh_seconds: how often the files are read again. At least 1 s.
  absl::Duration refresh_interval = absl::Seconds(60);

  // Whether a server listens with TLS: any server file is named.
  bool serves_tls() const {
    return !cert_file.empty() || !key_file.empty() || !client_ca_file.empty();
  }
  // Whether a client dials with TLS: a CA file is named.
  bool dials_tls() const { return !ca_file.empty(); }
};

// Checks what a server will listen with: plaintext when no server file is
// named; otherwise a certificate and its matching key, and for mutual TLS a
// readable client CA. InvalidArgument naming the flag on any problem.
absl::Status CheckServerTls(const TlsOptions& tls);

// Checks what a client will dial with: plaintext when no client file is
// named; otherwise a readable CA and, if given, a certificate with its key.
// A process that has an identity (--tls_cert_file) but no --tls_ca_file is
// refused: once TLS is on, it is on for every call the process makes.
absl::Status CheckClientTls(const TlsOptions& tls);

// The credentials a server listens with, after CheckServerTls.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsOptions& tls);

// How a client dials: credentials made once (one file watcher behind every
// channel made from them) and the TLS name to check, if not the host
// dialled. Default-constructed: plaintext.
class TokenSource;
struct ChannelSecurity {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  std::string server_name;
  // Local development: the bearer token sent with every call
  // (call_identity.h); null under TLS, where the certificate says who.
  std::shared_ptr<TokenSource> tokens;
};

// The ChannelSecurity of `tls`, after CheckClientTls.
absl::StatusOr<ChannelSecurity> MakeChannelSecurity(const TlsOptions& tls);

// Channel arguments shared by every client: message-size limits, keepalive.
grpc::ChannelArguments MakeChannelArguments(int max_message_bytes = 16 << 20);

// A channel to `target` ("host:port") with `security` and `args`. Every
// client of the suite (gateway, report, fazhictl, fazhiload, tests) dials
// through here.
std::shared_ptr<grpc::Channel> Dial(const std::string& target, const ChannelSecurity& security,
                                    grpc::ChannelArguments args = MakeChannelArguments());

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_TLS_H_
