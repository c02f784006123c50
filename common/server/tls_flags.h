// The TLS flags every Fazhi program that serves or dials shares (servers,
// fazhiload; fazhictl parses the same names itself):
//
//   --tls_cert_file=PEM      this process's certificate chain: a server's
//                            identity, and the client certificate shown to
//                            servers that require one (mutual TLS)
//   --tls_key_file=PEM       its private key (unencrypted)
//   --tls_ca_file=PEM        CA certificates that the servers dialled must
//                            chain to; set: dial with TLS
//   --tls_server_name=NAME   the name servers' certificates must carry,
//                            instead of the host dialled
//   --tls_refresh_seconds=N  how often the files are read again (default 60)
//
// The server-only ones (--tls_client_ca_file, --probe_listen) are in
// service_main.h. What the files must hold: tls.h.
#ifndef FAZHI_COMMON_SERVER_TLS_FLAGS_H_
#define FAZHI_COMMON_SERVER_TLS_FLAGS_H_

#include "common/server/tls.h"

namespace fazhi::server {

// The flags above, after absl::ParseCommandLine; client_ca_file is empty.
TlsOptions TlsOptionsFromFlags();

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_TLS_FLAGS_H_
