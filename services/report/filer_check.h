// Who may file a report: its filers and region checked in the catalogue, and
// the rules file's filer table (ReportRules.filers), at SubmitReport.
#ifndef FAZHI_SERVICES_REPORT_FILER_CHECK_H_
#define FAZHI_SERVICES_REPORT_FILER_CHECK_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/server/tls.h"
#include "common/status/errors.h"
#include "common/storage/audit_trail.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "fazhi/report/v1/report_service.pb.h"
#include "fazhi/rules/v1/rules.pb.h"

namespace fazhi::report {

// A service the report service calls: the metrics service
// (PublishReportFigures) or the catalogue (SubmitReport).
struct ServiceBackend {
  // host:port, for messages.
  std::string address;
  // Null: no such service (the calls that need it are UNAVAILABLE).
  std::shared_ptr<grpc::ChannelInterface> channel;
  // The longest one call waits for it (never longer than the caller's own
  // deadline).
  absl::Duration timeout = absl::Seconds(10);
};

// A channel to the service at `address` ("127.0.0.1:50051"), with
// `security` (default: plaintext), which must carry the report service's
// own identity.
ServiceBackend DialBackend(const std::string& address,
                           const server::ChannelSecurity& security = {});

// Adds a violation for each bad co-filer of `report`: more than
// limits::kMaxCoFilers, not "units/{unit_id}", the primary filer again, or named
// twice.
void ValidateCoFilers(const v1::Report& report, errors::FieldViolations& violations);

// OK when `rules`' filer table lets a unit of `unit_kind` file a report of
// `report_kind`; FAILED_PRECONDITION (PreconditionFailure FILER_KIND on
// `field`) otherwise. A table with no rows lets anyone file anything.
absl::Status CheckMayFile(const fazhi::rules::v1::ReportRules& rules,
                          const fazhi::catalogue::v1::Unit& unit, v1::ReportKind report_kind,
                          absl::string_view field);

// Checks `report` (analysed: its kind is the one to judge) in the catalogue,
// asking as the report service for `caller`: its region exists, and each
// filer (`filer`, then `co_filers`) exists and lies in the region or below
// it; the primary filer's kind may file the report's kind (co-filers are
// not judged by kind: a party committee co-files its government's report).
// NOT_FOUND (BadRequest on report.region, report.filer or
// report.co_filers[i]), FAILED_PRECONDITION (FILER_OUTSIDE_REGION,
// FILER_KIND), or UNAVAILABLE (ErrorInfo CATALOGUE_UNAVAILABLE) when the
// catalogue cannot be asked or will not answer. The catalogue calls share
// one deadline: `catalogue.timeout` from `now`, or the caller's, if sooner;
// a catalogue that cannot be reached is waited for until then.
absl::Status CheckFilersInCatalogue(const ServiceBackend& catalogue,
                                    fazhi::catalogue::v1::CatalogueService::StubInterface* stub,
                                    const grpc::ServerContext& context,
                                    const storage::Caller& caller, absl::Time now,
                                    const fazhi::rules::v1::ReportRules& rules,
                                    const v1::Report& report);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_FILER_CHECK_H_
