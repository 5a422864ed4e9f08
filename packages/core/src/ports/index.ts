/**
 * The narrow interfaces core needs from a platform, one file each. The executor implements
 * them over KV, D1, R2 and the Worker Loader (packages/executor/src/bindings/); `./memory/`
 * has an in-memory twin of each for tests and other hosts; `packages/core/test/contracts/`
 * has one contract suite per port that every implementation passes.
 */
export type { StoredWorkflow, WorkflowStore } from "./workflow-store";
export type { RunPurge, RunQuery, RunStore } from "./run-store";
export { combineHooks, type RunHooks } from "./run-hooks";
export type { SecretSource } from "./secret-source";
export type { AiBinding } from "./ai-binding";
export type { KeyValueStore } from "./key-value-store";
export type { ComponentResolver, ModuleCaller } from "./component-resolver";
export type { ComponentStore, PublishedManifest } from "./component-store";
export { isoNow, systemClock, type Clock } from "./clock";
export * from "./memory/index";
