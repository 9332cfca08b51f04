export { connectDocker, describeHost, pingDocker } from "./base/docker-client.js";
export { type EngineCall, traceEngineCalls } from "./base/engine-trace.js";
export * from "./base/errors.js";
export * from "./base/events.js";
export { COMPOSE_VERSION, Labels, projectFilter } from "./base/labels.js";
export * from "./base/names.js";
export { type Dependency, type DependencyKind, ServiceGraph } from "./base/graph.js";
export { serviceConfigHash } from "./core/config-hash.js";
export {
  type ContainerSpec,
  type ContainerSpecInput,
  containerSpec,
  imageOf,
} from "./core/container-spec.js";
export * from "./base/observe.js";
export * from "./core/plan.js";
export { type UpOptions, dryRunUp, observeForUp, up } from "./core/up.js";
export { type DownOptions, applyDown, down, dryRunDown, observeForDown } from "./core/down.js";
export * from "./core/down-plan.js";
export * from "./core/lifecycle-plan.js";
export * from "./core/plan-steps.js";
export * from "./core/run-plan.js";
export * from "./core/image-plan.js";

// Images and per-container operations.
export * from "./core/images.js";
export {
  type BuildSession,
  type BuildSessionOptions,
  type SecretSource,
  type SyncedDir,
  type TransferStats,
  openBuildSession,
  sessionBuildQuery,
} from "./core/buildkit/session.js";
export * from "./core/buildkit/errors.js";
export {
  type BuildOption,
  type ImageAction,
  type PullOption,
  decideImageAction,
  serviceImage,
} from "./core/image-policy.js";
export {
  type AttachServiceOptions,
  type AttachedContainer,
  CannotAttachError,
  attachService,
} from "./core/ops/attach.js";
export * from "./core/ops/commit.js";
export * from "./core/ops/cp.js";
export * from "./core/ops/events.js";
export * from "./core/ops/exec.js";
export * from "./core/ops/export.js";
export { planCommit, planCopy, planExec, planExport } from "./core/ops/op-steps.js";
export * from "./core/ops/images.js";
export * from "./core/ops/lifecycle.js";
export * from "./core/ops/logs.js";
export * from "./core/ops/ls.js";
export * from "./core/ops/port.js";
export * from "./core/ops/ps.js";
export * from "./core/ops/run.js";
export { InvalidPublishError, type OneOffOverrides } from "./core/ops/run-config.js";
export { NoContainerError, ServiceNotRunningError } from "./core/ops/select.js";
export * from "./core/ops/stats.js";
export { InvalidFilterError } from "./core/ops/summary.js";
export * from "./core/ops/top.js";
export * from "./core/ops/volumes.js";
export * from "./core/ops/wait.js";

// Test stacks (testing/): `startTestStack`, waits, cleanup and the vitest helper.
export { type StartTestStackOptions, startTestStack } from "./testing/start-test-stack.js";
export {
  type PortOptions,
  TestStack,
  type TestStackDownOptions,
  type TestStackExecResult,
} from "./testing/test-stack.js";
export { TestStackEvents } from "./testing/event-log.js";
export { Wait, WaitStrategy } from "./testing/waits.js";
export type { HttpWaitOptions } from "./base/readiness/probes.js";
export {
  PortNotPublishedError,
  TestStackErrorCodes,
  TestStackWaitFailedError,
  TestStackWaitTimeoutError,
  type WaitReport,
} from "./testing/errors.js";
export { OwnerLabels } from "./testing/owner.js";
export { reapOrphanedTestStacks } from "./testing/reaper.js";
export { liveTestStacks } from "./testing/cleanup.js";
export {
  type ComposeGlobalSetupOptions,
  type ProvideContext,
  type ProvidedTestStack,
  composeGlobalSetup,
} from "./testing/vitest.js";

// Swarm stacks (swarm/): `berth deploy` of a project as a Swarm stack, and `deploy ls/ps/rm`.
export { type DeployOptions, type DeployResult, deploy, planSwarmStackDeploy } from "./swarm/deploy.js";
export type { DeployAction, DeployPlan } from "./swarm/deploy-plan.js";
export { type DeployStep, deploySteps, formatDeploySteps } from "./swarm/deploy-steps.js";
export * from "./swarm/errors.js";
export { localKernelHasIpvs } from "./swarm/ipvs.js";
export { SwarmStackLabels } from "./swarm/labels.js";
export type { ResolveImage } from "./swarm/resolve-image.js";
export { type SwarmServiceSpec, serviceSpec } from "./swarm/service-spec.js";
export {
  type SwarmStackSummary,
  type SwarmStackTask,
  listSwarmStacks,
  planSwarmStackRemove,
  removeSwarmStack,
  swarmStackTasks,
} from "./swarm/swarm-stack-ops.js";
export { type SwarmStackRemovalPlan, swarmStackRemovalSteps } from "./swarm/swarm-stack-rm-plan.js";
export { type SwarmCheck, checkSwarmSupport } from "./swarm/unsupported.js";

// The dev loop: `berth watch` and `up --watch` (develop.watch).
export { type WatchOptions, type WatchSession, watchProject } from "./core/watch/session.js";
export { WATCH_ACTION } from "./core/watch/watch-steps.js";
export { type WatchAction, type WatchRule, watchRules } from "./core/watch/rules.js";
export * from "./core/watch/errors.js";
