#include "bench/ysb/event_parser.h"

#include <bit>
#include <charconv>
#include <cstring>
#include <optional>

#include <nlohmann/json.hpp>

namespace sluice::ysb {
namespace {

// The fields of the schema, one bit each.
enum Field : unsigned {
  kUserId = 1u << 0,
  kPageId = 1u << 1,
  kAdId = 1u << 2,
  kAdType = 1u << 3,
  kEventType = 1u << 4,
  kEventTime = 1u << 5,
  kIpAddress = 1u << 6,
  kAllFields = (1u << 7) - 1,
};

std::optional<Field> fieldNamed(std::string_view key) {
  switch (key.size()) {
    case 5:
      if (key == "ad_id") return kAdId;
      break;
    case 7:
      if (key == "user_id") return kUserId;
      if (key == "page_id") return kPageId;
      if (key == "ad_type") return kAdType;
      break;
    case 10:
      if (key == "event_type") return kEventType;
      if (key == "event_time") return kEventTime;
      if (key == "ip_address") return kIpAddress;
      break;
  }
  return std::nullopt;
}

template <class Enum, size_t N>
Enum enumNamed(std::string_view text, const std::array<std::string_view, N>& names, Enum other) {
  for (size_t i = 0; i < N; ++i)
    if (text == names[i]) return static_cast<Enum>(i);
  return other;
}

std::optional<int64_t> parseMillis(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<uint32_t> parseIpv4(std::string_view text) {
  uint32_t ip = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (p == end || *p != '.') return std::nullopt;
      ++p;
    }
    unsigned octet = 0;
    auto [next, ec] = std::from_chars(p, end, octet);
    if (ec != std::errc() || next == p || next - p > 3 || octet > 255) return std::nullopt;
    ip = (ip << 8) | octet;
    p = next;
  }
  if (p != end) return std::nullopt;
  return ip;
}

// Decodes one field's value text into e; false when it does not decode.
bool setField(Field f, std::string_view value, AdEvent& e) {
  switch (f) {
    case kUserId:
    case kPageId:
    case kAdId: {
      auto id = parseUuid(value);
      if (!id) return false;
      (f == kUserId ? e.user_id : f == kPageId ? e.page_id : e.ad_id) = *id;
      return true;
    }
    case kAdType:
      e.ad_type = enumNamed(value, kAdTypeNames, AdType::kOther);
      return true;
    case kEventType:
      e.event_type = enumNamed(value, kEventTypeNames, EventType::kOther);
      return true;
    case kEventTime: {
      auto t = parseMillis(value);
      if (!t) return false;
      e.event_time = *t;
      return true;
    }
    case kIpAddress: {
      auto ip = parseIpv4(value);
      if (!ip) return false;
      e.ip_address = *ip;
      return true;
    }
    default:
      return false;
  }
}

// The first '"' or '\\' in [p, end), or end: eight bytes at a time (SWAR), since the strings
// of an event (UUIDs mostly) are most of its bytes. In a word, the lowest byte flagged by
// the has-zero-byte test is a true match (a false flag needs a borrow from a lower match).
static_assert(std::endian::native == std::endian::little, "the word scan takes the lowest byte as the first");
inline const char* findQuoteOrBackslash(const char* p, const char* end) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  while (end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, sizeof w);
    uint64_t q = w ^ (kOnes * '"');
    uint64_t b = w ^ (kOnes * '\\');
    uint64_t hits = (((q - kOnes) & ~q) | ((b - kOnes) & ~b)) & kHighs;
    if (hits != 0) return p + (std::countr_zero(hits) >> 3);
    p += 8;
  }
  while (p != end && *p != '"' && *p != '\\') ++p;
  return p;
}

inline bool isJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A cursor over the text; every read checks the end.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  void skipSpace() {
    while (p_ != end_ && isJsonSpace(*p_)) ++p_;
  }
  bool atEnd() const { return p_ == end_; }
  bool consume(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  char peek() const { return p_ == end_ ? '\0' : *p_; }
  // After an opening quote: the string's raw text up to the closing quote, which is
  // consumed; *escaped tells whether it holds a backslash escape.
  std::optional<std::string_view> string(bool* escaped) {
    const char* start = p_;
    *escaped = false;
    for (const char* q = findQuoteOrBackslash(p_, end_);; q = findQuoteOrBackslash(q + 2, end_)) {
      if (q == end_) return std::nullopt;
      if (*q == '"') {
        p_ = q + 1;
        return std::string_view(start, static_cast<size_t>(q - start));
      }
      *escaped = true;  // a backslash: the next character is escaped, whatever it is
      if (end_ - q < 2) return std::nullopt;
    }
  }
  // A number or literal: everything up to the next delimiter.
  std::string_view bareValue() {
    const char* start = p_;
    while (p_ != end_ && *p_ != ',' && *p_ != '}' && !isJsonSpace(*p_)) ++p_;
    return std::string_view(start, static_cast<size_t>(p_ - start));
  }

 private:
  const char* p_;
  const char* end_;
};

// The fast path: the text exactly as YSB's generator writes it (event_generator.h: these
// keys in this order, one space after each ':' and ',', nothing around the braces). It
// decodes every field as the scanner does and answers only when the whole text is in that
// layout; anything else (another order, other spacing, an escape, an unknown key) returns
// false and goes to the scanner. Most of the scanner's time is finding keys and matching
// them by name, which the fixed layout makes a comparison at a known offset.
class CanonicalLayout {
 public:
  explicit CanonicalLayout(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  bool literal(std::string_view text) {
    if (static_cast<size_t>(end_ - p_) < text.size() || std::memcmp(p_, text.data(), text.size()) != 0) return false;
    p_ += text.size();
    return true;
  }
  // A string value's text up to its closing quote (not consumed); nullopt when it holds a
  // backslash or does not end.
  std::optional<std::string_view> value() {
    const char* q = findQuoteOrBackslash(p_, end_);
    if (q == end_ || *q != '"') return std::nullopt;
    std::string_view v(p_, static_cast<size_t>(q - p_));
    p_ = q;
    return v;
  }
  bool uuid(Uuid* out) {
    if (static_cast<size_t>(end_ - p_) < kUuidChars) return false;
    auto id = parseUuid(std::string_view(p_, kUuidChars));
    if (!id) return false;
    *out = *id;
    p_ += kUuidChars;
    return true;
  }
  bool atEnd() const { return p_ == end_; }

 private:
  const char* p_;
  const char* end_;
};

bool parseCanonical(std::string_view json, AdEvent& e) {
  CanonicalLayout in(json);
  if (!in.literal(R"({"user_id": ")") || !in.uuid(&e.user_id) || !in.literal(R"(", "page_id": ")") ||
      !in.uuid(&e.page_id) || !in.literal(R"(", "ad_id": ")") || !in.uuid(&e.ad_id) ||
      !in.literal(R"(", "ad_type": ")")) {
    return false;
  }
  auto ad_type = in.value();
  if (!ad_type || !in.literal(R"(", "event_type": ")")) return false;
  auto event_type = in.value();
  if (!event_type || !in.literal(R"(", "event_time": ")")) return false;
  auto event_time = in.value();
  if (!event_time || !in.literal(R"(", "ip_address": ")")) return false;
  auto ip = in.value();
  if (!ip || !in.literal(R"("})") || !in.atEnd()) return false;
  e.ad_type = enumNamed(*ad_type, kAdTypeNames, AdType::kOther);
  e.event_type = enumNamed(*event_type, kEventTypeNames, EventType::kOther);
  // A value that does not decode makes an invalid event, with the fields before it set, as
  // the scanner leaves it.
  auto t = parseMillis(*event_time);
  if (!t) return true;
  e.event_time = *t;
  auto address = parseIpv4(*ip);
  if (!address) return true;
  e.ip_address = *address;
  e.valid = true;
  return true;
}

}  // namespace

AdEvent parseAdEvent(std::string_view json) {
  AdEvent e;
  if (parseCanonical(json, e)) return e;
  return scanAdEvent(json);
}

AdEvent scanAdEvent(std::string_view json) {
  AdEvent e;
  Scanner in(json);
  unsigned seen = 0;
  in.skipSpace();
  if (!in.consume('{')) return e;
  in.skipSpace();
  if (in.consume('}')) return e;  // {}: no field
  for (;;) {
    in.skipSpace();
    bool escaped = false;
    if (!in.consume('"')) return e;
    auto key = in.string(&escaped);
    if (!key) return e;
    in.skipSpace();
    if (!in.consume(':')) return e;
    in.skipSpace();
    std::string_view value;
    bool value_escaped = false;
    if (in.consume('"')) {
      auto s = in.string(&value_escaped);
      if (!s) return e;
      value = *s;
    } else {
      char c = in.peek();
      if (c == '{' || c == '[' || c == '\0') return e;
      value = in.bareValue();
      if (value.empty()) return e;
    }
    auto field = escaped ? std::nullopt : fieldNamed(*key);
    if (field) {
      if ((seen & *field) != 0 || value_escaped || !setField(*field, value, e)) return e;
      seen |= *field;
    }
    in.skipSpace();
    if (in.consume(',')) continue;
    if (in.consume('}')) break;
    return e;
  }
  in.skipSpace();
  e.valid = in.atEnd() && seen == kAllFields;
  return e;
}

AdEvent parseAdEventNlohmann(std::string_view json) {
  AdEvent e;
  auto doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return e;
  unsigned seen = 0;
  for (const auto& [key, value] : doc.items()) {
    auto field = fieldNamed(key);
    if (!field) continue;
    std::string text;
    if (value.is_string()) {
      text = value.get<std::string>();
    } else if (value.is_number_integer()) {
      text = std::to_string(value.get<int64_t>());
    } else {
      return e;
    }
    if (!setField(*field, text, e)) return e;
    seen |= *field;
  }
  e.valid = seen == kAllFields;
  return e;
}

}  // namespace sluice::ysb
