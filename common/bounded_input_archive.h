// BoundedInputArchive: a Cereal binary input archive over bytes in memory that checks every
// decoded length against the bytes actually left BEFORE anything is allocated. It reads the
// encoding of cereal::BinaryOutputArchive unchanged (native integers, 8-byte size tags).
//
// Cereal's own BinaryInputArchive resizes a string, vector or map to the size written in the
// input and only then reads the elements: 36 bytes claiming a 1 GiB string allocate 1 GiB.
// Here:
//   - every size tag (strings, vectors, maps, sets, ...) must be at most the number of bytes
//     left: a container claims at most one element per remaining byte. That also bounds
//     containers of elements whose encoding is 0 bytes (empty structs): their count can
//     never exceed the input's size, so neither can the loop that decodes them;
//   - a vector of numbers must have size * sizeof(T) bytes left (it is read in one copy);
//   - any other vector grows as its elements are decoded instead of being resized up front,
//     so that memory follows the bytes actually decoded, not the size claimed;
//   - a bool must be the byte 0 or 1.
// A violation throws cereal::Exception, which fromBytes() turns into a Corruption status.
//
// Peak allocation while decoding n bytes is then of the order of what a legitimate input of
// n bytes needs, whatever the input says.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <cereal/archives/binary.hpp>
#include <cereal/cereal.hpp>

namespace sluice {

class BoundedInputArchive
    : public cereal::InputArchive<BoundedInputArchive, cereal::AllowEmptyClassElision> {
 public:
  // bytes must outlive the archive.
  explicit BoundedInputArchive(std::string_view bytes)
      : cereal::InputArchive<BoundedInputArchive, cereal::AllowEmptyClassElision>(this),
        pos_(bytes.data()),
        end_(bytes.data() + bytes.size()) {}

  // Copies the next size bytes to data; throws cereal::Exception if fewer are left.
  void loadBinary(void* data, std::size_t size) {
    if (size > remaining()) {
      throw cereal::Exception("input ends: " + std::to_string(size) + " bytes needed, " +
                              std::to_string(remaining()) + " left");
    }
    if (size > 0) std::memcpy(data, pos_, size);
    pos_ += size;
  }

  // Throws cereal::Exception unless count elements of at least min_bytes each can still be
  // present in the input (min_bytes 0 counts as 1: at most one element per byte left).
  void checkCount(uint64_t count, std::size_t min_bytes = 1) const {
    uint64_t per = std::max<std::size_t>(min_bytes, 1);
    if (count > remaining() / per) {
      throw cereal::Exception("length " + std::to_string(count) + " claimed with only " +
                              std::to_string(remaining()) + " bytes left");
    }
  }

  std::size_t remaining() const { return static_cast<std::size_t>(end_ - pos_); }

 private:
  const char* pos_;
  const char* end_;
};

}  // namespace sluice

namespace cereal {

template <class T>
inline typename std::enable_if<std::is_arithmetic<T>::value, void>::type CEREAL_LOAD_FUNCTION_NAME(
    sluice::BoundedInputArchive& ar, T& t) {
  ar.loadBinary(std::addressof(t), sizeof(t));
}

// A bool is one byte, 0 or 1, as BinaryOutputArchive writes it; any other byte is refused
// (copied into a bool it would be undefined behaviour, found by the fuzzer).
inline void CEREAL_LOAD_FUNCTION_NAME(sluice::BoundedInputArchive& ar, bool& b) {
  unsigned char byte = 0;
  ar.loadBinary(&byte, 1);
  if (byte > 1) throw cereal::Exception("invalid bool byte " + std::to_string(byte));
  b = byte == 1;
}

template <class T>
inline void CEREAL_SERIALIZE_FUNCTION_NAME(sluice::BoundedInputArchive& ar, NameValuePair<T>& t) {
  ar(t.value);
}

// Every container's and string's length passes through here.
template <class T>
inline void CEREAL_SERIALIZE_FUNCTION_NAME(sluice::BoundedInputArchive& ar, SizeTag<T>& t) {
  uint64_t size = 0;
  ar.loadBinary(&size, sizeof size);
  ar.checkCount(size);
  t.size = static_cast<std::remove_reference_t<T>>(size);
}

template <class T>
inline void CEREAL_LOAD_FUNCTION_NAME(sluice::BoundedInputArchive& ar, BinaryData<T>& bd) {
  ar.loadBinary(bd.data, static_cast<std::size_t>(bd.size));
}

// Vectors of numbers: the whole array must be present before it is sized.
template <class T, class A>
inline typename std::enable_if<std::is_arithmetic<T>::value && !std::is_same<T, bool>::value,
                               void>::type
CEREAL_LOAD_FUNCTION_NAME(sluice::BoundedInputArchive& ar, std::vector<T, A>& vector) {
  uint64_t size = 0;
  ar.loadBinary(&size, sizeof size);
  ar.checkCount(size, sizeof(T));
  vector.resize(static_cast<std::size_t>(size));
  ar.loadBinary(vector.data(), static_cast<std::size_t>(size) * sizeof(T));
}

// Other vectors: grown element by element, so a claimed size costs nothing until decoded.
template <class T, class A>
inline typename std::enable_if<!std::is_arithmetic<T>::value, void>::type
CEREAL_LOAD_FUNCTION_NAME(sluice::BoundedInputArchive& ar, std::vector<T, A>& vector) {
  static_assert(!std::is_empty<T>::value,
                "a vector of empty elements encodes to its size tag alone: its length cannot be "
                "checked against the bytes left, so it cannot travel in a message");
  constexpr std::size_t kReserveAtMost = 1024;
  size_type size = 0;
  ar(make_size_tag(size));
  vector.clear();
  vector.reserve(std::min<std::size_t>(static_cast<std::size_t>(size), kReserveAtMost));
  for (size_type i = 0; i < size; ++i) {
    vector.emplace_back();
    ar(vector.back());
  }
}

}  // namespace cereal

CEREAL_REGISTER_ARCHIVE(sluice::BoundedInputArchive)

// Saves pair with loads for Cereal's checks; BinaryOutputArchive keeps BinaryInputArchive as
// its own input pair.
namespace cereal::traits::detail {
template <>
struct get_output_from_input<sluice::BoundedInputArchive> {
  using type = cereal::BinaryOutputArchive;
};
}  // namespace cereal::traits::detail
