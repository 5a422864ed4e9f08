/** Worker entry: only wiring. The app is built once per isolate; each request's services come from its `env` bindings. */
import { createApp } from "./app";
import { servicesFromBindings } from "./bindings/services";
import type { Env } from "./env";
import { onScheduled } from "./services/scheduled";

const app = createApp({ services: servicesFromBindings });

export default {
  fetch: app.fetch,
  /** once a minute (wrangler.jsonc `triggers.crons`; locally the dev server): cron triggers, then housekeeping */
  scheduled(controller, env, ctx) {
    ctx.waitUntil(onScheduled(servicesFromBindings(env, ctx), { scheduledTime: controller.scheduledTime, background: (work) => ctx.waitUntil(work) }));
  },
} satisfies ExportedHandler<Env>;
