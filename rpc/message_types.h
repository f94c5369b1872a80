// Every message type of every Sluice protocol, as one list: the fuzz target decodes any
// payload as each of them, and a unit test checks that every tag in message_tag.h (but the
// raw kPing/kPong/kError) has its type here. A new message is added here with its tag.
#pragma once

#include <type_traits>

#include "rpc/executor_messages.h"
#include "rpc/master_messages.h"
#include "rpc/streaming_messages.h"

namespace sluice::rpc {

template <class... Ms>
struct MessageList {
  // Calls f(std::type_identity<M>{}) for each message type M, in order.
  template <class F>
  static void forEach(F&& f) {
    (f(std::type_identity<Ms>{}), ...);
  }
};

using AllMessages = MessageList<
    RegisterExecutor,
    RegisterExecutorReply,
    FetchApp,
    FetchAppReply,
    LaunchTask,
    TaskStatus,
    ExecutorHeartbeat,
    StopExecutor,
    ReleaseStage,
    KillTask,
    LaunchTasks,
    TaskStatuses,
    MapOutputsAvailable,
    FetchBroadcast,
    FetchBroadcastReply,
    FetchBlocks,
    FetchBlocksReply,
    RemoveBlocks,
    RegisterWorker,
    RegisterWorkerReply,
    WorkerHeartbeat,
    ReconnectWorker,
    RegisterApplication,
    RegisterApplicationReply,
    UnregisterApplication,
    LaunchExecutor,
    KillExecutor,
    ExecutorStateChanged,
    ExecutorAdded,
    SubmitDriver,
    SubmitDriverReply,
    LaunchDriver,
    FetchDriverApp,
    FetchDriverAppReply,
    KillDriver,
    KillDriverReply,
    DriverStateChanged,
    DriverStatusRequest,
    DriverStatusReply,
    MasterChanged,
    RegisterReceiver,
    RegisterReceiverReply,
    AddBlock,
    AddBlockReply,
    StopReceiver,
    ReceiverError,
    FetchStreamBlock,
    FetchStreamBlockReply,
    ReplicateBlock,
    UpdateRateLimit>;

}  // namespace sluice::rpc
