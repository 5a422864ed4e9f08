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
import { scopeEnv } from "../bindings/tenant-scope";
import { resolveTenantCached } from "../middleware/tenant";

export class RunsWorkflow extends WorkflowEntrypoint<Env, DurableRunParams> {
  override async run(event: Readonly<WorkflowEvent<DurableRunParams>>, step: WorkflowStep): Promise<{ status: string }> {
    const params = event.payload as DurableRunParams;
    const services = servicesFromBindings(await this.envOf(params), this.ctx);
    return runDurable(services, params, { step, once: onceStep(step) });
  }

  /** A tenant's run goes on over that tenant's scoped bindings, as its request did. */
  private async envOf(params: DurableRunParams): Promise<Env> {
    if (!params.tenant_id) return this.env;
    const tenant = await resolveTenantCached(this.env, params.tenant_id);
    // the tenant was deleted meanwhile: nothing of it may be written any more (run() is not retried)
    if (!tenant) throw new Error(`tenant ${params.tenant_id} no longer exists; run ${params.run_id} stops`);
    return scopeEnv(this.env, tenant);
  }
}
