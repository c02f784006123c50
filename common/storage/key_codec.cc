#include "common/storage/key_codec.h"

namespace fazhi::storage {

namespace {

void AppendBigEndian(std::string& out, uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

}  // namespace

KeyBuilder& KeyBuilder::AddUint32(uint32_t value) {
  AppendBigEndian(key_, value, 4);
  return *this;
}

KeyBuilder& KeyBuilder::AddUint64(uint64_t value) {
  AppendBigEndian(key_, value, 8);
  return *this;
}

std::string EncodeUint32(uint32_t value) {
  std::string out;
  AppendBigEndian(out, value, 4);
  return out;
}

std::string EncodeUint64(uint64_t value) {
  std::string out;
  AppendBigEndian(out, value, 8);
  return out;
}

KeyBuilder& KeyBuilder::AddString(absl::string_view value) {
  for (char c : value) {
    key_.push_back(c);
    if (c == '\0') key_.push_back('\xff');
  }
  key_.push_back('\0');
  key_.push_back('\x01');
  return *this;
}

bool KeyReader::ReadTag(char* tag) {
  if (rest_.empty()) return false;
  *tag = rest_[0];
  rest_.remove_prefix(1);
  return true;
}

bool KeyReader::ReadUint32(uint32_t* value) {
  if (rest_.size() < 4) return false;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(rest_[i]);
  rest_.remove_prefix(4);
  *value = v;
  return true;
}

bool KeyReader::ReadUint64(uint64_t* value) {
  if (rest_.size() < 8) return false;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(rest_[i]);
  rest_.remove_prefix(8);
  *value = v;
  return true;
}

bool KeyReader::ReadString(std::string* value) {
  std::string out;
  for (size_t i = 0; i < rest_.size(); ++i) {
    char c = rest_[i];
    if (c != '\0') {
      out.push_back(c);
      continue;
    }
    if (i + 1 >= rest_.size()) break;
    char next = rest_[i + 1];
    if (next == '\x01') {
      rest_.remove_prefix(i + 2);
      *value = std::move(out);
      return true;
    }
    if (next != '\xff') break;
    out.push_back('\0');
    ++i;
  }
  rest_ = absl::string_view();
  return false;
}

std::string PrefixSuccessor(absl::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    unsigned char last = static_cast<unsigned char>(s.back());
    if (last != 0xff) {
      s.back() = static_cast<char>(last + 1);
      return s;
    }
    s.pop_back();
  }
  return s;
}

}  // namespace fazhi::storage
