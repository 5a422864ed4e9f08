// The in-memory twins pass the same contract suites as the executor's KV/D1 implementations
// (packages/executor/test/bindings.test.ts).
import { describeClock } from "../../../test/contracts/clock";
import { describeComponentResolver } from "../../../test/contracts/component-resolver";
import { describeComponentStore } from "../../../test/contracts/component-store";
import { describeKeyValueStore } from "../../../test/contracts/key-value-store";
import { describeRunHooks } from "../../../test/contracts/run-hooks";
import { describeRunStore } from "../../../test/contracts/run-store";
import { describeSecretSource } from "../../../test/contracts/secret-source";
import { describeWorkflowStore } from "../../../test/contracts/workflow-store";
import { chainResolvers, staticResolver } from "../../builtins/index";
import { executeWorkflow } from "../../run/execute";
import { component, resolverOf, workflow } from "../../run/testing";
import { systemClock } from "../clock";
import { manualClock, MemoryComponentStore, memoryKeyValueStore, memorySecretSource, MemoryRunStore, MemoryWorkflowStore } from "./index";

describeWorkflowStore("memory", () => new MemoryWorkflowStore());
describeRunStore("memory", () => new MemoryRunStore());
describeKeyValueStore("memory", () => memoryKeyValueStore());
describeSecretSource("memory", (values) => memorySecretSource(values));
describeComponentResolver("static list", (components) => staticResolver(components));
describeComponentResolver("chain of one-component lists", (components) => chainResolvers(...components.map((c) => staticResolver([c]))));
describeComponentStore("memory", () => new MemoryComponentStore());
describeClock("system", () => systemClock);
describeClock("manual", () => manualClock());

const twoNodes = workflow(["input >> ON_SUCCESS >> first", "first >> ON_SUCCESS >> second"], {
  first: { component: "ok" },
  second: { component: "ok" },
});
describeRunHooks("core executeWorkflow", (hooks) =>
  executeWorkflow(twoNodes, { resolver: resolverOf(component("ok", () => ({ success: true, data: 1 }))), input: {}, hooks, clock: manualClock() }),
);
