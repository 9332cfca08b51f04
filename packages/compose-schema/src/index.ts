export type * from "./types.js";
export * from "./errors.js";
export { type LoadOptions, loadProject } from "./load.js";
export { checkDependencyCycle, DependencyCycleError, findCycle } from "./dependency-cycle.js";
export {
  listImages,
  listProfiles,
  listServices,
  listVolumes,
  type RenderOptions,
  renderConfig,
} from "./config-output.js";
export { formatDuration, parseBytes, parseDuration } from "./units.js";
export { type DocPath, formatPath, Locator, type SourceFile } from "./source.js";
export {
  collectSecretValues,
  envFileValues,
  isSensitiveName,
  MASK,
  type MaskedProject,
  maskSecrets,
  SENSITIVE_NAME,
} from "./secret-values.js";
export { type ReadableNames, readableNames } from "./readable-names.js";
export { splitShellWords } from "./canonical/shellwords.js";
