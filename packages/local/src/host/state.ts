/** Names shared by the local server and the CLI that finds it. */

/** the executor's local port (DESIGN § Wave 2 decisions: registry 8788, auth 8789 come next) */
export const DEFAULT_PORT = 8787;
/** `<state>/api-key`: the local server's API key, read by the CLI */
export const API_KEY_FILE = "api-key";
/** `<state>/registry-admin-key`: the local registry's admin key (approves submissions), read by the CLI */
export const REGISTRY_ADMIN_KEY_FILE = "registry-admin-key";
/** the state folder in the working directory: KV, D1 and R2 of the local server */
export const STATE_DIR_NAME = ".arcrun";

/** `REGISTRY_PORT` default (DESIGN § Wave 2 decisions): the local registry beside the executor. */
export const DEFAULT_REGISTRY_PORT = 8788;

/** `<state>/auth-sealing-key`: the local auth Worker's AUTH_SEALING_KEY (MULTI_TENANT=true npm start) */
export const AUTH_SEALING_KEY_FILE = "auth-sealing-key";
