#include "rpc/master_messages.h"

namespace sluice::rpc {

const char* workerStateName(WorkerState s) {
  switch (s) {
    case WorkerState::kAlive: return "ALIVE";
    case WorkerState::kDead: return "DEAD";
    case WorkerState::kDecommissioned: return "DECOMMISSIONED";
    case WorkerState::kUnknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

const char* appStateName(AppState s) {
  switch (s) {
    case AppState::kWaiting: return "WAITING";
    case AppState::kRunning: return "RUNNING";
    case AppState::kFinished: return "FINISHED";
    case AppState::kFailed: return "FAILED";
    case AppState::kKilled: return "KILLED";
  }
  return "UNKNOWN";
}

const char* executorStateName(ExecutorState s) {
  switch (s) {
    case ExecutorState::kLaunching: return "LAUNCHING";
    case ExecutorState::kRunning: return "RUNNING";
    case ExecutorState::kExited: return "EXITED";
    case ExecutorState::kFailed: return "FAILED";
    case ExecutorState::kKilled: return "KILLED";
    case ExecutorState::kLost: return "LOST";
  }
  return "UNKNOWN";
}

const char* driverStateName(DriverState s) {
  switch (s) {
    case DriverState::kSubmitted: return "SUBMITTED";
    case DriverState::kRunning: return "RUNNING";
    case DriverState::kFinished: return "FINISHED";
    case DriverState::kFailed: return "FAILED";
    case DriverState::kKilled: return "KILLED";
    case DriverState::kRelaunching: return "RELAUNCHING";
    case DriverState::kError: return "ERROR";
    case DriverState::kUnknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

}  // namespace sluice::rpc
