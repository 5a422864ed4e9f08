/** Worker entry: only wiring. The app is built once per isolate; each request's services come from its `env` bindings. */
import { createApp } from "./app";
import { servicesFromBindings } from "./bindings/services";
import type { Env } from "./env";

const app = createApp({ services: servicesFromBindings });

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
