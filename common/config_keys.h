// Every configuration key Sluice reads, declared once: name, type, default, one line of
// meaning, and the values it accepts (a KeyRange, common/config_key.h; bool keys need none).
// Code reads a key through its declaration, never through a string literal:
//
//   int max = static_cast<int>(conf.get(keys::kTaskMaxFailures));       // default from here
//   int n = conf.get(keys::kDefaultParallelism, std::max(2, cores));      // run-dependent default
//
// keys::all() lists them for validation at start (common/config_check.h) and documentation
// (sluice-submit --help-conf); the README's configuration table shows exactly these rows
// (tests/common/config_keys_test.cc checks it). A new key goes here, with its range, into
// all() (config_keys.cc) and into the README table. Keep each
// declaration's first line as `inline constexpr <Type> kName{"name", ...`: the test finds
// the declarations by it.
//
// Job properties (Context::setLocalProperty: scheduler.pool, job.group,
// scheduler.locality.waitMax, scheduler.longRunning, job.logQuietly) are per job, not
// configuration, and are not here (config_check.cc knows their names: no warning for them).
#pragma once

#include <chrono>
#include <vector>

#include "common/config_key.h"

namespace sluice::keys {
using namespace std::chrono_literals;

// Identity of the application and its driver.
inline constexpr StringKeyWithRunDefault kAppId{"app.id", "a new `app-<time>-<n>`",
    "the application's id (a restarted cluster-mode driver keeps its own)", anyValue()};
inline constexpr StringKeyWithRunDefault kAppName{"app.name", "the library's file name",
    "the application's name (sluice-submit --name)", anyValue()};
inline constexpr StringKey kMaster{"master", "",
    "the master URL a cluster-mode driver was submitted to (set by the Master)", anyValue()};
inline constexpr StringKey kDriverId{"driver.id", "",
    "the cluster-mode driver this application runs in (sluice-submit --driver-id)", anyValue()};
inline constexpr StringKeyWithRunDefault kDriverHost{"driver.host",
    "the local address that routes to the master (`127.0.0.1` in local and local-cluster mode)",
    "the address executors reach the driver at (its RPC endpoint binds there)", anyValue()};
inline constexpr IntKey kDriverPort{"driver.port", 0, "the driver's RPC port; 0 picks a free one", port()};
inline constexpr StringKey kDriverBindAddress{"driver.bindAddress", "0.0.0.0",
    "the address the driver's web UI binds to", anyValue()};
inline constexpr IntKey kDriverCores{"driver.cores", 1, "cores a worker reserves for a cluster-mode driver",
    atLeast(1)};
inline constexpr BytesKey kDriverMemory{"driver.memory", int64_t{1} << 30,
    "memory a worker reserves for a cluster-mode driver (local mode: the in-process executor's, 2g unless set)",
    atLeast(int64_t{1} << 20)};
inline constexpr StringKey kDriverWorkingDir{"driver.workingDir", "",
    "what relative paths resolve against (sluice-submit sets its own working dir in cluster mode); empty: the driver's",
    anyValue()};
inline constexpr StringKey kFiles{"files", "",
    "comma-separated files copied into each executor's work dir, and a cluster-mode driver's (sluice-submit --files)",
    anyValue()};
inline constexpr StringKeyWithRunDefault kLocalDir{"local.dir", "`<temp dir>/sluice-work`",
    "executor work dirs (app cache, spills, logs)", anyValue()};
inline constexpr IntKeyWithRunDefault kDefaultParallelism{"default.parallelism",
    "cores (at least 2)", "partitions of `parallelize`, `textFile`, shuffles", atLeast(1)};

// Executors.
inline constexpr IntKeyWithRunDefault kExecutorCores{"executor.cores",
    "all the cores the application can take on a worker (one executor per worker)",
    "task slots of each executor", atLeast(1)};
inline constexpr BytesKey kExecutorMemory{"executor.memory", int64_t{1} << 30, "memory of each executor",
    atLeast(int64_t{1} << 20)};
inline constexpr IntKey kCoresMax{"cores.max", 0,
    "the most cores the application takes from the cluster; 0: all it can get", atLeast(0)};
inline constexpr DurationKey kExecutorRegistrationTimeout{"executor.registrationTimeout", 60s,
    "how long the driver waits for its executors", above(0ms)};
inline constexpr DurationKey kExecutorHeartbeatInterval{"executor.heartbeatInterval", 1s,
    "executor → driver heartbeats", above(0ms)};
inline constexpr DurationKey kExecutorHeartbeatTimeout{"executor.heartbeatTimeout", 10s,
    "driver declares a silent executor lost", above(0ms)};
inline constexpr DurationKey kExecutorDriverTimeout{"executor.driverTimeout", 30s,
    "an executor whose driver does not answer heartbeats for this long exits", above(0ms)};
inline constexpr DurationKey kShuffleFetchTimeout{"shuffle.fetchTimeout", 30s, "one shuffle block request", above(0ms)};
inline constexpr BytesKeyWithRunDefault kShuffleMemoryLimit{"shuffle.memoryLimit",
    "half the executor memory",
    "shuffle output an executor keeps in memory; more spills to `<work dir>/blocks/`", atLeast(0)};

// The driver's cleaner (driver/context_cleaner.h).
inline constexpr BoolKey kCleanerReferenceTracking{"cleaner.referenceTracking", true,
    "the driver's cleaner checks for shuffles and cached RDDs nothing refers to"};
inline constexpr DurationKey kCleanerReferenceTrackingInterval{"cleaner.referenceTracking.interval", 1s,
    "how often it checks (at least 10ms; shuffles are also checked at every job's end)", atLeast(10ms)};

// Task scheduling (scheduler/SCHEDULING.md).
inline constexpr IntKey kTaskMaxFailures{"task.maxFailures", 4, "attempts of one task before its job fails",
    atLeast(1)};
inline constexpr DurationKey kTaskRetryElsewhereWait{"task.retryElsewhere.wait", 3s,
    "how long a retry avoids the executors it failed on while another is alive", atLeast(0ms)};
inline constexpr StringKey kSchedulerMode{"scheduler.mode", "FIFO", "FIFO or FAIR", oneOfIgnoringCase("FIFO|FAIR")};
inline constexpr StringKey kSchedulerAllocationFile{"scheduler.allocation.file", "",
    "the FAIR pools' XML file (pools with weight, minShare, schedulingMode)", anyValue()};
inline constexpr DurationKey kSchedulerReviveInterval{"scheduler.revive.interval", 1s,
    "how often free cores are offered again (waits ending); 0 turns the thread off", atLeast(0ms)};
inline constexpr IntKey kSchedulerPipelineDepth{"scheduler.pipelineDepth", 1,
    "tasks in flight per executor core: 1 is Spark's one task per slot; more queue the next task on the executor",
    atLeast(1)};
inline constexpr BoolKey kSchedulerPreScheduleReducers{"scheduler.preScheduleReducers", false,
    "launch a reduce stage's tasks with its map stage's; executors hold them until the map outputs come"};
inline constexpr DurationKey kLocalityWait{"locality.wait", 3s,
    "how long a task set waits at a locality level before accepting the next", atLeast(0ms)};
inline constexpr DurationKeyWithRunDefault kLocalityWaitProcess{"locality.wait.process",
    "`locality.wait`", "the wait at PROCESS_LOCAL", atLeast(0ms)};
inline constexpr DurationKeyWithRunDefault kLocalityWaitNode{"locality.wait.node",
    "`locality.wait`", "the wait at NODE_LOCAL", atLeast(0ms)};
inline constexpr BoolKey kShuffleReduceLocalityEnabled{"shuffle.reduceLocality.enabled", true,
    "reduce tasks prefer the executors holding the most of their map outputs"};
inline constexpr IntKey kStageMaxConsecutiveAttempts{"stage.maxConsecutiveAttempts", 4,
    "fetch-failure resubmissions before a job fails", atLeast(1)};
inline constexpr DurationKey kStageRetryDelay{"stage.retryDelay", 100ms,
    "how long the scheduler waits after a fetch failure before resubmitting the failed stages", atLeast(0ms)};
inline constexpr BoolKey kExcludeOnFailureEnabled{"excludeOnFailure.enabled", false,
    "exclude executors that keep failing tasks"};
inline constexpr IntKey kExcludeOnFailureMaxFailedTasksPerExecutor{"excludeOnFailure.maxFailedTasksPerExecutor", 2,
    "failed tasks that exclude an executor", atLeast(1)};
inline constexpr DurationKey kExcludeOnFailureTimeout{"excludeOnFailure.timeout", 1h,
    "how long an exclusion lasts", above(0ms)};
inline constexpr BoolKey kSpeculation{"speculation", false, "copy stragglers to another executor"};
inline constexpr DurationKey kSpeculationInterval{"speculation.interval", 100ms,
    "how often stragglers are looked for", above(0ms)};
inline constexpr DoubleKey kSpeculationMultiplier{"speculation.multiplier", 1.5,
    "a straggler ran this many times the median successful duration", above(0)};
inline constexpr DoubleKey kSpeculationQuantile{"speculation.quantile", 0.75,
    "fraction of a stage's tasks that must have succeeded first", fraction()};
inline constexpr DurationKey kSpeculationMinTaskRuntime{"speculation.minTaskRuntime", 100ms,
    "no task is speculated sooner", atLeast(0ms)};

// The driver's web UI.
inline constexpr BoolKey kUiEnabled{"ui.enabled", true, "whether the driver serves its web UI, REST API and /metrics"};
inline constexpr IntKey kUiPort{"ui.port", 4040, "the driver UI's first port to try", port()};
inline constexpr IntKey kPortMaxRetries{"port.maxRetries", 16,
    "further ports the driver UI tries, one up each time, when its port is taken (the daemons do not retry)",
    atLeast(0)};
inline constexpr IntKey kUiRetainedJobs{"ui.retainedJobs", 1000,
    "finished jobs the driver UI remembers (older ones are dropped)", atLeast(0)};
inline constexpr IntKey kUiRetainedStages{"ui.retainedStages", 1000,
    "finished stage attempts the driver UI remembers (older ones are dropped)", atLeast(0)};

// The driver's console (driver/console_progress_bar.h, common/logging.h).
inline constexpr BoolKeyWithRunDefault kUiShowConsoleProgress{"ui.showConsoleProgress",
    "stderr is a terminal and the log level is warn or quieter",
    "a progress bar of running stages on stderr, `[Stage 1:====>   (3 + 2) / 10]`"};
inline constexpr StringKey kLogBatchesLevel{"log.batches.level", "info",
    "level of the per-batch line's logger, apart from --log-level (warn or off hides the line)",
    oneOf("trace|debug|info|warn|warning|error|critical|off")};

// Streaming.
inline constexpr DurationKeyWithRunDefault kStreamingBatchDuration{"streaming.batchDuration",
    "the interval given in code",
    "the batch interval, overriding the one the application gives `StreamingContext` (`sluice-submit "
    "--batch-duration`)", above(0ms)};
// The adaptive batch interval (streaming/adaptive/): off unless enabled.
inline constexpr BoolKey kStreamingBatchDurationAdaptive{"streaming.batchDuration.adaptive", false,
    "after every batch the driver picks the next interval within min..max so that processing takes targetRatio of it; refused with windows and state"};
inline constexpr DurationKey kStreamingBatchDurationAdaptiveMin{"streaming.batchDuration.adaptive.min", 100ms,
    "the shortest interval the adaptive interval picks", above(0ms)};
inline constexpr DurationKey kStreamingBatchDurationAdaptiveMax{"streaming.batchDuration.adaptive.max", 10s,
    "the longest interval the adaptive interval picks", above(0ms)};
inline constexpr DoubleKey kStreamingBatchDurationAdaptiveTargetRatio{"streaming.batchDuration.adaptive.targetRatio",
    0.7, "the processing time the adaptive interval aims at, as a fraction of the interval (0 < r <= 1)", fraction()};
inline constexpr StringKey kStreamingClock{"streaming.clock", "system",
    "system, or manual: the batch timer follows a clock tests advance", oneOf("system|manual")};
inline constexpr IntKey kStreamingConcurrentJobs{"streaming.concurrentJobs", 1,
    "threads running batches' jobs (1: batches run one after another, in order)", atLeast(1)};
inline constexpr DoubleKey kStreamingLocalityMaxWaitFraction{"streaming.locality.maxWaitFraction", 0.2,
    "a batch's locality wait cap, as a fraction of the batch interval; < 0: none", anyValue()};
inline constexpr DurationKey kStreamingBlockInterval{"streaming.blockInterval", 200ms,
    "how often a receiver cuts what it received into a block", above(0ms)};
inline constexpr IntKeyWithRunDefault kStreamingReceiverReplication{"streaming.receiver.replication",
    "receiver's own",
    "executors keeping each received block (`socketTextStream`: 2, as Spark's `_2` storage level; other "
    "receivers: 1); ignored with the receiver WAL on (1 copy)", atLeast(1)};
inline constexpr BoolKey kStreamingReceiverWalEnable{"streaming.receiver.writeAheadLog.enable", false,
    "receivers write each block to a WAL under the checkpoint dir before the driver hears of it"};
inline constexpr StringKey kStreamingCheckpointDir{"streaming.checkpoint.dir", "",
    "where checkpoints and WALs go (as `ssc.checkpoint(dir)`); empty: none", anyValue()};
inline constexpr DurationKeyWithRunDefault kStreamingCheckpointInterval{"streaming.checkpoint.interval",
    "10 batch intervals, at least 10s", "how often a checkpoint is written", above(0ms)};
inline constexpr IntKey kStreamingCheckpointKeep{"streaming.checkpoint.keep", 10, "checkpoints kept, newest first",
    atLeast(1)};
inline constexpr BoolKey kStreamingStopGracefullyOnShutdown{"streaming.stopGracefullyOnShutdown", false,
    "SIGTERM first processes everything received"};
inline constexpr DurationKeyWithRunDefault kStreamingGracefulStopTimeout{"streaming.gracefulStopTimeout",
    "10 batch intervals", "the longest a graceful stop waits for received data", atLeast(0ms)};

// Direct Kafka streams (streaming/kafka/).
inline constexpr IntKey kStreamingKafkaMaxRatePerPartition{"streaming.kafka.maxRatePerPartition", 0,
    "records per second a direct Kafka stream reads at most from each partition (per batch: rate × interval); 0: unlimited",
    atLeast(0)};
inline constexpr IntKey kStreamingKafkaMinRatePerPartition{"streaming.kafka.minRatePerPartition", 1,
    "with backpressure, records per second a direct Kafka stream reads at least from each partition with records",
    atLeast(1)};
inline constexpr DurationKey kStreamingKafkaConsumerPollMs{"streaming.kafka.consumer.poll.ms", 120s,
    "how long a task waits for the next record of its Kafka offset range before it fails", above(0ms)};
inline constexpr DurationKey kStreamingKafkaMetadataTimeout{"streaming.kafka.metadata.timeout", 10s,
    "how long the driver waits for Kafka's partitions and offsets before the batch's generation fails", above(0ms)};

// Rate limits and backpressure (streaming/receiver/token_bucket.h, streaming/rate/).
inline constexpr IntKey kStreamingReceiverMaxRate{"streaming.receiver.maxRate", 0,
    "records per second each receiver stores at most (`queueStream`: per batch, maxRate × interval); 0: unlimited",
    atLeast(0)};
inline constexpr BoolKey kStreamingBackpressureEnabled{"streaming.backpressure.enabled", false,
    "after every batch the driver sets each receiver's rate from how fast batches are processed (PID)"};
inline constexpr IntKey kStreamingBackpressureInitialRate{"streaming.backpressure.initialRate", 0,
    "with backpressure, each receiver's rate until the first estimate (within maxRate); 0: none", atLeast(0)};
inline constexpr DoubleKey kStreamingBackpressurePidProportional{"streaming.backpressure.pid.proportional", 1.0,
    "the PID estimator's weight of the last batch's rate error", atLeast(0)};
inline constexpr DoubleKey kStreamingBackpressurePidIntegral{"streaming.backpressure.pid.integral", 0.2,
    "its weight of the error accumulated as scheduling delay", atLeast(0)};
inline constexpr DoubleKey kStreamingBackpressurePidDerived{"streaming.backpressure.pid.derived", 0.0,
    "its weight of the error's change since the last batch", atLeast(0)};
inline constexpr DoubleKey kStreamingBackpressurePidMinRate{"streaming.backpressure.pid.minRate", 100.0,
    "the lowest rate (records per second) backpressure sets", above(0)};

// Write-ahead logs (wal/wal_options.h).
inline constexpr StringKey kWalFsync{"wal.fsync", "group",
    "when a WAL write is durable: always, group (shared fsyncs) or none (page cache)", oneOf("always|group|none")};
inline constexpr DurationKey kWalRollingInterval{"wal.rollingInterval", 60s, "the time range of one WAL segment",
    above(0ms)};
inline constexpr BytesKey kWalRollingSize{"wal.rollingSize", int64_t{64} << 20,
    "a WAL segment this large is closed before the next write", atLeast(1)};

// RPC (rpc/frame_limit.h, rpc/FORMAT.md).
inline constexpr BytesKey kRpcMaxFrameBytes{"rpc.maxFrameBytes", int64_t{256} << 20,
    "the largest frame a process accepts or sends (at least 16m, at most about 4g)",
    between(int64_t{16} << 20, int64_t{4} << 30)};

// Authentication (common/auth_secret.h, SECURITY.md).
inline constexpr BoolKey kAuthEnabled{"auth.enabled", false,
    "every ZeroMQ socket is CURVE-authenticated and encrypted, and the web UIs ask for credentials"};
inline constexpr StringKey kAuthSecret{"auth.secret", "",
    "the cluster's shared secret (visible in process lists: prefer auth.secretFile or SLUICE_AUTH_SECRET)",
    anyValue()};
inline constexpr StringKey kAuthSecretFile{"auth.secretFile", "",
    "a file whose content (trailing newline removed) is the cluster's shared secret", anyValue()};

// Every web UI: the master's, the workers', the drivers' (common/ui_acl.h, common/http_server.h).
inline constexpr StringKey kUiBindAddress{"ui.bindAddress", "",
    "the address the web UI binds to; empty: the master's and worker's --host, the driver's driver.bindAddress",
    anyValue()};
inline constexpr StringKey kUiUsersFile{"ui.usersFile", "",
    "with auth.enabled, a file of `name:hash` lines (sluice-submit --hash-password NAME) of web UI users",
    anyValue()};
inline constexpr StringKey kUiAclsView{"ui.acls.view", "*",
    "with auth.enabled, the users of ui.usersFile who may view the web UIs (comma list; `*`: all of them)",
    anyValue()};
inline constexpr StringKey kUiAclsModify{"ui.acls.modify", "",
    "with auth.enabled, the users of ui.usersFile who may also kill (comma list; `*`: all); `sluice` always may",
    anyValue()};

// Talking to a standalone master (deploy/).
inline constexpr DurationKey kMasterConnectTimeout{"master.connectTimeout", 10s,
    "how long a request to the master waits for its answer", above(0ms)};
inline constexpr DurationKey kAppReregisterInterval{"app.reregisterInterval", 2s,
    "how often a driver re-sends its registration (a restarted master re-learns it)", above(0ms)};

// The master daemon.
inline constexpr DurationKey kWorkerTimeout{"worker.timeout", 10s, "the master declares a silent worker dead",
    above(0ms)};
inline constexpr DurationKey kAppTimeout{"app.timeout", 30s,
    "the master ends an application whose driver has not re-registered for this long", above(0ms)};
inline constexpr BoolKey kDeploySpreadOut{"deploy.spreadOut", true,
    "spread an application's executors over workers (false: fill one worker first)"};
inline constexpr IntKey kDeployMaxExecutorRetries{"deploy.maxExecutorRetries", 10,
    "executor failures in a row (none running) after which the master fails an application; < 0: never", anyValue()};
inline constexpr StringKey kDeployRecoveryDirectory{"deploy.recoveryDirectory", "",
    "where the master keeps its state to recover after a restart (as --recovery-dir); empty: none", anyValue()};

// The worker daemon (worker/worker.h).
inline constexpr DurationKey kWorkerRegistrationRetryInterval{"worker.registrationRetryInterval", 1s,
    "how often a worker retries registering with the master", above(0ms)};
inline constexpr DurationKey kWorkerMasterPingInterval{"worker.masterPingInterval", 3s,
    "worker → master heartbeats", above(0ms)};
inline constexpr DurationKey kWorkerKillTimeout{"worker.killTimeout", 2s, "from SIGTERM to SIGKILL for a child",
    atLeast(0ms)};
inline constexpr DurationKey kWorkerFetchTimeout{"worker.fetchTimeout", 30s,
    "one request for a chunk of an application's library", above(0ms)};
inline constexpr BoolKey kWorkerCleanupEnabled{"worker.cleanup.enabled", true,
    "workers remove the dirs no child runs in once older than the TTL (Spark's default is false)"};
inline constexpr DurationKey kWorkerCleanupInterval{"worker.cleanup.interval", 30min,
    "how often a worker checks its work dir (also at start)", above(0ms)};
inline constexpr DurationKey kWorkerCleanupAppDataTtl{"worker.cleanup.appDataTtl", 168h,
    "how long an ended application's executor logs stay; its other files go when each executor exits "
    "(`worker/work_dir_cleanup.h`)", atLeast(0ms)};

// Every key above, in this order.
const std::vector<KeyInfo>& all();

}  // namespace sluice::keys
