// Parsing a YSB event's JSON text (event_generator.h has the schema) into an AdEvent.
//
// Two parsers with one result:
// - parseAdEvent: a scanner written for this flat schema, as YSB's ports to other engines
//   do. It reads any flat JSON object whose values are strings, numbers, true, false or null:
//   keys in any order, whitespace wherever JSON allows it, unknown keys skipped, escapes
//   inside strings stepped over (a field the pipeline decodes that holds an escape does not
//   decode). It refuses nested objects and arrays, a missing or repeated known field, and
//   anything after the closing brace. It allocates nothing. Text in exactly the layout of
//   YSB's generator (its key order and spacing) takes a fast path that compares the fixed
//   parts at their offsets instead of scanning for keys; anything else is scanned.
// - parseAdEventNlohmann: the same through nlohmann::json (a full DOM per event), for
//   comparison (bench/README.md has both costs).
// Both return an event with valid == false when the text is not a YSB event: not a JSON
// object, a field missing, a UUID, time or address that does not decode. event_time may be
// a string of digits (YSB writes it so) or a number. An event_type or ad_type outside YSB's
// values is kOther, not an error.
#pragma once

#include <string_view>

#include "bench/ysb/ad_event.h"

namespace sluice::ysb {

AdEvent parseAdEvent(std::string_view json);
// parseAdEvent without the fast path: the scanner on any text.
AdEvent scanAdEvent(std::string_view json);
AdEvent parseAdEventNlohmann(std::string_view json);

}  // namespace sluice::ysb
