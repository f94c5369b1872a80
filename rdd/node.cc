#include "rdd/node.h"

#include <mutex>
#include <stdexcept>

#include "common/serialize.h"

namespace sluice {
namespace {

struct KindTable {
  std::mutex mu;
  std::unordered_map<std::string, NodeLoader> loaders;
};

KindTable& kindTable() {
  static KindTable* table = new KindTable();  // never destroyed: used during unload
  return *table;
}

constexpr int32_t kNewNode = -1;

}  // namespace

void registerNodeKind(const char* kind, NodeLoader loader) {
  auto& t = kindTable();
  std::lock_guard<std::mutex> lock(t.mu);
  t.loaders.emplace(kind, loader);
}

NodeLoader findNodeKind(std::string_view kind) {
  auto& t = kindTable();
  std::lock_guard<std::mutex> lock(t.mu);
  auto it = t.loaders.find(std::string(kind));
  return it == t.loaders.end() ? nullptr : it->second;
}

size_t registeredNodeKinds() {
  auto& t = kindTable();
  std::lock_guard<std::mutex> lock(t.mu);
  return t.loaders.size();
}

void LineageWriter::writeNode(const Node* node) {
  auto it = index_.find(node);
  if (it != index_.end()) {
    ar_(it->second);
    return;
  }
  int32_t idx = static_cast<int32_t>(index_.size());
  index_.emplace(node, idx);
  ar_(kNewNode, std::string(node->kind()));
  node->save(*this);
}

std::shared_ptr<Node> LineageReader::readNode() {
  int32_t ref;
  ar_(ref);
  if (ref != kNewNode) {
    if (ref < 0 || static_cast<size_t>(ref) >= nodes_.size() || !nodes_[ref]) {
      throw std::runtime_error("lineage refers to unknown node " + std::to_string(ref));
    }
    return nodes_[ref];
  }
  std::string kind;
  ar_(kind);
  NodeLoader loader = findNodeKind(kind);
  if (!loader) {
    throw std::runtime_error("unknown lineage node kind '" + kind +
                             "' (is the application library loaded, and the same build?)");
  }
  size_t idx = nodes_.size();
  nodes_.emplace_back();
  auto node = loader(*this);
  nodes_[idx] = node;
  return node;
}

std::string encodeLineage(const std::vector<const Node*>& roots) {
  std::string out;
  StringSinkBuf buf(&out);
  std::ostream os(&buf);
  {
    cereal::BinaryOutputArchive ar(os);
    LineageWriter writer(ar);
    ar(static_cast<uint32_t>(roots.size()));
    for (const Node* root : roots) writer.writeNode(root);
  }
  return out;
}

StatusOr<std::vector<std::shared_ptr<Node>>> decodeLineage(std::string_view bytes) {
  std::vector<std::shared_ptr<Node>> roots;
  try {
    BoundedInputArchive ar(bytes);  // lengths checked against the bytes left
    LineageReader reader(ar);
    uint32_t n;
    ar(n);
    if (n > 1024) throw std::runtime_error("implausible root count " + std::to_string(n));
    for (uint32_t i = 0; i < n; ++i) roots.push_back(reader.readNode());
  } catch (const std::exception& e) {
    return Status::corruption(std::string("cannot decode task lineage: ") + e.what());
  }
  return roots;
}

}  // namespace sluice
