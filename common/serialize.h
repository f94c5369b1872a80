// Cereal binary serialization to and from std::string, with the library's exceptions turned
// into Status values at this one call site (STYLE.md 3).
#pragma once

#include <streambuf>
#include <string>
#include <string_view>

#include <cereal/archives/binary.hpp>
#include <cereal/types/chrono.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/memory.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/set.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/tuple.hpp>
#include <cereal/types/unordered_map.hpp>
#include <cereal/types/utility.hpp>
#include <cereal/types/variant.hpp>
#include <cereal/types/vector.hpp>

#include "common/bounded_input_archive.h"
#include "common/status.h"

namespace sluice {

// An output streambuf that appends to a std::string it does not own.
// *out must outlive the buffer.
class StringSinkBuf : public std::streambuf {
 public:
  explicit StringSinkBuf(std::string* out) : out_(out) {}

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    out_->append(s, static_cast<size_t>(n));
    return n;
  }
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) out_->push_back(static_cast<char>(c));
    return c;
  }

 private:
  std::string* out_;
};

// An input streambuf over bytes it does not own; they must outlive the buffer.
class ViewSourceBuf : public std::streambuf {
 public:
  explicit ViewSourceBuf(std::string_view bytes) {
    char* p = const_cast<char*>(bytes.data());
    setg(p, p, p + bytes.size());
  }
};

// Appends the Cereal binary encoding of each value to *out.
template <class... Ts>
void appendBytes(std::string* out, const Ts&... values) {
  StringSinkBuf buf(out);
  std::ostream os(&buf);
  cereal::BinaryOutputArchive ar(os);
  ar(values...);
}

template <class... Ts>
std::string toBytes(const Ts&... values) {
  std::string out;
  appendBytes(&out, values...);
  return out;
}

// Decodes values from bytes; a truncated or malformed input is a Corruption status. Every
// length in the input is checked against the bytes left before anything is allocated (see
// BoundedInputArchive), so a few bytes claiming a huge string or vector are refused cheaply.
template <class... Ts>
Status fromBytes(std::string_view bytes, Ts&... values) {
  try {
    BoundedInputArchive ar(bytes);
    ar(values...);
  } catch (const std::exception& e) {
    return Status::corruption(std::string("cannot decode ") + std::to_string(bytes.size()) +
                              " bytes: " + e.what());
  }
  return Status::ok();
}

}  // namespace sluice
