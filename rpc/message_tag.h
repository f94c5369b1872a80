// The type tag of every message of every Sluice protocol. A frame whose tag is not listed
// here is rejected by the decoder. Add new tags before kEnd; never reuse a number.
#pragma once

#include <cstdint>

namespace sluice::rpc {

enum class MessageTag : uint16_t {
  kInvalid = 0,
  // Generic.
  kPing = 1,
  kPong = 2,
  kError = 3,
  // Executor <-> driver.
  kRegisterExecutor = 10,
  kRegisterExecutorReply = 11,
  kFetchApp = 12,
  kFetchAppReply = 13,
  kLaunchTask = 14,
  kTaskStatus = 15,
  kExecutorHeartbeat = 16,
  kStopExecutor = 17,
  kReleaseStage = 18,
  kFetchBroadcast = 19,
  kFetchBroadcastReply = 20,
  kKillTask = 21,
  kLaunchTasks = 22,
  kTaskStatuses = 23,
  kMapOutputsAvailable = 24,
  // Executor <-> executor (block manager).
  kFetchBlocks = 30,
  kFetchBlocksReply = 31,
  kRemoveBlocks = 32,
  // Worker/app <-> master.
  kRegisterWorker = 40,
  kRegisterWorkerReply = 41,
  kWorkerHeartbeat = 42,
  kRegisterApplication = 43,
  kRegisterApplicationReply = 44,
  kLaunchExecutor = 45,
  kExecutorStateChanged = 46,
  kExecutorAdded = 47,
  kUnregisterApplication = 48,
  kKillExecutor = 49,
  kSubmitDriver = 50,
  kSubmitDriverReply = 51,
  kLaunchDriver = 52,
  kDriverStateChanged = 53,
  kDriverStatusRequest = 54,
  kDriverStatusReply = 55,
  kKillDriver = 56,
  kKillDriverReply = 57,
  kReconnectWorker = 58,
  kMasterChanged = 59,
  kFetchDriverApp = 60,
  kFetchDriverAppReply = 61,
  // Streaming.
  kRegisterReceiver = 70,
  kAddBlock = 71,
  kStopReceiver = 72,
  kReceiverError = 73,
  kAddBlockReply = 74,
  kFetchStreamBlock = 75,
  kFetchStreamBlockReply = 76,
  kReplicateBlock = 77,
  kRegisterReceiverReply = 78,
  kUpdateRateLimit = 79,
  kEnd
};

// True only for the tags listed above (gaps in the numbering are unknown).
bool isKnownTag(uint16_t tag);

// "kLaunchTask" for MessageTag::kLaunchTask; "unknown" for anything else.
const char* tagName(MessageTag tag);

}  // namespace sluice::rpc
