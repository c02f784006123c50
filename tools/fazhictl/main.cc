// fazhictl: the operator's command-line client of the Fazhi suite.
//
//   fazhictl import DIR [--catalogue=ADDR] [--metrics=ADDR] [--report=ADDR]
//   fazhictl summary --region CODE --year YEAR [--gateway=ADDR] [--json]
//   fazhictl summary --from=FILE [--json]
//   fazhictl ranking --parent CODE --year YEAR [--level LEVEL] [--gateway=ADDR] [--json]
//   fazhictl trend --region CODE --from YEAR --to YEAR [--gateway=ADDR] [--json]
//   fazhictl dossier --project projects/ID [--gateway=ADDR] [--json]
//   fazhictl token mint --key FILE --principal NAME [--ttl 12h]
//   fazhictl audit verify [--service ADDR] [--heads FILE]
//   fazhictl audit list --resource NAME [--service ADDR]
//   fazhictl check FILE --filer units/ID --region regions/CODE --year YEAR
//                  [--co_filers units/A,units/B] [--report ADDR]
//
// Every command also takes --tls_ca_file, --tls_cert_file, --tls_key_file
// and --tls_server_name (common/server/tls_flags.h) for servers with TLS,
// and --token / --token_file (or FAZHI_TOKEN / FAZHI_TOKEN_FILE) for
// servers in local development, which know the caller by a development
// token (common/server/dev_token.h) sent as "authorization: Bearer".
//
// Exit status: 0 success; 1 an RPC failed (code, message and field
// violations are printed on stderr; for check: the submission would be
// refused); 2 usage error (usage is printed) or an import file that cannot
// be read or parsed (nothing is sent); 3 check: a required part is missing.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/api/limits.h"
#include "common/server/call_identity.h"
#include "common/server/dev_token.h"
#include "common/server/tls.h"
#include "common/status/errors.h"
#include "common/storage/audit_chain.h"
#include "fazhi/admin/v1/audit_service.grpc.pb.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "fazhi/gateway/v1/gateway_service.grpc.pb.h"
#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
#include "fazhi/report/v1/report_service.grpc.pb.h"
#include "tools/fazhictl/check_printer.h"
#include "tools/fazhictl/command_line.h"
#include "tools/fazhictl/dossier_printer.h"
#include "tools/fazhictl/import_file_reader.h"
#include "tools/fazhictl/importer.h"
#include "tools/fazhictl/rpc_error.h"
#include "tools/fazhictl/summary_printer.h"

namespace fazhi::ctl {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRpcFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitCheckFailed = 3;

// Every call fazhictl makes gets this long.
constexpr absl::Duration kCallDeadline = absl::Seconds(10);

constexpr char kUsage[] =
    R"(Usage:
  fazhictl import DIR [--catalogue=ADDR] [--metrics=ADDR] [--report=ADDR]
  fazhictl summary --region CODE --year YEAR [--gateway=ADDR] [--json]
  fazhictl summary --from=FILE [--json]
  fazhictl ranking --parent CODE --year YEAR [--level LEVEL] [--gateway=ADDR] [--json]
  fazhictl trend --region CODE --from YEAR --to YEAR [--gateway=ADDR] [--json]
  fazhictl dossier --project projects/ID [--max_passages N] [--gateway=ADDR] [--json]
  fazhictl token mint --key FILE --principal NAME [--ttl DURATION]
  fazhictl audit verify [--service ADDR] [--heads FILE]
  fazhictl audit list --resource NAME [--service ADDR]
  fazhictl check FILE --filer units/ID --region regions/CODE --year YEAR
                 [--co_filers units/A,units/B] [--report ADDR]
  fazhictl --help

Commands:
  import   Reads every *.textproto file in DIR in name order (each one
           fazhi.ctl.v1.ImportFile in protobuf text format), merges them and
           loads regions, units, indicators, projects, reports and
           observations, in that order. Safe to repeat: what exists already
           counts as "already present". Prints one line per kind.
             --catalogue  CatalogueService address (default 127.0.0.1:50051)
             --metrics    MetricsService address   (default 127.0.0.1:50052)
             --report     ReportService address    (default 127.0.0.1:50053)
  summary  Prints the district compliance summary of one region and year
           (GatewayService.GetDistrictComplianceSummary) in Chinese.
             --region     GB/T 2260 code of the district, e.g. 310113
             --year       the year judged, e.g. 2023
             --gateway    GatewayService address   (default 127.0.0.1:50050)
             --json       print the summary as JSON instead, for scripts
             --from       read a summary saved with --json instead of
                          calling the gateway
  ranking  Ranks every region directly under --parent (310000: the 16
           districts) for a year by score (GatewayService.RankRegions).
             --level      county, prefecture or province: every region of
                          that level under --parent at any depth instead;
                          with --level, --parent may be omitted (the whole
                          country)
  trend    One region's score and headline figures from --from to --to
           (GatewayService.GetRegionTrend).
  dossier  One project with its responsible units, the observations tied to
           it and the report passages that mention it
           (GatewayService.GetProjectDossier).
             --project       the project, e.g. projects/y2023-310113-excellent-01
             --max_passages  report passages to show, 1..50 (default 10)
  token mint
           Prints a development token for a principal of the policy, signed
           with the first key of the servers' --dev_token_key_file. Only
           servers started with --insecure_development accept tokens.
             --key        the key file, e.g. var/secrets/dev-token.key
             --principal  the name, e.g. dev/reader
             --ttl        how long it is valid (default 12h; e.g. 30m, 24h)
  audit verify
           Asks a store (catalogue, metrics or report) to check its audit
           trail's hash chain against signed heads (AuditService.
           VerifyAuditTrail; needs the AUDITOR role). Prints "intact" or
           each problem; exits 1 when the trail is not intact.
             --service    the store's address (default 127.0.0.1:50051)
             --heads      a heads file (one signed head a line) kept apart
                          from the store; default: the store's own file
  audit list
           Prints the audit entries of one record, oldest first
           (AuditService.ListAuditEntries; needs the AUDITOR role).
             --resource   the record, e.g. projects/y2023-310113-excellent-01
             --service    the store holding it (default 127.0.0.1:50051)
  check    Checks a draft report before it is filed: sends FILE (text or a
           saved HTML page, UTF-8 or GB18030) to SubmitReport with
           validate_only, which runs every check of a filing and stores
           nothing, and prints the analysis as a checklist in Chinese: title
           and where it came from, metadata, filers, each part (✓ with the
           heading that shows it, ✗ with what was looked for), deadlines,
           tables, figures accepted and candidates with reasons. Needs the
           right to file for the region. Exits 1 when the filing would be
           refused (the reason on stderr), 3 when a required part is missing.
             --filer      the filing unit, e.g. units/310113-government
             --region     its region, e.g. regions/310113
             --year       the year the report covers
             --co_filers  units filing jointly, comma-separated
             --report     ReportService address    (default 127.0.0.1:50053)

Every command dials with TLS when given, for servers that serve it:
  --tls_ca_file      PEM CA certificates the servers' certificates chain to
  --tls_cert_file    PEM client certificate, for servers that require one
  --tls_key_file     its private key
  --tls_server_name  the name to expect in the servers' certificates instead
                     of the host dialled (e.g. through a port-forward); for
                     import, "{store}" stands for catalogue, metrics or report
In local development (servers started with --insecure_development) the
caller is named by a development token instead (see token mint):
  --token            the token itself (visible to other users in ps: prefer
                     --token_file)
  --token_file       a file holding it
  or the environment: FAZHI_TOKEN, or FAZHI_TOKEN_FILE naming a file.
Without a token the call is anonymous: reads only, where allowed.

Every call has a 10 s deadline.

Exit status:
  0  success
  1  an RPC failed (code, message and field violations on stderr)
  2  usage error, or an import file that cannot be read or parsed
     (nothing is sent then)
  3  check: the report lacks a required part
)";

int UsageError(const std::string& message) {
  std::cerr << "fazhictl: " << message << "\n\n" << kUsage;
  return kExitUsage;
}

// Parses `args` with the command's own flags and the TLS and token flags
// every command takes.
absl::StatusOr<CommandLine> ParseWithTls(const std::vector<std::string>& args,
                                         std::vector<FlagSpec> specs) {
  for (const char* name :
       {"tls_ca_file", "tls_cert_file", "tls_key_file", "tls_server_name", "token", "token_file"}) {
    specs.push_back({name, true});
  }
  return ParseCommandLine(args, specs);
}

// The first line of token file `path`, without surrounding blanks.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path, const std::string& named_by) {
  std::ifstream in(path);
  std::string token;
  if (!in.is_open() || !std::getline(in, token)) {
    return errors::InvalidOption(named_by, absl::StrCat(named_by, ": cannot read \"", path, "\""));
  }
  token = std::string(absl::StripAsciiWhitespace(token));
  if (token.empty()) {
    return errors::InvalidOption(named_by, absl::StrCat(named_by, ": \"", path, "\" is empty"));
  }
  return token;
}

// The development token to send: --token, --token_file, FAZHI_TOKEN or
// FAZHI_TOKEN_FILE, the first given; "" when none is.
absl::StatusOr<std::string> TokenOf(const CommandLine& command_line) {
  if (command_line.Has("token") && command_line.Has("token_file")) {
    return errors::InvalidOption("--token", "give --token or --token_file, not both");
  }
  if (command_line.Has("token")) return command_line.Get("token", "");
  if (command_line.Has("token_file")) {
    return ReadTokenFile(command_line.Get("token_file", ""), "--token_file");
  }
  if (const char* token = std::getenv("FAZHI_TOKEN"); token != nullptr && *token != '\0') {
    return std::string(absl::StripAsciiWhitespace(token));
  }
  if (const char* path = std::getenv("FAZHI_TOKEN_FILE"); path != nullptr && *path != '\0') {
    return ReadTokenFile(path, "FAZHI_TOKEN_FILE");
  }
  return std::string();
}

// For commands that check their positional arguments themselves, or ignore
// them.
constexpr size_t kAnyPositional = static_cast<size_t>(-1);

// The exit code when a command's line is malformed, asks for help, or has
// more than `max_positional` positional arguments; nullopt when it may go on.
std::optional<int> ExitBeforeCalling(const absl::StatusOr<CommandLine>& command_line,
                                     size_t max_positional = 0) {
  if (!command_line.ok()) return UsageError(std::string(command_line.status().message()));
  if (command_line->help) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (command_line->positional.size() > max_positional) {
    return UsageError(
        absl::StrCat("unexpected argument \"", command_line->positional[max_positional], "\""));
  }
  return std::nullopt;
}

// How to dial, from the TLS flags (plaintext when none is given) and the
// token, sent with every call when there is one.
absl::StatusOr<server::ChannelSecurity> SecurityOf(const CommandLine& command_line) {
  server::TlsOptions tls;
  tls.ca_file = command_line.Get("tls_ca_file", "");
  tls.cert_file = command_line.Get("tls_cert_file", "");
  tls.key_file = command_line.Get("tls_key_file", "");
  tls.server_name = command_line.Get("tls_server_name", "");
  auto security = server::MakeChannelSecurity(tls);
  if (!security.ok()) return security.status();
  auto token = TokenOf(command_line);
  if (!token.ok()) return token.status();
  if (!token->empty()) security->tokens = server::TokenSource::Fixed(*std::move(token));
  return security;
}

int RunImport(const std::vector<std::string>& args) {
  auto command_line =
      ParseWithTls(args, {{"catalogue", true}, {"metrics", true}, {"report", true}});
  if (auto exit = ExitBeforeCalling(command_line, kAnyPositional); exit.has_value()) return *exit;
  auto security = SecurityOf(*command_line);
  if (!security.ok()) return UsageError(std::string(security.status().message()));
  if (command_line->positional.size() != 1) {
    return UsageError("import takes exactly one directory");
  }
  const std::string& dir = command_line->positional[0];

  ImportDirectory input = ReadImportDirectory(dir);
  if (!input.errors.empty()) {
    for (const auto& error : input.errors) std::cerr << error << "\n";
    std::cerr << "fazhictl: nothing was imported\n";
    return kExitUsage;
  }

  // Each store has a certificate of its own: "{store}" in --tls_server_name
  // stands for the name of the store dialled.
  auto security_of = [&](const std::string& store) {
    server::ChannelSecurity of_store = *security;
    of_store.server_name = absl::StrReplaceAll(of_store.server_name, {{"{store}", store}});
    return of_store;
  };
  auto catalogue = fazhi::catalogue::v1::CatalogueService::NewStub(
      server::Dial(command_line->Get("catalogue", "127.0.0.1:50051"), security_of("catalogue")));
  auto metrics = fazhi::metrics::v1::MetricsService::NewStub(
      server::Dial(command_line->Get("metrics", "127.0.0.1:50052"), security_of("metrics")));
  auto report = fazhi::report::v1::ReportService::NewStub(
      server::Dial(command_line->Get("report", "127.0.0.1:50053"), security_of("report")));
  Importer importer(catalogue.get(), metrics.get(), report.get(), &std::cerr, kCallDeadline);
  const ImportCounts counts = importer.Run(input.merged);
  std::cout << counts.ToString();
  return counts.any_failed() ? kExitRpcFailure : kExitOk;
}

// Reads a summary saved with `fazhictl summary --json`.
int ReadSavedSummary(const std::string& path,
                     fazhi::gateway::v1::DistrictComplianceSummary* summary) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return UsageError(absl::StrCat(path, ": cannot open"));
  std::ostringstream json;
  json << in.rdbuf();
  const auto status = google::protobuf::util::JsonStringToMessage(json.str(), summary);
  if (!status.ok()) {
    return UsageError(absl::StrCat(path, ": not a summary saved with --json: ", status.ToString()));
  }
  return kExitOk;
}

int RunSummary(const std::vector<std::string>& args) {
  auto command_line = ParseWithTls(
      args, {{"region", true}, {"year", true}, {"gateway", true}, {"json", false}, {"from", true}});
  if (auto exit = ExitBeforeCalling(command_line); exit.has_value()) return *exit;
  auto security = SecurityOf(*command_line);
  if (!security.ok()) return UsageError(std::string(security.status().message()));

  fazhi::gateway::v1::DistrictComplianceSummary summary;
  if (command_line->Has("from")) {
    if (command_line->Has("region") || command_line->Has("year") || command_line->Has("gateway")) {
      return UsageError("--from replaces --region, --year and --gateway");
    }
    if (int rc = ReadSavedSummary(command_line->Get("from", ""), &summary); rc != kExitOk) {
      return rc;
    }
  } else {
    if (!command_line->Has("region")) return UsageError("summary needs --region");
    if (!command_line->Has("year")) return UsageError("summary needs --year");
    int year = 0;
    const std::string year_text = command_line->Get("year", "");
    if (!absl::SimpleAtoi(year_text, &year)) {
      return UsageError(absl::StrCat("--year must be a number, got \"", year_text, "\""));
    }
    fazhi::gateway::v1::GetDistrictComplianceSummaryRequest request;
    request.set_region_code(command_line->Get("region", ""));
    request.set_year(year);

    const std::string target = command_line->Get("gateway", "127.0.0.1:50050");
    auto gateway = fazhi::gateway::v1::GatewayService::NewStub(server::Dial(target, *security));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
    const grpc::Status status = gateway->GetDistrictComplianceSummary(&context, request, &summary);
    if (!status.ok()) {
      std::cerr << "fazhictl: GetDistrictComplianceSummary(" << request.region_code() << ", "
                << request.year() << ") at " << target << " failed: " << DescribeRpcError(status)
                << "\n";
      return kExitRpcFailure;
    }
  }

  if (command_line->GetBool("json")) {
    auto json = FormatJson(summary);
    if (!json.ok()) {
      std::cerr << "fazhictl: " << json.status().message() << "\n";
      return kExitRpcFailure;
    }
    std::cout << *json;
  } else {
    std::cout << FormatSummaryText(summary);
  }
  return kExitOk;
}

// Parses a year flag; on error prints usage and returns nullopt.
std::optional<int> YearFlag(const CommandLine& command_line, const std::string& name) {
  int year = 0;
  const std::string text = command_line.Get(name, "");
  if (!absl::SimpleAtoi(text, &year)) {
    UsageError(absl::StrCat("--", name, " must be a year, got \"", text, "\""));
    return std::nullopt;
  }
  return year;
}

// Prints `answer` as JSON or with `text`, after a successful call.
int PrintAnswer(const CommandLine& command_line, const google::protobuf::Message& answer,
                const std::function<std::string()>& text) {
  if (command_line.GetBool("json")) {
    auto json = FormatJson(answer);
    if (!json.ok()) {
      std::cerr << "fazhictl: " << json.status().message() << "\n";
      return kExitRpcFailure;
    }
    std::cout << *json;
  } else {
    std::cout << text();
  }
  return kExitOk;
}

int RunRanking(const std::vector<std::string>& args) {
  auto command_line = ParseWithTls(args, {{"parent", true},
                                          {"year", true},
                                          {"level", true},
                                          {"gateway", true},
                                          {"json", false},
                                          {"page_token", true},
                                          {"page_size", true}});
  if (auto exit = ExitBeforeCalling(command_line, kAnyPositional); exit.has_value()) {
    return *exit;
  }
  auto security = SecurityOf(*command_line);
  if (!security.ok()) return UsageError(std::string(security.status().message()));
  if ((!command_line->Has("parent") && !command_line->Has("level")) || !command_line->Has("year")) {
    return UsageError("ranking needs --parent (or --level) and --year");
  }
  auto year = YearFlag(*command_line, "year");
  if (!year.has_value()) return kExitUsage;
  fazhi::gateway::v1::RankRegionsRequest request;
  if (command_line->Has("level")) {
    static const std::map<std::string, fazhi::catalogue::v1::RegionLevel> kLevels = {
        {"province", fazhi::catalogue::v1::REGION_LEVEL_PROVINCE},
        {"prefecture", fazhi::catalogue::v1::REGION_LEVEL_PREFECTURE},
        {"county", fazhi::catalogue::v1::REGION_LEVEL_COUNTY}};
    auto level = kLevels.find(command_line->Get("level", ""));
    if (level == kLevels.end()) {
      return UsageError("--level must be province, prefecture or county");
    }
    request.set_level(level->second);
  }
  request.set_parent_region_code(command_line->Get("parent", ""));
  request.set_year(*year);
  request.set_page_token(command_line->Get("page_token", ""));
  int page_size = 0;
  if (command_line->Has("page_size") &&
      !absl::SimpleAtoi(command_line->Get("page_size", ""), &page_size)) {
    return UsageError("--page_size must be a number");
  }
  request.set_page_size(page_size);
  const std::string target = command_line->Get("gateway", "127.0.0.1:50050");
  auto gateway = fazhi::gateway::v1::GatewayService::NewStub(server::Dial(target, *security));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
  fazhi::gateway::v1::RankRegionsResponse response;
  const grpc::Status status = gateway->RankRegions(&context, request, &response);
  if (!status.ok()) {
    std::cerr << "fazhictl: RankRegions(" << request.parent_region_code() << ", " << *year
              << ") at " << target << " failed: " << DescribeRpcError(status) << "\n";
    return kExitRpcFailure;
  }
  return PrintAnswer(*command_line, response, [&] {
    return FormatRankingText(
        response, request.parent_region_code().empty() ? "全国" : request.parent_region_code(),
        *year);
  });
}

int RunTrend(const std::vector<std::string>& args) {
  auto command_line = ParseWithTls(
      args, {{"region", true}, {"from", true}, {"to", true}, {"gateway", true}, {"json", false}});
  if (auto exit = ExitBeforeCalling(command_line, kAnyPositional); exit.has_value()) {
    return *exit;
  }
  auto security = SecurityOf(*command_line);
  if (!security.ok()) return UsageError(std::string(security.status().message()));
  if (!command_line->Has("region") || !command_line->Has("from") || !command_line->Has("to")) {
    return UsageError("trend needs --region, --from and --to");
  }
  auto from = YearFlag(*command_line, "from");
  auto to = YearFlag(*command_line, "to");
  if (!from.has_value() || !to.has_value()) return kExitUsage;
  fazhi::gateway::v1::GetRegionTrendRequest request;
  request.set_region_code(command_line->Get("region", ""));
  request.set_from_year(*from);
  request.set_to_year(*to);
  const std::string target = command_line->Get("gateway", "127.0.0.1:50050");
  auto gateway = fazhi::gateway::v1::GatewayService::NewStub(server::Dial(target, *security));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
  fazhi::gateway::v1::RegionTrend response;
  const grpc::Status status = gateway->GetRegionTrend(&context, request, &response);
  if (!status.ok()) {
    std::cerr << "fazhictl: GetRegionTrend(" << request.region_code() << ") at " << target
              << " failed: " << DescribeRpcError(status) << "\n";
    return kExitRpcFailure;
  }
  return PrintAnswer(*command_line, response, [&] { return FormatTrendText(response); });
}

int RunDossier(const std::vector<std::string>& args) {
  auto command_line = ParseWithTls(
      args, {{"project", true}, {"max_passages", true}, {"gateway", true}, {"json", false}});
  if (auto exit = ExitBeforeCalling(command_line, kAnyPositional); exit.has_value()) {
    return *exit;
  }
  auto security = SecurityOf(*command_line);
  if (!security.ok()) return UsageError(std::string(security.status().message()));
  if (!command_line->Has("project")) return UsageError("dossier needs --project");
  fazhi::gateway::v1::GetProjectDossierRequest request;
  request.set_project(command_line->Get("project", ""));
  if (command_line->Has("max_passages")) {
    int max_passages = 0;
    if (!absl::SimpleAtoi(command_line->Get("max_passages", ""), &max_passages)) {
      return UsageError("--max_passages must be a number");
    }
    request.set_max_passages(max_passages);
  }
  const std::string target = command_line->Get("gateway", "127.0.0.1:50050");
  auto gateway = fazhi::gateway::v1::GatewayService::NewStub(server::Dial(target, *security));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
  fazhi::gateway::v1::ProjectDossier response;
  const grpc::Status status = gateway->GetProjectDossier(&context, request, &response);
  if (!status.ok()) {
    std::cerr << "fazhictl: GetProjectDossier(" << request.project() << ") at " << target
              << " failed: " << DescribeRpcError(status) << "\n";
    return kExitRpcFailure;
  }
  return PrintAnswer(*command_line, response, [&] { return FormatDossierText(response); });
}

int RunTokenMint(const std::vector<std::string>& args) {
  auto command_line = ParseCommandLine(args, {{"key", true}, {"principal", true}, {"ttl", true}});
  if (auto exit = ExitBeforeCalling(command_line); exit.has_value()) return *exit;
  if (!command_line->Has("key") || !command_line->Has("principal")) {
    return UsageError("token mint needs --key and --principal");
  }
  absl::Duration ttl = absl::Hours(12);
  if (command_line->Has("ttl") &&
      (!absl::ParseDuration(command_line->Get("ttl", ""), &ttl) || ttl <= absl::ZeroDuration())) {
    return UsageError("--ttl must be a positive duration such as 30m or 12h");
  }
  server::DevTokenKeys keys(command_line->Get("key", ""));
  if (auto loaded = keys.Load(); !loaded.ok()) return UsageError(std::string(loaded.message()));
  auto token = keys.Mint(command_line->Get("principal", ""), ttl);
  if (!token.ok()) return UsageError(std::string(token.status().message()));
  std::cout << *token << "\n";
  return kExitOk;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::FromUnixSeconds(time.seconds()),
                          absl::UTCTimeZone());
}

int RunAuditVerify(const CommandLine& command_line, fazhi::admin::v1::AuditService::Stub& audit,
                   const std::string& target) {
  fazhi::admin::v1::VerifyAuditTrailRequest request;
  if (command_line.Has("heads")) {
    auto heads = storage::ReadHeadsFile(command_line.Get("heads", ""));
    if (!heads.ok()) return UsageError(std::string(heads.status().message()));
    // The newest heads the server checks in one call; the chain itself is
    // checked whole either way.
    const size_t from = heads->size() > static_cast<size_t>(fazhi::limits::kMaxVerifiedHeads)
                            ? heads->size() - fazhi::limits::kMaxVerifiedHeads
                            : 0;
    for (size_t i = from; i < heads->size(); ++i) *request.add_heads() = std::move((*heads)[i]);
  }
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
  fazhi::admin::v1::VerifyAuditTrailResponse response;
  const grpc::Status status = audit.VerifyAuditTrail(&context, request, &response);
  if (!status.ok()) {
    std::cerr << "fazhictl: VerifyAuditTrail at " << target
              << " failed: " << DescribeRpcError(status) << "\n";
    return kExitRpcFailure;
  }
  std::cout << (response.intact() ? "intact" : "NOT INTACT") << ": " << response.entries_checked()
            << " entries checked, last " << response.last_sequence() << ", last signed "
            << response.last_signed_sequence() << "\n";
  for (const auto& problem : response.problems()) std::cout << "  " << problem << "\n";
  return response.intact() ? kExitOk : kExitRpcFailure;
}

int RunAuditList(const CommandLine& command_line, fazhi::admin::v1::AuditService::Stub& audit,
                 const std::string& target) {
  if (!command_line.Has("resource")) return UsageError("audit list needs --resource");
  fazhi::admin::v1::ListAuditEntriesRequest request;
  request.set_resource(command_line.Get("resource", ""));
  request.set_page_size(1000);
  do {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
    fazhi::admin::v1::ListAuditEntriesResponse response;
    const grpc::Status status = audit.ListAuditEntries(&context, request, &response);
    if (!status.ok()) {
      std::cerr << "fazhictl: ListAuditEntries(" << request.resource() << ") at " << target
                << " failed: " << DescribeRpcError(status) << "\n";
      return kExitRpcFailure;
    }
    for (const auto& entry : response.entries()) {
      std::cout << "#" << entry.sequence() << " " << FormatTimestamp(entry.time()) << " "
                << entry.principal();
      if (!entry.on_behalf_of().empty()) std::cout << " for " << entry.on_behalf_of();
      std::cout << " " << entry.method() << " "
                << StatusCodeName(static_cast<grpc::StatusCode>(entry.code()));
      if (!entry.reason().empty()) std::cout << " (" << entry.reason() << ")";
      if (!entry.request_id().empty()) std::cout << " request " << entry.request_id();
      std::cout << " policy " << entry.policy_version() << "\n";
      for (const auto& record : entry.records()) {
        std::cout << "    " << record.resource() << " "
                  << (record.before_sha256().empty() ? "-" : storage::Hex(record.before_sha256()))
                  << " -> "
                  << (record.after_sha256().empty() ? "-" : storage::Hex(record.after_sha256()))
                  << "\n";
      }
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return kExitOk;
}

int RunAudit(const std::vector<std::string>& args) {
  if (args.empty()) return UsageError("audit needs verify or list");
  const std::string& action = args[0];
  std::vector<FlagSpec> specs = {{"service", true}};
  if (action == "verify") {
    specs.push_back({"heads", true});
  } else if (action == "list") {
    specs.push_back({"resource", true});
  } else {
    return UsageError(absl::StrCat("unknown audit command \"", action, "\""));
  }
  auto command_line = ParseWithTls(std::vector<std::string>(args.begin() + 1, args.end()), specs);
  if (auto exit = ExitBeforeCalling(command_line); exit.has_value()) return *exit;
  auto security = SecurityOf(*command_line);
  if (!security.ok()) return UsageError(std::string(security.status().message()));
  const std::string target = command_line->Get("service", "127.0.0.1:50051");
  auto audit = fazhi::admin::v1::AuditService::NewStub(server::Dial(target, *security));
  return action == "verify" ? RunAuditVerify(*command_line, *audit, target)
                            : RunAuditList(*command_line, *audit, target);
}

int RunCheck(const std::vector<std::string>& args) {
  auto command_line = ParseWithTls(
      args,
      {{"filer", true}, {"region", true}, {"year", true}, {"co_filers", true}, {"report", true}});
  if (auto exit = ExitBeforeCalling(command_line, kAnyPositional); exit.has_value()) return *exit;
  auto security = SecurityOf(*command_line);
  if (!security.ok()) return UsageError(std::string(security.status().message()));
  if (command_line->positional.size() != 1) return UsageError("check takes exactly one file");
  for (const char* needed : {"filer", "region", "year"}) {
    if (!command_line->Has(needed)) return UsageError(absl::StrCat("check needs --", needed));
  }
  auto year = YearFlag(*command_line, "year");
  if (!year.has_value()) return kExitUsage;
  const std::string& path = command_line->positional[0];
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return UsageError(absl::StrCat(path, ": cannot open"));
  std::ostringstream bytes;
  bytes << in.rdbuf();

  fazhi::report::v1::SubmitReportRequest request;
  request.set_validate_only(true);
  fazhi::report::v1::Report* draft = request.mutable_report();
  draft->set_filer(command_line->Get("filer", ""));
  draft->set_region(command_line->Get("region", ""));
  draft->set_year(*year);
  draft->set_raw_text(bytes.str());
  if (command_line->Has("co_filers")) {
    for (absl::string_view co_filer :
         absl::StrSplit(command_line->Get("co_filers", ""), ',', absl::SkipWhitespace())) {
      draft->add_co_filers(std::string(absl::StripAsciiWhitespace(co_filer)));
    }
  }
  const std::string target = command_line->Get("report", "127.0.0.1:50053");
  auto report = fazhi::report::v1::ReportService::NewStub(server::Dial(target, *security));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
  fazhi::report::v1::Report checked;
  const grpc::Status status = report->SubmitReport(&context, request, &checked);
  std::cout << "检查：" << path << "\n";
  if (!status.ok()) {
    std::cout << "结论：✗ 报送将被拒绝\n";
    std::cerr << "fazhictl: SubmitReport(validate_only) at " << target
              << " refused it: " << DescribeRpcError(status) << "\n";
    return kExitRpcFailure;
  }
  std::cout << FormatCheckText(checked);
  return LacksRequiredPart(checked) ? kExitCheckFailed : kExitOk;
}

int Main(const std::vector<std::string>& args) {
  if (args.empty()) return UsageError("no command given");
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  if (command == "import") return RunImport(rest);
  if (command == "summary") return RunSummary(rest);
  if (command == "ranking") return RunRanking(rest);
  if (command == "trend") return RunTrend(rest);
  if (command == "dossier") return RunDossier(rest);
  if (command == "token") {
    if (rest.empty() || rest[0] != "mint") return UsageError("token needs mint");
    return RunTokenMint(std::vector<std::string>(rest.begin() + 1, rest.end()));
  }
  if (command == "audit") return RunAudit(rest);
  if (command == "check") return RunCheck(rest);
  return UsageError(absl::StrCat("unknown command \"", command, "\""));
}

}  // namespace
}  // namespace fazhi::ctl

int main(int argc, char** argv) {
  return fazhi::ctl::Main(std::vector<std::string>(argv + 1, argv + argc));
}
