#include "services/report/filer_check.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/limits.h"
#include "common/api/resource_names.h"
#include "common/server/call_identity.h"
#include "common/status/grpc_status.h"

namespace fazhi::report {
namespace {

namespace cv1 = fazhi::catalogue::v1;

// A region's ancestry is its parent chain; GB/T 2260 has three levels below
// the country and the catalogue adds streets and towns, so a longer chain
// is a loop in the catalogue's data, not a deeper region.
constexpr int kMaxRegionDepth = 8;

// Asks the catalogue, remembering the regions it has read.
class CatalogueLookup {
 public:
  CatalogueLookup(const ServiceBackend& catalogue, cv1::CatalogueService::StubInterface* stub,
                  const grpc::ServerContext& context, const storage::Caller& caller,
                  absl::Time deadline)
      : catalogue_(catalogue),
        stub_(stub),
        context_(context),
        caller_(caller),
        deadline_(deadline) {}

  // The region or unit named, or NOT_FOUND (BadRequest on `field`), or
  // UNAVAILABLE CATALOGUE_UNAVAILABLE.
  absl::StatusOr<cv1::Region> Region(const std::string& name, absl::string_view field) {
    auto known = regions_.find(name);
    if (known != regions_.end()) return known->second;
    cv1::GetRegionRequest request;
    request.set_name(name);
    cv1::Region region;
    auto context = NewContext();
    absl::Status asked =
        Answer(stub_->GetRegion(context.get(), request, &region), field, "Region", name);
    if (!asked.ok()) return asked;
    regions_[name] = region;
    return region;
  }

  absl::StatusOr<cv1::Unit> Unit(const std::string& name, absl::string_view field) {
    cv1::GetUnitRequest request;
    request.set_name(name);
    cv1::Unit unit;
    auto context = NewContext();
    absl::Status asked = Answer(stub_->GetUnit(context.get(), request, &unit), field, "Unit", name);
    if (!asked.ok()) return asked;
    return unit;
  }

 private:
  // The caller's cancellation carries over; the catalogue checks the
  // report service as the one asking, and the caller as the one it asks for.
  std::unique_ptr<grpc::ClientContext> NewContext() const {
    auto context = grpc::ClientContext::FromServerContext(context_);
    context->set_deadline(absl::ToChronoTime(deadline_));
    // A catalogue being restarted is waited for, up to the deadline, rather
    // than refusing the submission at once.
    context->set_wait_for_ready(true);
    server::ActFor(*context, caller_);
    return context;
  }

  absl::Status Answer(const grpc::Status& status, absl::string_view field,
                      absl::string_view resource_type, const std::string& name) const {
    if (status.ok()) return absl::OkStatus();
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
      return errors::ReferenceNotFound(field, resource_type, name);
    }
    // Whatever else the catalogue says (down, too slow, refusing the report
    // service), the caller cannot fix it: the submission waits.
    return errors::Unavailable(
        "CATALOGUE_UNAVAILABLE",
        absl::StrCat("the catalogue at ", catalogue_.address, " could not check ", name, " (",
                     status.error_message(), "); nothing was stored, submit again"));
  }

  const ServiceBackend& catalogue_;
  cv1::CatalogueService::StubInterface* stub_;
  const grpc::ServerContext& context_;
  const storage::Caller& caller_;
  const absl::Time deadline_;
  std::map<std::string, cv1::Region> regions_;
};

std::string Describe(const cv1::Region& region) {
  return absl::StrCat(region.name(), " (", region.display_name(), ")");
}

// OK when `unit`'s region is `report_region` or lies below it.
absl::Status CheckInRegion(CatalogueLookup& lookup, const cv1::Unit& unit,
                           const cv1::Region& report_region, absl::string_view field) {
  std::string at = unit.region();
  std::vector<std::string> chain;
  for (int depth = 0; depth <= kMaxRegionDepth && !at.empty(); ++depth) {
    if (at == report_region.name()) return absl::OkStatus();
    auto region = lookup.Region(at, absl::StrCat(field, " (its region)"));
    if (!region.ok()) return region.status();
    chain.push_back(Describe(*region));
    at = region->parent();
  }
  return errors::FailedPrecondition(
      "FILER_OUTSIDE_REGION", field,
      absl::StrCat(unit.name(), " (", unit.display_name(), ") belongs to ",
                   absl::StrJoin(chain, " < "), ", not to ", Describe(report_region),
                   " or a region within it; file the report under the filer's own region"));
}

}  // namespace

ServiceBackend DialBackend(const std::string& address, const server::ChannelSecurity& security) {
  ServiceBackend backend;
  backend.address = address;
  grpc::ChannelArguments args = server::MakeChannelArguments();
  // A restarted service is found again within a fraction of a second rather
  // than after gRPC's default backoff (1 s growing to 120 s).
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  backend.channel = server::Dial(address, security, std::move(args));
  return backend;
}

void ValidateCoFilers(const v1::Report& report, errors::FieldViolations& violations) {
  if (report.co_filers_size() > limits::kMaxCoFilers) {
    violations.Add("report.co_filers",
                   absl::StrCat("names ", report.co_filers_size(), " units; a report has at most ",
                                limits::kMaxCoFilers, " co-filers"));
    return;
  }
  std::set<std::string> named = {report.filer()};
  for (int i = 0; i < report.co_filers_size(); ++i) {
    const std::string field = absl::StrCat("report.co_filers[", i, "]");
    const std::string& co_filer = report.co_filers(i);
    if (!api::CheckResourceName(violations, field, "units", co_filer)) continue;
    if (co_filer == report.filer()) {
      violations.Add(field, absl::StrCat(co_filer, " is the report's filer; name it once"));
    } else if (!named.insert(co_filer).second) {
      violations.Add(field, absl::StrCat(co_filer, " is named twice"));
    }
  }
}

absl::Status CheckMayFile(const fazhi::rules::v1::ReportRules& rules, const cv1::Unit& unit,
                          v1::ReportKind report_kind, absl::string_view field) {
  if (rules.filers().empty()) return absl::OkStatus();
  std::vector<std::string> allowed;
  for (const auto& row : rules.filers()) {
    if (row.unit_kind() != unit.kind()) continue;
    for (int kind : row.may_file()) {
      if (kind == report_kind) return absl::OkStatus();
      allowed.push_back(v1::ReportKind_Name(static_cast<v1::ReportKind>(kind)));
    }
  }
  return errors::FailedPrecondition(
      "FILER_KIND", field,
      absl::StrCat(unit.name(), " (", unit.display_name(), ") is a ",
                   cv1::UnitKind_Name(unit.kind()), ", which may not file a ",
                   v1::ReportKind_Name(report_kind), " (the rules file's filer table lets it file ",
                   allowed.empty() ? "nothing" : absl::StrJoin(allowed, ", "),
                   "); set report.kind, or file it as the unit that owes it"));
}

absl::Status CheckFilersInCatalogue(const ServiceBackend& catalogue,
                                    cv1::CatalogueService::StubInterface* stub,
                                    const grpc::ServerContext& context,
                                    const storage::Caller& caller, absl::Time now,
                                    const fazhi::rules::v1::ReportRules& rules,
                                    const v1::Report& report) {
  if (stub == nullptr) {
    return errors::Unavailable(
        "CATALOGUE_UNAVAILABLE",
        "the report service was started without a catalogue service, so no filer can be "
        "checked; nothing was stored");
  }
  const absl::Time deadline =
      std::min(absl::FromChrono(context.deadline()), now + catalogue.timeout);
  CatalogueLookup lookup(catalogue, stub, context, caller, deadline);
  auto region = lookup.Region(report.region(), "report.region");
  if (!region.ok()) return region.status();
  for (int i = -1; i < report.co_filers_size(); ++i) {
    const bool primary = i < 0;
    const std::string field = primary ? "report.filer" : absl::StrCat("report.co_filers[", i, "]");
    auto unit = lookup.Unit(primary ? report.filer() : report.co_filers(i), field);
    if (!unit.ok()) return unit.status();
    if (absl::Status in = CheckInRegion(lookup, *unit, *region, field); !in.ok()) return in;
    if (primary) {
      if (absl::Status may = CheckMayFile(rules, *unit, report.kind(), field); !may.ok()) {
        return may;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace fazhi::report
