/**
 * An in-memory twin of every port, for tests and hosts without storage. The component
 * resolver's twin is `staticResolver` (builtins/index.ts), a fixed list of components.
 */
export { MemoryWorkflowStore } from "./workflow-store";
export { MemoryRunStore } from "./run-store";
export { recordingHooks, type HookEvent } from "./run-hooks";
export { memorySecretSource } from "./secret-source";
export { memoryKeyValueStore } from "./key-value-store";
export { inProcessModuleCaller } from "./module-caller";
export { MemoryComponentStore } from "./component-store";
export { manualClock, type ManualClock } from "./clock";
