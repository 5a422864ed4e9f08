/** Worker entry: builds the app once per isolate; bindings reach it through `env`. */
import { createApp } from "./app";
import type { Env } from "./env";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
