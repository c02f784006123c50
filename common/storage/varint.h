// Varints (7 bits a byte, low bits first, the high bit set on every byte but
// the last) for lengths and deltas inside stored values. Not for keys: they
// do not sort (keys use key_codec.h).
#ifndef FAZHI_COMMON_STORAGE_VARINT_H_
#define FAZHI_COMMON_STORAGE_VARINT_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace fazhi::storage {

inline void AppendVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

namespace varint_internal {
// Reads at most `max_bytes` bytes of a varint from the front of `in`.
inline bool Read(absl::string_view& in, int max_bytes, uint64_t* value) {
  *value = 0;
  for (int i = 0, shift = 0; i < max_bytes && i < static_cast<int>(in.size()); ++i, shift += 7) {
    const auto byte = static_cast<unsigned char>(in[i]);
    *value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      in.remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}
}  // namespace varint_internal

// Reads a varint from the front of `in` and drops it from `in`. False, with
// `in` as it was, when `in` ends inside the varint or it runs past 10 bytes
// (ReadVarint) or 5 bytes (ReadVarint32, which keeps the low 32 bits).
inline bool ReadVarint(absl::string_view& in, uint64_t* value) {
  return varint_internal::Read(in, 10, value);
}
inline bool ReadVarint32(absl::string_view& in, uint32_t* value) {
  uint64_t wide = 0;
  if (!varint_internal::Read(in, 5, &wide)) return false;
  *value = static_cast<uint32_t>(wide);
  return true;
}

}  // namespace fazhi::storage

#endif  // FAZHI_COMMON_STORAGE_VARINT_H_
