#include "rpc/message_tag.h"

namespace sluice::rpc {

namespace {

// The one list of known tags: every enumerator except kInvalid and kEnd, which are markers
// and never travel on the wire.
const char* knownTagName(MessageTag tag) {
  switch (tag) {
#define SLUICE_TAG_CASE(name) \
  case MessageTag::name:      \
    return #name;
    SLUICE_TAG_CASE(kPing)
    SLUICE_TAG_CASE(kPong)
    SLUICE_TAG_CASE(kError)
    SLUICE_TAG_CASE(kRegisterExecutor)
    SLUICE_TAG_CASE(kRegisterExecutorReply)
    SLUICE_TAG_CASE(kFetchApp)
    SLUICE_TAG_CASE(kFetchAppReply)
    SLUICE_TAG_CASE(kLaunchTask)
    SLUICE_TAG_CASE(kTaskStatus)
    SLUICE_TAG_CASE(kExecutorHeartbeat)
    SLUICE_TAG_CASE(kStopExecutor)
    SLUICE_TAG_CASE(kReleaseStage)
    SLUICE_TAG_CASE(kFetchBroadcast)
    SLUICE_TAG_CASE(kFetchBroadcastReply)
    SLUICE_TAG_CASE(kKillTask)
    SLUICE_TAG_CASE(kLaunchTasks)
    SLUICE_TAG_CASE(kTaskStatuses)
    SLUICE_TAG_CASE(kMapOutputsAvailable)
    SLUICE_TAG_CASE(kFetchBlocks)
    SLUICE_TAG_CASE(kFetchBlocksReply)
    SLUICE_TAG_CASE(kRemoveBlocks)
    SLUICE_TAG_CASE(kRegisterWorker)
    SLUICE_TAG_CASE(kRegisterWorkerReply)
    SLUICE_TAG_CASE(kWorkerHeartbeat)
    SLUICE_TAG_CASE(kRegisterApplication)
    SLUICE_TAG_CASE(kRegisterApplicationReply)
    SLUICE_TAG_CASE(kLaunchExecutor)
    SLUICE_TAG_CASE(kExecutorStateChanged)
    SLUICE_TAG_CASE(kExecutorAdded)
    SLUICE_TAG_CASE(kUnregisterApplication)
    SLUICE_TAG_CASE(kKillExecutor)
    SLUICE_TAG_CASE(kSubmitDriver)
    SLUICE_TAG_CASE(kSubmitDriverReply)
    SLUICE_TAG_CASE(kLaunchDriver)
    SLUICE_TAG_CASE(kDriverStateChanged)
    SLUICE_TAG_CASE(kDriverStatusRequest)
    SLUICE_TAG_CASE(kDriverStatusReply)
    SLUICE_TAG_CASE(kKillDriver)
    SLUICE_TAG_CASE(kKillDriverReply)
    SLUICE_TAG_CASE(kReconnectWorker)
    SLUICE_TAG_CASE(kMasterChanged)
    SLUICE_TAG_CASE(kFetchDriverApp)
    SLUICE_TAG_CASE(kFetchDriverAppReply)
    SLUICE_TAG_CASE(kRegisterReceiver)
    SLUICE_TAG_CASE(kAddBlock)
    SLUICE_TAG_CASE(kStopReceiver)
    SLUICE_TAG_CASE(kReceiverError)
    SLUICE_TAG_CASE(kAddBlockReply)
    SLUICE_TAG_CASE(kFetchStreamBlock)
    SLUICE_TAG_CASE(kFetchStreamBlockReply)
    SLUICE_TAG_CASE(kReplicateBlock)
    SLUICE_TAG_CASE(kRegisterReceiverReply)
    SLUICE_TAG_CASE(kUpdateRateLimit)
#undef SLUICE_TAG_CASE
    case MessageTag::kInvalid:
    case MessageTag::kEnd:
      break;
  }
  return nullptr;
}

}  // namespace

bool isKnownTag(uint16_t tag) { return knownTagName(static_cast<MessageTag>(tag)) != nullptr; }

const char* tagName(MessageTag tag) {
  if (tag == MessageTag::kInvalid) return "kInvalid";
  const char* name = knownTagName(tag);
  return name != nullptr ? name : "unknown";
}

}  // namespace sluice::rpc
