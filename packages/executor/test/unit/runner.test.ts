// The executor's runner calls run hooks as core's executeWorkflow does (the shared RunHooks contract).
import { describeRunHooks } from "@arcrun/core/contracts/run-hooks";
import { compileWorkflow } from "@arcrun/core";
import { inMemoryExecutor } from "./in-memory";

const { runToCompletion } = await import("../../src/services/runner");

const TWO_NODES = `name: two
flow:
  - "input >> ON_SUCCESS >> first"
  - "first >> ON_SUCCESS >> second"
config:
  first: {component: code, code: "return 1"}
  second: {component: code, code: "return 2"}
`;

describeRunHooks("executor runToCompletion", async (hooks) => {
  const { services } = inMemoryExecutor({ hooks });
  const compiled = await compileWorkflow(TWO_NODES, { resolver: services.resolver });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  return runToCompletion({ workflow: compiled.workflow, input: {}, trigger: "execute", services });
});
