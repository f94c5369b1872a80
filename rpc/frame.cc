#include "rpc/frame.h"

#include <cassert>
#include <cstdio>
#include <limits>

namespace sluice::rpc {

namespace {

// Header field offsets; the layout is drawn in frame.h and rpc/FORMAT.md.
constexpr size_t kMagicOffset = 0;
constexpr size_t kTagOffset = 4;
constexpr size_t kFlagsOffset = 6;
constexpr size_t kCorrelationOffset = 8;
constexpr size_t kLengthOffset = 16;
static_assert(kLengthOffset + 4 == kFrameHeaderSize);

void putLittleEndian(char* dst, uint64_t value, size_t width) {
  for (size_t i = 0; i < width; ++i) dst[i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

uint64_t getLittleEndian(const unsigned char* src, size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value |= uint64_t{src[i]} << (8 * i);
  return value;
}

std::string hex32(uint32_t value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", value);
  return buf;
}

}  // namespace

std::string encodeFrame(MessageTag tag, std::string_view payload, uint64_t correlation,
                        uint16_t flags) {
  assert(payload.size() <= std::numeric_limits<uint32_t>::max());
  std::string frame(kFrameHeaderSize + payload.size(), '\0');
  char* header = frame.data();
  putLittleEndian(header + kMagicOffset, kFrameMagic, 4);
  putLittleEndian(header + kTagOffset, static_cast<uint16_t>(tag), 2);
  putLittleEndian(header + kFlagsOffset, flags, 2);
  putLittleEndian(header + kCorrelationOffset, correlation, 8);
  putLittleEndian(header + kLengthOffset, payload.size(), 4);
  if (!payload.empty()) frame.replace(kFrameHeaderSize, payload.size(), payload);
  return frame;
}

StatusOr<Envelope> decodeFrame(const void* data, size_t size, size_t max_bytes) {
  if (size < kFrameHeaderSize) {
    return Status::corruption("truncated frame: " + std::to_string(size) + " bytes, header needs " +
                              std::to_string(kFrameHeaderSize));
  }
  if (size > max_bytes) {
    return Status::corruption("frame of " + std::to_string(size) + " bytes exceeds the limit of " +
                              std::to_string(max_bytes));
  }
  const auto* bytes = static_cast<const unsigned char*>(data);
  auto magic = static_cast<uint32_t>(getLittleEndian(bytes + kMagicOffset, 4));
  if (magic != kFrameMagic) {
    return Status::corruption("bad frame magic " + hex32(magic) + " (expected " +
                              hex32(kFrameMagic) + ")");
  }
  auto tag = static_cast<uint16_t>(getLittleEndian(bytes + kTagOffset, 2));
  if (!isKnownTag(tag)) return Status::corruption("unknown message tag " + std::to_string(tag));
  uint64_t declared = getLittleEndian(bytes + kLengthOffset, 4);
  size_t actual = size - kFrameHeaderSize;
  if (declared != actual) {
    const char* what = declared > actual ? "truncated frame" : "trailing bytes in frame";
    return Status::corruption(std::string(what) + ": header says " + std::to_string(declared) +
                              " payload bytes, frame has " + std::to_string(actual));
  }
  Envelope env;
  env.tag = static_cast<MessageTag>(tag);
  env.flags = static_cast<uint16_t>(getLittleEndian(bytes + kFlagsOffset, 2));
  env.correlation = getLittleEndian(bytes + kCorrelationOffset, 8);
  env.payload.assign(reinterpret_cast<const char*>(bytes) + kFrameHeaderSize, actual);
  return env;
}

}  // namespace sluice::rpc
