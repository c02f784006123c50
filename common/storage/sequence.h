// Named counters: the one way a store numbers what it creates (observation
// ids, report numbers, search documents, rules changes).
//
// A counter lives in the store's meta family under
//
//   's' | name escaped | 00 01          -> next number, u64 big-endian
//   73  | "observation" 00 01           -> 00 00 00 00 00 00 00 2b   (42 taken)
//
// A missing key means nothing was taken yet: the next number is 1. A value
// that is not 8 bytes is DATA_LOSS.
//
// Numbers are handed out for one write at a time: the writer holds its
// store's write mutex from StartDraw until the batch is written, takes as
// many numbers as it needs, and stages the counter's new value into that
// batch, so the numbers and what they name are written together or not at
// all (a failed write hands the same numbers to the next one).
#ifndef FAZHI_COMMON_STORAGE_SEQUENCE_H_
#define FAZHI_COMMON_STORAGE_SEQUENCE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/store.h"

namespace fazhi::storage {

class SequenceDraw;

class SequenceCounter {
 public:
  // The counter `name` in `meta` of `store` (both outlive it and every draw).
  SequenceCounter(const Store& store, rocksdb::ColumnFamilyHandle* meta, absl::string_view name);

  // The number the next draw hands out first (1 for a new counter).
  absl::StatusOr<uint64_t> Peek() const;

  // Starts taking numbers for one write (see SequenceDraw).
  SequenceDraw StartDraw() const;

  // The counter's key (for a migration that sets it from existing data).
  std::string Key() const;
  // The value that makes `next` the next number handed out.
  static std::string EncodeNext(uint64_t next);

 private:
  friend class SequenceDraw;
  const Store* store_;
  rocksdb::ColumnFamilyHandle* meta_;
  std::string name_;
};

// The numbers one write takes from a counter. Reads the stored value at the
// first Take; holds its own copy of the counter, so it may outlive the
// SequenceCounter it came from.
class SequenceDraw {
 public:
  // The next number.
  absl::StatusOr<uint64_t> Take();
  // The next number for which `taken(n)` is false (an id a client chose
  // itself), so a generated id never collides with a chosen one; the numbers
  // skipped are used up. INTERNAL after 10,000 taken in a row.
  absl::StatusOr<uint64_t> TakeFree(const std::function<absl::StatusOr<bool>(uint64_t)>& taken);
  // Puts the counter's new value into `batch` when anything was taken.
  void Stage(rocksdb::WriteBatch& batch) const;
  bool took_any() const { return next_ != 0 && next_ != first_; }

 private:
  friend class SequenceCounter;
  explicit SequenceDraw(SequenceCounter counter) : counter_(std::move(counter)) {}
  SequenceCounter counter_;
  uint64_t first_ = 0;  // the stored value when read; 0 before
  uint64_t next_ = 0;
};

}  // namespace fazhi::storage

#endif  // FAZHI_COMMON_STORAGE_SEQUENCE_H_
