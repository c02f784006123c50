#include "common/server/tls_flags.h"

#include <string>

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain: the server's identity, and the client certificate for servers "
          "that require one; empty: plaintext");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file");
ABSL_FLAG(std::string, tls_ca_file, "",
          "PEM CA certificates that the servers this process dials must chain to; set: dial "
          "with TLS");
ABSL_FLAG(std::string, tls_server_name, "",
          "name the dialled servers' certificates must carry, instead of the host dialled");
ABSL_FLAG(int, tls_refresh_seconds, 60,
          "how often the TLS files are read again (certificate rotation without a restart)");

namespace fazhi::server {

TlsOptions TlsOptionsFromFlags() {
  TlsOptions tls;
  tls.cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  tls.key_file = absl::GetFlag(FLAGS_tls_key_file);
  tls.ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  tls.server_name = absl::GetFlag(FLAGS_tls_server_name);
  tls.refresh_interval = absl::Seconds(absl::GetFlag(FLAGS_tls_refresh_seconds));
  return tls;
}

}  // namespace fazhi::server
