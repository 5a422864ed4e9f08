/**
 * The Workflows entrypoint (wrangler.jsonc `workflows`: binding RUNS_WORKFLOW, class
 * RunsWorkflow): one instance per durable run (services/durable.ts). Only wiring: the run is
 * services/runner.ts `runDurable`.
 */
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import type { Env } from "../env";
import { servicesFromBindings } from "../bindings/services";
import { runDurable } from "../services/runner";
import { onceStep, type DurableRunParams } from "../services/durable";

export class RunsWorkflow extends WorkflowEntrypoint<Env, DurableRunParams> {
  override async run(event: Readonly<WorkflowEvent<DurableRunParams>>, step: WorkflowStep): Promise<{ status: string }> {
    const services = servicesFromBindings(this.env);
    return runDurable(services, event.payload as DurableRunParams, { step, once: onceStep(step) });
  }
}
