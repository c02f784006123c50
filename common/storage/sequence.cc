#include "common/storage/sequence.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"

namespace fazhi::storage {
namespace {

constexpr char kCounterTag = 's';
constexpr uint64_t kMaxSkipped = 10000;

}  // namespace

SequenceCounter::SequenceCounter(const Store& store, rocksdb::ColumnFamilyHandle* meta,
                                 absl::string_view name)
    : store_(&store), meta_(meta), name_(name) {}

SequenceDraw SequenceCounter::StartDraw() const { return SequenceDraw(*this); }

std::string SequenceCounter::Key() const {
  return KeyBuilder(kCounterTag).AddString(name_).Build();
}

std::string SequenceCounter::EncodeNext(uint64_t next) { return EncodeUint64(next); }

absl::StatusOr<uint64_t> SequenceCounter::Peek() const {
  auto current = store_->Get(meta_, Key());
  if (!current.ok()) return current.status();
  if (!current->has_value()) return 1;
  uint64_t next = 0;
  KeyReader reader(**current);
  if (!reader.ReadUint64(&next) || !reader.Done()) {
    return errors::DataLoss(absl::StrCat("counter ", name_, " is malformed"));
  }
  return next;
}

absl::StatusOr<uint64_t> SequenceDraw::Take() {
  if (next_ == 0) {
    auto stored = counter_.Peek();
    if (!stored.ok()) return stored.status();
    first_ = next_ = *stored;
  }
  return next_++;
}

absl::StatusOr<uint64_t> SequenceDraw::TakeFree(
    const std::function<absl::StatusOr<bool>(uint64_t)>& taken) {
  for (uint64_t skipped = 0; skipped < kMaxSkipped; ++skipped) {
    auto n = Take();
    if (!n.ok()) return n.status();
    auto is_taken = taken(*n);
    if (!is_taken.ok()) return is_taken.status();
    if (!*is_taken) return *n;
  }
  return errors::Internal("store",
                          absl::StrCat("counter ", counter_.name_, " found no free number"));
}

void SequenceDraw::Stage(rocksdb::WriteBatch& batch) const {
  if (took_any()) batch.Put(counter_.meta_, counter_.Key(), SequenceCounter::EncodeNext(next_));
}

}  // namespace fazhi::storage
