// XmlReader: a small reader for the XML subset of configuration files such as the fair
// scheduler allocation file: one root element, nested elements with quoted attributes,
// text content, comments, an optional <?xml ...?> declaration and the five predefined
// entities. No DTDs, namespaces or CDATA.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace sluice {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;  // the element's own text, entities decoded, whitespace trimmed
  std::vector<XmlElement> children;
  int line = 0;      // where the start tag is (1-based)
};

// The root element of text. A syntax error is one message that names the line where the
// faulty construct starts and what is wrong with it ("line 7: '</pool' is not closed by '>'").
StatusOr<XmlElement> parseXml(const std::string& text);

}  // namespace sluice
