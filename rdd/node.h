// Node: anything in a job's lineage that is shipped to executors (RDDs, shuffle
// dependencies). Each concrete node type registers a loader under its typeid name when its
// library is loaded, so an executor that has dlopen()ed the same application library can
// rebuild the lineage from bytes. The wire format is in rdd/LINEAGE.md.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <typeinfo>
#include <unordered_map>
#include <vector>

#include <cereal/archives/binary.hpp>

#include "common/bounded_input_archive.h"
#include "common/status.h"

namespace sluice {

class LineageWriter;
class LineageReader;

class Node {
 public:
  virtual ~Node() = default;
  // Writes this node's fields (not its kind); parent nodes go through writer.writeNode().
  virtual void save(LineageWriter& writer) const = 0;
  // The registered kind, typeid(Derived).name().
  virtual const char* kind() const = 0;
};

using NodeLoader = std::shared_ptr<Node> (*)(LineageReader& reader);

// Thread-safe. Registering the same kind twice keeps the first loader (both are identical:
// the same template instantiated in two libraries).
void registerNodeKind(const char* kind, NodeLoader loader);
NodeLoader findNodeKind(std::string_view kind);
size_t registeredNodeKinds();

// CRTP base that registers Derived at library load. Derived must define
//   static std::shared_ptr<Node> load(LineageReader&);
template <class Derived, class Base>
class Registered : public Base {
 public:
  using Base::Base;
  const char* kind() const override {
    (void)kRegistered;
    return typeid(Derived).name();
  }

 private:
  static inline const bool kRegistered =
      (registerNodeKind(typeid(Derived).name(), &Derived::load), true);
};

// Writes a graph of nodes, each node once; later references are back-references.
class LineageWriter {
 public:
  explicit LineageWriter(cereal::BinaryOutputArchive& ar) : ar_(ar) {}
  void writeNode(const Node* node);
  cereal::BinaryOutputArchive& ar() { return ar_; }
  template <class... Ts>
  void operator()(Ts&&... values) { ar_(std::forward<Ts>(values)...); }

 private:
  cereal::BinaryOutputArchive& ar_;
  std::unordered_map<const Node*, int32_t> index_;
};

// Reads what LineageWriter wrote. Errors (unknown kind, bad reference, truncated bytes)
// are thrown as std::runtime_error inside; use decodeLineage() to get a Status.
class LineageReader {
 public:
  explicit LineageReader(BoundedInputArchive& ar) : ar_(ar) {}
  std::shared_ptr<Node> readNode();
  template <class T>
  std::shared_ptr<T> readNodeAs() {
    auto node = std::dynamic_pointer_cast<T>(readNode());
    if (!node) throw std::runtime_error("lineage node has an unexpected type");
    return node;
  }
  BoundedInputArchive& ar() { return ar_; }
  template <class... Ts>
  void operator()(Ts&&... values) { ar_(std::forward<Ts>(values)...); }

 private:
  BoundedInputArchive& ar_;
  std::vector<std::shared_ptr<Node>> nodes_;
};

// Serializes the graph rooted at each of roots, sharing common ancestors.
std::string encodeLineage(const std::vector<const Node*>& roots);
// Rebuilds the roots; needs every kind registered (the application library loaded).
StatusOr<std::vector<std::shared_ptr<Node>>> decodeLineage(std::string_view bytes);

}  // namespace sluice
