/**
 * Registers asset-hooks.mjs. Import this first and the executor's source with `await import()`
 * after it: hooks apply only to modules loaded after registration.
 */
import { register } from "node:module";

register("./asset-hooks.mjs", import.meta.url);
