// fazhiload: load any unary method of a Fazhi server and print QPS and
// latency percentiles, e.g.
//
//   fazhiload --target=127.0.0.1:50051
//     --method=/fazhi.catalogue.v1.CatalogueService/GetProject
//     --data='{"name":"projects/y2022-city-top-0{n}"}' --n_values=9
//     --concurrency=8 --duration_seconds=10
//
// Requests are JSON, checked against the contracts compiled into the tool;
// `{n}` cycles through 0..n_values-1. With TLS on the server, add
// --tls_ca_file (and --tls_cert_file/--tls_key_file for mutual TLS; the
// flags are described in common/server/tls_flags.h).
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "common/server/tls_flags.h"
#include "tools/fazhiload/load.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50050", "server address");
ABSL_FLAG(std::string, method, "/grpc.health.v1.Health/Check", "/package.Service/Method");
ABSL_FLAG(std::string, data, "{}", "request as JSON; {n} is replaced by the call number");
ABSL_FLAG(int64_t, n_values, 0, "how many distinct {n} values to cycle through");
ABSL_FLAG(int, concurrency, 8, "callers, each with one call in flight");
ABSL_FLAG(int, duration_seconds, 10, "how long to measure");
ABSL_FLAG(int, warmup_seconds, 1, "calls before measuring");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  fazhi::load::LoadOptions options;
  options.method = absl::GetFlag(FLAGS_method);
  options.concurrency = absl::GetFlag(FLAGS_concurrency);
  options.duration = absl::Seconds(absl::GetFlag(FLAGS_duration_seconds));
  options.warmup = absl::Seconds(absl::GetFlag(FLAGS_warmup_seconds));
  auto maker = fazhi::load::JsonRequestMaker(options.method, absl::GetFlag(FLAGS_data),
                                             absl::GetFlag(FLAGS_n_values));
  if (!maker.ok()) {
    std::fprintf(stderr, "fazhiload: %s\n", maker.status().ToString().c_str());
    return 2;
  }
  auto security = fazhi::server::MakeChannelSecurity(fazhi::server::TlsOptionsFromFlags());
  if (!security.ok()) {
    std::fprintf(stderr, "fazhiload: %s\n", security.status().ToString().c_str());
    return 2;
  }
  auto channel = fazhi::server::Dial(absl::GetFlag(FLAGS_target), *security);
  auto result = fazhi::load::RunLoad(channel, options, *maker);
  std::printf("%s\n", fazhi::load::FormatResult(options.method, result).c_str());
  if (result.calls == 0 && result.errors > 0) {
    std::fprintf(stderr, "fazhiload: every call failed: %s\n", result.first_error.c_str());
    return 1;
  }
  return 0;
}
