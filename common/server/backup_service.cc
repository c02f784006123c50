#include "common/server/backup_service.h"

#include <filesystem>
#include <system_error>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/util/time_util.h"

namespace fazhi::server {
namespace {

namespace fs = std::filesystem;
namespace av1 = fazhi::admin::v1;

// Backup ids hold the time to the millisecond, fixed width so that name order
// is time order; parsing accepts any fraction.
constexpr char kTimeFormat[] = "%Y-%m-%dT%H%M%E3SZ";
constexpr char kTimeParseFormat[] = "%Y-%m-%dT%H%M%E*SZ";

int64_t SizeOfTree(const fs::path& dir) {
  int64_t total = 0;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) total += static_cast<int64_t>(entry.file_size(ec));
  }
  return total;
}

// The backup of directory `dir`, if its name is "<service>-<time>".
bool DescribeBackup(const fs::path& dir, const std::string& service, av1::Backup* backup) {
  const std::string id = dir.filename().string();
  const std::string prefix = service + "-";
  if (!absl::StartsWith(id, prefix)) return false;
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(kTimeParseFormat, id.substr(prefix.size()), absl::UTCTimeZone(), &time,
                       &error)) {
    return false;
  }
  backup->set_name(absl::StrCat("backups/", id));
  // Relative to the backup directory: the server's file system layout is
  // not the caller's business.
  backup->set_path(id);
  *backup->mutable_create_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(time));
  backup->set_size_bytes(SizeOfTree(dir));
  return true;
}

}  // namespace

BackupServiceImpl::BackupServiceImpl(const storage::Store* store, std::string service,
                                     std::string backup_dir, Authorizer& authorizer,
                                     storage::AuditTrail* trail)
    : store_(store),
      authorizer_(authorizer),
      rules_(authorizer.Register(av1::BackupService::service_full_name(),
                                 {{"CreateBackup", MethodRule::Needs(Permission::kAdminister)},
                                  {"ListBackups", MethodRule::Needs(Permission::kAdminister)}})),
      trail_(trail),
      service_(std::move(service)),
      backup_dir_(std::move(backup_dir)) {}

absl::StatusOr<av1::Backup> BackupServiceImpl::Create() {
  if (!mu_.TryLock()) {
    return errors::FailedPrecondition("BACKUP_RUNNING", service_,
                                      "a backup is being written; try again when it is done");
  }
  auto backup = CreateLocked();
  mu_.Unlock();
  return backup;
}

absl::StatusOr<av1::Backup> BackupServiceImpl::CreateLocked() {
  std::error_code ec;
  fs::create_directories(backup_dir_, ec);
  if (ec) {
    return errors::Internal("backup",
                            absl::StrCat("cannot create ", backup_dir_, ": ", ec.message()));
  }
  // Millisecond names; a second backup within the same millisecond waits.
  fs::path dir;
  do {
    dir = fs::path(backup_dir_) /
          absl::StrCat(service_, "-",
                       absl::FormatTime(kTimeFormat, absl::Now(), absl::UTCTimeZone()));
    if (fs::exists(dir)) absl::SleepFor(absl::Milliseconds(1));
  } while (fs::exists(dir));
  if (absl::Status s = store_->Checkpoint(dir.string()); !s.ok()) return s;
  av1::Backup backup;
  if (!DescribeBackup(dir, service_, &backup)) {
    return errors::Internal("backup", absl::StrCat("unreadable backup name ", dir.string()));
  }
  return backup;
}

absl::StatusOr<av1::ListBackupsResponse> BackupServiceImpl::List() const {
  av1::ListBackupsResponse response;
  std::error_code ec;
  if (!fs::exists(backup_dir_, ec)) return response;
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(backup_dir_, ec)) {
    if (entry.is_directory(ec)) dirs.push_back(entry.path());
  }
  if (ec) {
    return errors::Internal("backup",
                            absl::StrCat("cannot list ", backup_dir_, ": ", ec.message()));
  }
  // Names hold the time in a fixed-width form: newest first is name order reversed.
  std::sort(dirs.rbegin(), dirs.rend());
  for (const auto& dir : dirs) {
    av1::Backup backup;
    if (DescribeBackup(dir, service_, &backup)) *response.add_backups() = std::move(backup);
  }
  return response;
}

grpc::Status BackupServiceImpl::CreateBackup(grpc::ServerContext* context,
                                             const av1::CreateBackupRequest*,
                                             av1::Backup* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("CreateBackup"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto backup = Create();
  if (backup.ok() && trail_ != nullptr) {
    absl::Status audited = trail_->WriteCall(*caller, 0, absl::StrCat("created ", backup->name()));
    if (!audited.ok()) return ToGrpcStatus(audited);
  }
  return ReplyWith(std::move(backup), response);
}

grpc::Status BackupServiceImpl::ListBackups(grpc::ServerContext* context,
                                            const av1::ListBackupsRequest*,
                                            av1::ListBackupsResponse* response) {
  auto caller = authorizer_.Authorize(*context, rules_.Of("ListBackups"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return ReplyWith(List(), response);
}

std::string DefaultBackupDir(const std::string& data_dir) {
  fs::path path(data_dir);
  while (!path.empty() && path.filename().empty()) path = path.parent_path();  // trailing '/'
  return (path.parent_path() / "backups").string();
}

}  // namespace fazhi::server
