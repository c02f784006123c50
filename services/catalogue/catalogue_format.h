// The migrations between the catalogue's store formats (catalogue_keys.h).
#ifndef FAZHI_SERVICES_CATALOGUE_CATALOGUE_FORMAT_H_
#define FAZHI_SERVICES_CATALOGUE_CATALOGUE_FORMAT_H_

#include <vector>

#include "common/storage/store_format.h"

namespace fazhi::catalogue {

// One step per format below keys::kStoreFormat, for storage::UpgradeFormat.
std::vector<storage::FormatMigration> CatalogueMigrations();

}  // namespace fazhi::catalogue

#endif  // FAZHI_SERVICES_CATALOGUE_CATALOGUE_FORMAT_H_
