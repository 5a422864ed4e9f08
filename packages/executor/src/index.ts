/** Worker entry: only wiring. The app is built once per isolate; each request's services come from its `env` bindings. */
import { createApp } from "./app";
import { servicesFromBindings } from "./bindings/services";
import type { Env } from "./env";
import { isMultiTenant } from "./middleware/tenant";
import { onScheduled } from "./services/scheduled";
import { tenantAdmin } from "./services/tenant-admin";
import { tenantsWithCron } from "./services/tenant-cron";

/** The Workflows class of durable runs (wrangler.jsonc `workflows`). */
export { RunsWorkflow } from "./durable/workflow";

const app = createApp({ services: servicesFromBindings });

export default {
  fetch: app.fetch,
  /** once a minute (wrangler.jsonc `triggers.crons`; locally the dev server): cron triggers, then housekeeping — per tenant with MULTI_TENANT */
  scheduled(controller, env, ctx) {
    const tick = { scheduledTime: controller.scheduledTime, background: (work: Promise<unknown>) => ctx.waitUntil(work) };
    if (!isMultiTenant(env)) return ctx.waitUntil(onScheduled(servicesFromBindings(env, ctx), tick));
    ctx.waitUntil(tenantsWithCron(env, (scoped) => onScheduled(servicesFromBindings(scoped, ctx), tick)));
  },
} satisfies ExportedHandler<Env>;

/** The auth Worker's way in (service binding EXECUTOR only): DELETE /tenant purges here. */
export const TenantAdmin = tenantAdmin;
