#include "scheduler/xml_reader.h"

#include <cctype>

namespace sluice {
namespace {

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  StatusOr<XmlElement> document() {
    if (!skipMisc()) return error("unterminated comment or declaration");
    if (!startsWith("<")) return error("expected the root element");
    XmlElement root;
    if (auto st = element(root); !st.isOk()) return st;
    if (!skipMisc()) return error("unterminated comment or declaration");
    if (pos_ < s_.size()) return error("unexpected content after the root element </" + root.name + ">");
    return root;
  }

 private:
  Status error(const std::string& what) const {
    return Status::invalidArgument("line " + std::to_string(line()) + ": " + what);
  }
  int line() const {
    int n = 1;
    for (size_t i = 0; i < pos_ && i < s_.size(); ++i) n += s_[i] == '\n';
    return n;
  }
  bool startsWith(const char* p) const { return s_.compare(pos_, std::char_traits<char>::length(p), p) == 0; }
  void skipSpace() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  // Whitespace, comments and processing instructions between elements.
  bool skipMisc() {
    while (true) {
      skipSpace();
      if (startsWith("<!--")) {
        size_t end = s_.find("-->", pos_ + 4);
        if (end == std::string::npos) return false;
        pos_ = end + 3;
      } else if (startsWith("<?")) {
        size_t end = s_.find("?>", pos_ + 2);
        if (end == std::string::npos) return false;
        pos_ = end + 2;
      } else {
        return true;
      }
    }
  }
  std::string name() {
    size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_' ||
                                s_[pos_] == '-' || s_[pos_] == '.' || s_[pos_] == ':')) {
      ++pos_;
    }
    return s_.substr(start, pos_ - start);
  }
  StatusOr<std::string> decode(const std::string& raw) const {
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      size_t semi = raw.find(';', i);
      std::string ent = semi == std::string::npos ? raw.substr(i) : raw.substr(i + 1, semi - i - 1);
      if (ent == "lt") out += '<';
      else if (ent == "gt") out += '>';
      else if (ent == "amp") out += '&';
      else if (ent == "quot") out += '"';
      else if (ent == "apos") out += '\'';
      else return error("unknown entity &" + ent + ";");
      i = semi;
    }
    return out;
  }

  Status element(XmlElement& el) {
    el.line = line();
    ++pos_;  // '<'
    el.name = name();
    if (el.name.empty()) return error("expected an element name after '<'");
    while (true) {
      skipSpace();
      if (pos_ >= s_.size()) return error("unterminated start tag <" + el.name);
      if (startsWith("/>")) {
        pos_ += 2;
        return Status::ok();
      }
      if (s_[pos_] == '>') {
        ++pos_;
        break;
      }
      std::string attr = name();
      if (attr.empty()) return error("unexpected '" + std::string(1, s_[pos_]) + "' in <" + el.name + ">");
      skipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '=') return error("expected '=' after attribute " + attr);
      ++pos_;
      skipSpace();
      if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) {
        return error("expected a quoted value for attribute " + attr);
      }
      char quote = s_[pos_++];
      size_t end = s_.find(quote, pos_);
      if (end == std::string::npos) return error("unterminated value of attribute " + attr);
      auto value = decode(s_.substr(pos_, end - pos_));
      if (!value) return value.status();
      el.attributes[attr] = std::move(*value);
      pos_ = end + 1;
    }
    std::string text;
    while (true) {
      if (pos_ >= s_.size()) return error("element <" + el.name + "> is not closed");
      if (startsWith("<!--")) {
        size_t end = s_.find("-->", pos_ + 4);
        if (end == std::string::npos) return error("unterminated comment");
        pos_ = end + 3;
      } else if (startsWith("</")) {
        pos_ += 2;
        std::string closing = name();
        skipSpace();
        if (closing != el.name || pos_ >= s_.size() || s_[pos_] != '>') {
          return error("expected </" + el.name + "> but found </" + closing + ">");
        }
        ++pos_;
        break;
      } else if (s_[pos_] == '<') {
        XmlElement child;
        if (auto st = element(child); !st.isOk()) return st;
        el.children.push_back(std::move(child));
      } else {
        text += s_[pos_++];
      }
    }
    auto decoded = decode(text);
    if (!decoded) return decoded.status();
    size_t b = decoded->find_first_not_of(" \t\r\n");
    size_t e = decoded->find_last_not_of(" \t\r\n");
    el.text = b == std::string::npos ? "" : decoded->substr(b, e - b + 1);
    return Status::ok();
  }

  const std::string& s_;
  size_t pos_ = 0;
};

}  // namespace

StatusOr<XmlElement> parseXml(const std::string& text) {
  Parser parser(text);
  return parser.document();
}

}  // namespace sluice
