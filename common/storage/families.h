// Column families, declared once per store.
//
// Each store names its column families with an enum class whose values are
// the RocksDB handle indexes (1..N; 0 is RocksDB's "default", which no store
// writes), and lists them once, in that order, in a FamilyTable:
//
//   enum class Family : size_t { kRecords = 1, kIndexes = 2 };
//   inline constexpr storage::FamilyTable<Family, 2> kFamilies = {{
//       {Family::kRecords, "records"},
//       {Family::kIndexes, "indexes"},
//   }};
//   static_assert(storage::InHandleOrder(kFamilies));
//
// Store::Open takes FamilyNames(kFamilies); a handle is then
// store.family(Family::kRecords), never a bare number.
#ifndef FAZHI_COMMON_STORAGE_FAMILIES_H_
#define FAZHI_COMMON_STORAGE_FAMILIES_H_

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace fazhi::storage {

template <typename Family>
struct FamilyEntry {
  Family family;
  const char* name;
};

template <typename Family, size_t N>
using FamilyTable = std::array<FamilyEntry<Family>, N>;

// True when entry i of `table` is handle i + 1: the table's order is the
// order in which Store::Open creates the handles.
template <typename Family, size_t N>
constexpr bool InHandleOrder(const FamilyTable<Family, N>& table) {
  for (size_t i = 0; i < N; ++i) {
    if (static_cast<size_t>(table[i].family) != i + 1) return false;
  }
  return true;
}

// The names of `table`, in handle order, for StoreOptions::column_families.
template <typename Family, size_t N>
std::vector<std::string> FamilyNames(const FamilyTable<Family, N>& table) {
  std::vector<std::string> names;
  names.reserve(N);
  for (const auto& entry : table) names.emplace_back(entry.name);
  return names;
}

}  // namespace fazhi::storage

#endif  // FAZHI_COMMON_STORAGE_FAMILIES_H_
