#include "scheduler/xml_reader.h"

#include <cctype>

namespace sluice {
namespace {

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  StatusOr<XmlElement> document() {
    if (auto st = skipMisc(); !st.isOk()) return st;
    if (!startsWith("<")) {
      return error(pos_ < s_.size() ? "expected the root element, found text" : "expected the root element");
    }
    XmlElement root;
    if (auto st = element(root); !st.isOk()) return st;
    if (auto st = skipMisc(); !st.isOk()) return st;
    if (pos_ < s_.size()) return error("unexpected content after the root element </" + root.name + ">");
    return root;
  }

 private:
  Status error(const std::string& what) const { return errorAt(pos_, what); }
  Status errorAt(size_t pos, const std::string& what) const {
    return Status::invalidArgument("line " + std::to_string(lineAt(pos)) + ": " + what);
  }
  int line() const { return lineAt(pos_); }
  int lineAt(size_t pos) const {
    int n = 1;
    for (size_t i = 0; i < pos && i < s_.size(); ++i) n += s_[i] == '\n';
    return n;
  }
  // The next few characters at pos, for a message ("<weight", "end of file").
  std::string found(size_t pos) const {
    if (pos >= s_.size()) return "the end of the file";
    size_t end = pos + 1;
    while (end < s_.size() && end < pos + 20 && !std::isspace(static_cast<unsigned char>(s_[end])) && s_[end] != '<' &&
           s_[end] != '>') {
      ++end;
    }
    return "'" + s_.substr(pos, end - pos) + "'";
  }
  bool startsWith(const char* p) const { return s_.compare(pos_, std::char_traits<char>::length(p), p) == 0; }
  void skipSpace() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  // At "<!--": moves past the comment's "-->".
  Status skipComment() {
    size_t end = s_.find("-->", pos_ + 4);
    if (end == std::string::npos) return error("the comment '<!--' is not closed by '-->'");
    pos_ = end + 3;
    return Status::ok();
  }
  // Whitespace, comments and processing instructions between elements.
  Status skipMisc() {
    while (true) {
      skipSpace();
      if (startsWith("<!--")) {
        if (auto st = skipComment(); !st.isOk()) return st;
      } else if (startsWith("<?")) {
        size_t end = s_.find("?>", pos_ + 2);
        if (end == std::string::npos) return error("the declaration '<?' is not closed by '?>'");
        pos_ = end + 2;
      } else {
        return Status::ok();
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
  // The characters s_[begin, end) with entities decoded; an error names the line of a bad '&'.
  StatusOr<std::string> decode(size_t begin, size_t end) const {
    std::string out;
    for (size_t i = begin; i < end; ++i) {
      if (s_[i] != '&') {
        out += s_[i];
        continue;
      }
      size_t semi = i + 1;
      while (semi < end && std::isalnum(static_cast<unsigned char>(s_[semi]))) ++semi;
      if (semi >= end || s_[semi] != ';') return errorAt(i, "a bare '&' (write it as &amp;)");
      std::string ent = s_.substr(i + 1, semi - i - 1);
      if (ent == "lt") out += '<';
      else if (ent == "gt") out += '>';
      else if (ent == "amp") out += '&';
      else if (ent == "quot") out += '"';
      else if (ent == "apos") out += '\'';
      else return errorAt(i, "unknown entity &" + ent + "; (known: &lt; &gt; &amp; &quot; &apos;)");
      i = semi;
    }
    return out;
  }

  Status element(XmlElement& el) {
    size_t open = pos_;
    el.line = line();
    ++pos_;  // '<'
    el.name = name();
    if (el.name.empty()) return errorAt(open, "expected an element name after '<', found " + found(pos_));
    const std::string tag = "'<" + el.name + "'";
    while (true) {
      skipSpace();
      if (pos_ >= s_.size() || s_[pos_] == '<') return errorAt(open, tag + " is not closed by '>'");
      if (startsWith("/>")) {
        pos_ += 2;
        return Status::ok();
      }
      if (s_[pos_] == '>') {
        ++pos_;
        break;
      }
      std::string attr = name();
      if (attr.empty()) return error("unexpected " + found(pos_) + " in " + tag + " (expected an attribute or '>')");
      skipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '=') return error("expected '=' after attribute " + attr);
      ++pos_;
      skipSpace();
      if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) {
        return error("expected a quoted value for attribute " + attr);
      }
      size_t quote_at = pos_;
      char quote = s_[pos_++];
      size_t end = s_.find(quote, pos_);
      if (end == std::string::npos) {
        return errorAt(quote_at, "the value of attribute " + attr + " is not closed by " + std::string(1, quote));
      }
      auto value = decode(pos_, end);
      if (!value) return value.status();
      el.attributes[attr] = std::move(*value);
      pos_ = end + 1;
    }
    std::string text;
    while (true) {
      if (pos_ >= s_.size()) {
        return errorAt(open, "<" + el.name + "> is not closed (no </" + el.name + "> before the end of the file)");
      }
      if (startsWith("<!--")) {
        if (auto st = skipComment(); !st.isOk()) return st;
      } else if (startsWith("</")) {
        if (auto st = closingTag(el); !st.isOk()) return st;
        break;
      } else if (s_[pos_] == '<') {
        XmlElement child;
        if (auto st = element(child); !st.isOk()) return st;
        el.children.push_back(std::move(child));
      } else {
        size_t run = pos_;
        while (pos_ < s_.size() && s_[pos_] != '<') ++pos_;
        auto decoded = decode(run, pos_);
        if (!decoded) return decoded.status();
        text += *decoded;
      }
    }
    size_t b = text.find_first_not_of(" \t\r\n");
    size_t e = text.find_last_not_of(" \t\r\n");
    el.text = b == std::string::npos ? "" : text.substr(b, e - b + 1);
    return Status::ok();
  }

  // At "</": reads the closing tag of el.
  Status closingTag(const XmlElement& el) {
    size_t close = pos_;
    pos_ += 2;
    std::string closing = name();
    if (closing.empty()) return errorAt(close, "expected an element name after '</', found " + found(pos_));
    if (closing != el.name) {
      return errorAt(close, "</" + closing + "> does not close <" + el.name + "> (line " + std::to_string(el.line) +
                                "): expected </" + el.name + ">");
    }
    skipSpace();
    if (pos_ >= s_.size() || s_[pos_] == '<') return errorAt(close, "'</" + closing + "' is not closed by '>'");
    if (s_[pos_] != '>') return error("unexpected " + found(pos_) + " in '</" + closing + "' (expected '>')");
    ++pos_;
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
