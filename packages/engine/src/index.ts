export { connectDocker, describeHost, pingDocker } from "./docker-client.js";
export { type EngineCall, traceEngineCalls } from "./engine-trace.js";
export * from "./errors.js";
export * from "./events.js";
export { COMPOSE_VERSION, Labels, projectFilter } from "./labels.js";
export * from "./names.js";
export { type Dependency, type DependencyKind, ServiceGraph } from "./graph.js";
export { serviceConfigHash } from "./config-hash.js";
export { type ContainerSpec, type ContainerSpecInput, containerSpec, imageOf } from "./container-spec.js";
export * from "./observe.js";
export * from "./plan.js";
export { type UpOptions, dryRunUp, observeForUp, up } from "./up.js";
export { type DownOptions, applyDown, down, observeForDown } from "./down.js";
export * from "./down-plan.js";
export * from "./lifecycle-plan.js";
export * from "./plan-steps.js";
export * from "./image-plan.js";

// Images and per-container operations.
export * from "./images.js";
export {
  type BuildSession,
  type BuildSessionOptions,
  type SecretSource,
  type SyncedDir,
  type TransferStats,
  openBuildSession,
  sessionBuildQuery,
} from "./buildkit/session.js";
export * from "./buildkit/errors.js";
export {
  type BuildOption,
  type ImageAction,
  type PullOption,
  decideImageAction,
  serviceImage,
} from "./image-policy.js";
export {
  type AttachServiceOptions,
  type AttachedContainer,
  CannotAttachError,
  attachService,
} from "./ops/attach.js";
export * from "./ops/commit.js";
export * from "./ops/cp.js";
export * from "./ops/events.js";
export * from "./ops/exec.js";
export * from "./ops/export.js";
export * from "./ops/images.js";
export * from "./ops/lifecycle.js";
export * from "./ops/logs.js";
export * from "./ops/ls.js";
export * from "./ops/port.js";
export * from "./ops/ps.js";
export * from "./ops/run.js";
export { InvalidPublishError, type OneOffOverrides } from "./ops/run-config.js";
export { NoContainerError, ServiceNotRunningError } from "./ops/select.js";
export * from "./ops/stats.js";
export { InvalidFilterError } from "./ops/summary.js";
export * from "./ops/top.js";
export * from "./ops/volumes.js";
export * from "./ops/wait.js";

// Test stacks: `startStack` (the core `up` keeps its name), waits, cleanup and the vitest helper.
export { type StartStackOptions, startStack } from "./stack/up-stack.js";
export {
  type PortOptions,
  Stack,
  type StackDownOptions,
  type StackExecResult,
} from "./stack/stack.js";
export { StackEvents } from "./stack/event-log.js";
export { Wait, WaitStrategy } from "./stack/waits.js";
export type { HttpWaitOptions } from "./stack/probes.js";
export {
  PortNotPublishedError,
  StackErrorCodes,
  StackWaitFailedError,
  StackWaitTimeoutError,
  type WaitReport,
} from "./stack/errors.js";
export { OwnerLabels } from "./stack/owner.js";
export { reapOrphanedStacks } from "./stack/reaper.js";
export { liveStacks } from "./stack/cleanup.js";
export {
  type ComposeGlobalSetupOptions,
  type ProvideContext,
  type ProvidedStack,
  composeGlobalSetup,
} from "./stack/vitest.js";

// Swarm: `berth deploy` of a project as a stack, and `deploy ls/ps/rm`.
export { type DeployOptions, type DeployResult, deploy, planStackDeploy } from "./swarm/deploy.js";
export type { DeployAction, DeployPlan } from "./swarm/deploy-plan.js";
export { type DeployStep, deploySteps, formatDeploySteps } from "./swarm/deploy-steps.js";
export * from "./swarm/errors.js";
export { localKernelHasIpvs } from "./swarm/ipvs.js";
export { StackLabels } from "./swarm/labels.js";
export type { ResolveImage } from "./swarm/resolve-image.js";
export { type SwarmServiceSpec, serviceSpec } from "./swarm/service-spec.js";
export { type StackSummary, type StackTask, listStacks, removeStack, stackTasks } from "./swarm/stack-ops.js";
export { type SwarmCheck, checkSwarmSupport } from "./swarm/unsupported.js";

// The dev loop: `berth watch` and `up --watch` (develop.watch).
export { type WatchOptions, type WatchSession, WATCH_ACTION, watchProject } from "./watch/session.js";
export { type WatchAction, type WatchRule, watchRules } from "./watch/rules.js";
export * from "./watch/errors.js";
