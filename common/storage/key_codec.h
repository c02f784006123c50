// Order-preserving key encoding for RocksDB.
//
// A key is a one-byte format tag followed by components. Comparing two
// encoded keys bytewise orders them as their components would order,
// component by component, so a range scan over a prefix visits records in
// the order the API promises.
//
//   uint32   4 bytes, big-endian                 00 00 07 e7        (2023)
//   uint64   8 bytes, big-endian
//   string   bytes with 0x00 escaped as 00 ff, then the terminator 00 01:
//            "ab"      -> 61 62 00 01
//            "a\0b"    -> 61 00 ff 62 00 01
//            Because the terminator (00 01) sorts below every escaped or
//            plain byte, "a" < "ab" and "a" < "a\0" hold after encoding.
//
// Example, the catalogue's project-by-region index (tag 'r'):
//   72 | "310113" 00 01 | 00 00 07 e7 | "y2023-excellent" 00 01
#ifndef FAZHI_COMMON_STORAGE_KEY_CODEC_H_
#define FAZHI_COMMON_STORAGE_KEY_CODEC_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace fazhi::storage {

// Builds one key. Cheap to copy; Build() may be called more than once.
class KeyBuilder {
 public:
  explicit KeyBuilder(char tag) { key_.push_back(tag); }

  KeyBuilder& AddUint32(uint32_t value);
  KeyBuilder& AddUint64(uint64_t value);
  KeyBuilder& AddString(absl::string_view value);

  const std::string& Build() const { return key_; }

 private:
  std::string key_;
};

// Reads a key back, component by component. Each Read* returns false, and
// leaves the reader unusable, when the bytes are not that component.
class KeyReader {
 public:
  explicit KeyReader(absl::string_view key) : rest_(key) {}

  bool ReadTag(char* tag);
  bool ReadUint32(uint32_t* value);
  bool ReadUint64(uint64_t* value);
  bool ReadString(std::string* value);
  // True when every byte has been read.
  bool Done() const { return rest_.empty(); }

 private:
  absl::string_view rest_;
};

// A bare component, without a tag: for values that hold a number (counters,
// format stamps, document numbers) and for token parts. KeyReader reads it
// back.
std::string EncodeUint32(uint32_t value);
std::string EncodeUint64(uint64_t value);

// The smallest key greater than every key that starts with `prefix`, or ""
// when none exists (prefix all 0xff). For iterate_upper_bound.
std::string PrefixSuccessor(absl::string_view prefix);

}  // namespace fazhi::storage

#endif  // FAZHI_COMMON_STORAGE_KEY_CODEC_H_
