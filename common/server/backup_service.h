// fazhi.admin.v1.BackupService for a server with a RocksDB store: online
// backups as RocksDB checkpoints in a backup directory (see the proto).
#ifndef FAZHI_COMMON_SERVER_BACKUP_SERVICE_H_
#define FAZHI_COMMON_SERVER_BACKUP_SERVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/server/authorizer.h"
#include "common/storage/store.h"
#include "fazhi/admin/v1/backup_service.grpc.pb.h"

namespace fazhi::server {

class BackupServiceImpl final : public fazhi::admin::v1::BackupService::Service {
 public:
  // `service` names the backups ("catalogue-…"); `backup_dir` is created on
  // the first backup. The store and the authorizer must outlive this. Both
  // methods are for system administrators.
  // Each backup taken leaves an entry in `trail`.
  BackupServiceImpl(const storage::Store* store, std::string service, std::string backup_dir,
                    Authorizer& authorizer, storage::AuditTrail* trail);

  grpc::Status CreateBackup(grpc::ServerContext* context,
                            const fazhi::admin::v1::CreateBackupRequest* request,
                            fazhi::admin::v1::Backup* response) override;
  grpc::Status ListBackups(grpc::ServerContext* context,
                           const fazhi::admin::v1::ListBackupsRequest* request,
                           fazhi::admin::v1::ListBackupsResponse* response) override;

  // The same, for callers in the process (tests, a signal handler).
  absl::StatusOr<fazhi::admin::v1::Backup> Create();
  absl::StatusOr<fazhi::admin::v1::ListBackupsResponse> List() const;

 private:
  absl::StatusOr<fazhi::admin::v1::Backup> CreateLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const storage::Store* store_;
  const Authorizer& authorizer_;
  const MethodRules& rules_;
  storage::AuditTrail* trail_;
  const std::string service_;
  const std::string backup_dir_;
  absl::Mutex mu_;  // one backup at a time
};

// The default backup directory for a data directory: "backups" beside it
// ("/var/lib/fazhi/db" -> "/var/lib/fazhi/backups"; "var/catalogue" ->
// "var/backups").
std::string DefaultBackupDir(const std::string& data_dir);

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_BACKUP_SERVICE_H_
