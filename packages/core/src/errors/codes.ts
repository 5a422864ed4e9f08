/**
 * The one error table (issue 9 item 5): every stable error code arcrun produces, with who must
 * act (`kind`), the HTTP status an API answer uses, whether a node failing with it may be
 * retried, the `acr` exit code, and a one-line hint. Throw sites name a key of this table, so
 * a typo fails the type checker; the executor's `onError`, the CLI's exit mapping and node
 * retry read it. `errors/codes.test.ts` fails when a source uses a code missing here.
 *
 * Three families share the table: API errors (thrown as ArcrunError / CliError), node errors
 * (the `error.code` of a failed node; `retryable` decides retries) and workflow issues (the
 * `errors[]` of an `invalid_workflow` answer, status 422).
 */
export type ErrorKind = "user" | "operational" | "internal";

/** `acr` exit codes, a contract with scripts and CI: 0 ok · 1 run/server failed · 2 usage, config, 4xx · 3 unreachable. */
export const EXIT = { ok: 0, runFailed: 1, usage: 2, unreachable: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface ErrorSpec {
  /** api: an error answer (and CliError); node: a failed node's error; issue: a workflow issue; cli: acr's own */
  family: "api" | "node" | "issue" | "cli";
  kind: ErrorKind;
  status: number;
  /** a node failing with this code may be retried (its own `retryable: false` still wins) */
  retryable: boolean;
  exit: ExitCode;
  hint: string;
}

const user = (status: number, hint: string): ErrorSpec => ({ family: "api", kind: "user", status, retryable: false, exit: status >= 500 ? EXIT.runFailed : EXIT.usage, hint });
const operational = (status: number, hint: string, retryable = false): ErrorSpec => ({ family: "api", kind: "operational", status, retryable, exit: status >= 500 ? EXIT.runFailed : EXIT.usage, hint });
const internal = (hint: string): ErrorSpec => ({ family: "api", kind: "internal", status: 500, retryable: false, exit: EXIT.runFailed, hint });
/** a workflow issue: reported inside a 422 `invalid_workflow` */
const issue = (hint: string): ErrorSpec => ({ ...user(422, hint), family: "issue" });
/** a node failure: the run records it; the node's own status in the run answer, not an HTTP status */
const node = (kind: ErrorKind, hint: string, retryable = false): ErrorSpec => ({ family: "node", kind, status: kind === "user" ? 422 : kind === "operational" ? 502 : 500, retryable, exit: EXIT.runFailed, hint });
/** a CLI-side failure before any request (status is nominal: nothing goes on the wire) */
const cli = (exit: ExitCode, hint: string, kind: ErrorKind = "user"): ErrorSpec => ({ family: "cli", kind, status: exit === EXIT.runFailed ? 500 : 400, retryable: false, exit, hint });

export const ERROR_CODES = {
  // ── requests ────────────────────────────────────────────────────────────────
  invalid_json: user(400, "Send a JSON body with `Content-Type: application/json`."),
  invalid_request: user(400, "The body does not have the shape this endpoint expects; the message names the field."),
  invalid_query: user(400, "A query parameter is out of range; the message names it."),
  unsupported_media_type: user(415, "Send the body with one of the content types the endpoint accepts."),
  payload_too_large: user(413, "Send less data per request; large payloads belong in storage, passed by reference."),
  unauthorized: user(401, "Send `Authorization: Bearer <key>` with the executor's API key."),
  not_found: user(404, "No such endpoint; GET /health, /workflows, /runs, /credentials and /components exist."),
  not_configured: operational(503, "A binding or secret this endpoint needs is not configured on the executor."),
  internal_error: internal("This is a bug in arcrun, not in your request; the executor log has the details."),
  // ── workflows and runs ─────────────────────────────────────────────────────
  invalid_workflow: user(422, "Fix the listed problems; `acr validate <file>` shows them with line numbers."),
  workflow_not_found: user(404, "`acr list` shows the stored workflows; `acr push <file>` stores one."),
  webhook_not_found: user(404, "The webhook URL may be mistyped or the workflow deleted."),
  run_not_found: user(404, "`acr logs` lists recent runs and their ids."),
  workflow_version_not_found: user(404, "Rerun on the current version (`version: \"current\"`, `acr run --rerun <id> --current`)."),
  rerun_unknown_node: user(422, "Name a node of the workflow version being rerun; the message lists them."),
  rerun_redacted: user(422, "Rerun from an earlier node (or from the start): an upstream output held a credential and was stored redacted."),
  rerun_not_reusable: user(422, "Rerun from an earlier node, from the start, or on the pinned version: an upstream node has no recorded result."),
  input_too_deep: user(400, "Flatten the data: objects and lists nest at most 64 levels."),
  invalid_idempotency_key: user(400, "Send 1 to 255 printable characters, e.g. a UUID or the sender's event id."),
  run_in_progress: user(409, "The first run with this idempotency key has not finished; ask again shortly or read GET /runs/:id."),
  signature_missing: user(401, "Send the signature header the workflow's webhook trigger names."),
  signature_malformed: user(401, "Send the signature in the provider's documented format."),
  signature_mismatch: user(401, "Sign the raw body with the webhook's secret (the credential the trigger names)."),
  signature_expired: user(401, "Send the request within the trigger's tolerance_s of its timestamp."),
  signature_replayed: user(401, "A signed request is accepted once; sign a new one."),
  run_finished: user(409, "The run has finished: an event reaches only a run that is still running or waiting (GET /runs/:id shows its status)."),
  run_not_durable: user(409, "Only durable runs (webhook and cron triggers, on Cloudflare Workflows) take events; this one runs in-process."),
  invalid_event_name: user(400, "Name the event with lowercase letters, digits and _ (at most 64), as the wait_for_event node's `event` says."),
  graph_cycle: internal("A cycle reached the scheduler; the workflow checks should have refused it."),
  // ── components ─────────────────────────────────────────────────────────────
  component_not_found: user(404, "`acr parts list` shows the components; publish one with `acr parts publish`."),
  component_not_deletable: user(409, "Only published (r2) components can be deleted."),
  component_exists: user(409, "Pick another name: this one is taken."),
  name_mismatch: user(422, "Make the URL and the contract's name agree."),
  // ── recipes ────────────────────────────────────────────────────────────────
  recipe_not_found: user(404, "`acr recipe list` shows the recipes; `acr recipe push <file>` stores one."),
  invalid_recipe: user(422, "Fix the recipe file as each issue says (line and column given); recipes/README.md describes the format."),
  recipe_in_use: user(409, "Change or remove the workflows that use it first (`acr rm <workflow>`), then remove the recipe."),
  recipe_not_replaceable: user(409, "A builtin, bundled component or standard recipe has this name: name your recipe differently."),
  invalid_contract: user(422, "Fix contract.yaml as the message says."),
  invalid_module: user(422, "Rebuild the component with `acr parts build`."),
  module_too_large: user(422, "Make the module smaller (strip debug info, build with -O)."),
  forbidden_import: user(422, "Use only the wasi_snapshot_preview1 calls the sandbox provides."),
  unmetered_module: user(422, "Build it with `acr parts build`, which adds fuel metering."),
  memory_over_cap: user(422, "Declare a memory maximum no larger than the contract's limits.memory_pages (`acr parts build` sets it)."),
  invalid_feature: user(400, "Fix the Gherkin feature file as the message says."),
  // ── registry ───────────────────────────────────────────────────────────────
  forbidden: user(403, "This endpoint needs the registry's admin key."),
  submission_not_found: user(404, "`GET /submit/:id` takes the id `POST /submit` answered."),
  submission_rejected: user(422, "Fix each failing acceptance step as its hint says, then submit again."),
  version_exists: user(409, "Versions are immutable: raise the contract's version and submit again."),
  version_not_found: user(404, "`GET /components/:name` lists the versions."),
  submission_decided: user(409, "Only an accepted submission can be approved or rejected."),
  cold_start_too_slow: user(422, "Make the module smaller or its start-up cheaper: the median cold start is over the registry's threshold."),
  scenario_failed: user(422, "Run the features locally (`acr parts test <dir>`) and fix what each failing scenario names."),
  config_example_failed: user(422, "Make config_example fit input_schema and the module answer it without crashing."),
  no_features: user(422, "Add features/*.feature files (Given input / Then output) to the submission."),
  // ── credentials and keys ───────────────────────────────────────────────────
  credential_not_found: user(404, "`acr creds list` shows the stored names."),
  credential_name_invalid: user(400, "Use letters, digits, _ and -."),
  credential_value_invalid: user(400, "A credential value is text."),
  credential_value_empty: user(400, "Give it a value, or remove it with `acr creds rm <name>`."),
  credential_value_too_large: user(413, "A credential is at most 64 KiB."),
  credential_record_invalid: user(400, "Send what `acr creds push` sends; the executor never accepts plaintext."),
  credential_undecryptable: user(422, "Push the credential again with the key this executor uses: `acr creds push`."),
  credential_missing: user(422, "Add it with `acr creds push` (credentials.yaml)."),
  credential_unavailable: node("user", "Push the credential again with `acr creds push`."),
  credential_store_unavailable: node("operational", "The tenant's KV namespace could not be read through the Cloudflare API (5xx or 429); the run may be retried.", true),
  webhook_secret_missing: operational(503, "Store the webhook's signing secret under the name its verify.secret gives: `acr creds push <name>`."),
  credentials_not_configured: operational(503, "Bind CREDENTIALS_KV to the executor."),
  encryption_key_missing: operational(503, "Generate a key: `acr init`, or `openssl rand -base64 32` into ARCRUN_ENCRYPTION_KEY."),
  encryption_key_invalid: operational(503, "A key is 32 random bytes in standard base64: `openssl rand -base64 32`."),
  encryption_key_mismatch: user(409, "Use the executor's key in your arcrun config (or ARCRUN_ENCRYPTION_KEY)."),
  executor_key_missing: user(503, "Set ARCRUN_ENCRYPTION_KEY on the executor (`acr deploy` does)."),
  rotation_invalid: user(400, "Rotate to a freshly generated key: `acr creds rotate-key`."),
  rotation_key_not_loaded: user(409, "Restart the executor with the new key, then run `acr creds rotate-key` again."),
  rotation_incomplete: user(409, "Run `acr creds rotate-key` again to stage the rest."),
  rotation_not_abortable: user(409, "The executor already uses the new key: run `acr creds rotate-key` to finish."),
  rotation_in_progress: user(409, "Finish the rotation with `acr creds rotate-key`, or undo it with `--abort`."),
  rotation_not_started: user(409, "Start one with `acr creds rotate-key`."),
  rotation_conflict: user(409, "Finish or abort the other rotation from the machine that started it."),
  // ── tenants and the auth Worker (shared deployment) ─────────────────────────
  token_in_body: user(400, "Send the Cloudflare token only in the `CF-Api-Token` header; remove it from the body."),
  cloudflare_token_missing: user(400, "Send a Cloudflare API token with read access to Workers KV in the `CF-Api-Token` header."),
  cloudflare_token_invalid: user(422, "Create a token at dash.cloudflare.com → My Profile → API Tokens (Workers KV Storage: Read) and send it in `CF-Api-Token`."),
  cloudflare_kv_unreadable: user(422, "Give the token Workers KV Storage: Read on this account, and check account_id and kv_namespace_id."),
  cloudflare_api_unavailable: operational(502, "The Cloudflare API did not answer or answered 5xx/429; try again shortly.", true),
  rate_limited: user(429, "Wait a while (the Retry-After header says how long) and try again."),
  key_not_found: user(404, "`acr keys list` shows your key ids."),
  tenant_credentials_read_only: user(409, "In a shared deployment credentials live in your own KV namespace: `acr creds push` writes them there with your own token."),
  auth_not_configured: operational(503, "Set the auth Worker's secret AUTH_SEALING_KEY (`openssl rand -base64 32`) and bind ACCOUNTS_KV."),
  // ── node failures (retryable decides node retry) ───────────────────────────
  invalid_input: node("user", "Fix the node's parameters as the message says."),
  invalid_condition: node("user", "Write a condition as {value, op, to}, {all: [...]}, {any: [...]} or {not: ...}."),
  invalid_output: node("user", "A component answers with one JSON document on stdout."),
  code_error: node("user", "Fix the node's code; the message names the line."),
  template_error: node("user", "Fix the template path; `acr validate` checks them."),
  expression_error: node("user", "Fix the set node's JSONata expression; the message has JSONata's code and position."),
  expression_limit: node("user", "The JSONata expression ran past its step budget (limits.cpu_ms × 500): look for a runaway recursion."),
  egress_denied: node("user", "Declare the host in the node's or workflow's `egress`."),
  output_too_large: node("user", "Raise limits.max_output_bytes, or return less data."),
  not_runnable: node("user", "This component runs on the server only."),
  timeout: node("operational", "Raise limits.timeout_ms, or make the work smaller.", true),
  memory_limit: node("operational", "Raise the component's memory limit, or process less data at once."),
  component_trap: node("operational", "The component crashed; its stderr lines are in the node's logs."),
  component_unavailable: node("operational", "The loader could not run the published module; try again or republish it."),
  network_error: node("operational", "The host did not answer; check the URL and try again.", true),
  http_error: node("operational", "The host answered with an error status; 5xx and 429 are retried.", true),
  invalid_response: node("operational", "The host's answer is not JSON; set response: text to keep it as text."),
  response_too_large: node("operational", "Raise max_response_bytes, or ask for less data."),
  too_many_redirects: node("operational", "The host redirects in a loop; call the final URL."),
  failed: node("user", "A node failed; its own error says why."),
  credential_expired: node("user", "Renew the credential (a new refresh token or key) and push it with `acr creds push`."),
  credential_invalid: node("user", "The stored credential has the wrong form for this recipe; the message says what it expects."),
  interrupted: node("operational", "The run was cut off by a restart; rerun it."),
  event_timeout: node("operational", "No event arrived before the wait_for_event node's timeout; raise `timeout`, or post it sooner to POST /runs/:id/events/:name."),
  wait_not_durable: node("user", "Waiting needs a durable run: start the workflow by its webhook or a cron trigger (Workflows), not a sync trigger or in-request rerun."),
  ai_not_configured: node("user", 'Bind Workers AI to the executor as `AI` (wrangler.jsonc: "ai": {"binding": "AI"}), or use provider openai or anthropic.'),
  ai_unsupported: node("user", "This provider cannot do that (anthropic has no embeddings); pick another provider for the node."),
  invalid_model_output: node("operational", "The model did not answer JSON matching the schema; simplify the schema, say more in the prompt, or use a stronger model."),
  // ── workflow issues (inside invalid_workflow) ──────────────────────────────
  yaml_syntax: issue("Fix the YAML at the named line."),
  schema: issue("Fix the field as the message says."),
  flow_syntax: issue('Write an edge as "a >> ON_SUCCESS >> b" or "(a)-[:ON_SUCCESS]->(b)".'),
  reserved_name: issue("Rename the node: input and credential are reserved."),
  invalid_node_name: issue("Use lowercase letters, digits and _, starting with a letter or _."),
  unknown_node: issue("Name a node that has a config entry."),
  node_without_config: issue("Add the node under config."),
  config_without_flow: issue("Connect the node in flow, or remove its config."),
  unknown_relation: issue("Use ON_SUCCESS, ON_FAILURE, ALWAYS or a branch the source emits."),
  unknown_component: issue("`acr parts list` shows the components."),
  missing_input: issue("Add the parameter the component's input_schema requires."),
  invalid_expression: issue("Fix the set node's JSONata expression at the position the message names."),
  template_syntax: issue("Write a template as {{input.a}}, {{node.data.x}} or {{credential.name}}."),
  template_unknown_node: issue("A template reads input, an upstream node or a credential."),
  template_not_upstream: issue("Connect the node read by the template upstream of this one."),
  edge_into_input: issue("Point the edge at another node: input is where a run starts."),
  cycle: issue("Break the cycle: a workflow is a directed acyclic graph."),
  yaml_aliases: issue("Use fewer YAML aliases (*name): each may expand to a copy of its anchor."),
  too_deep: issue("Flatten the workflow: objects and lists nest at most 64 levels."),
  workflow_too_large: issue("Split the workflow: it is over a size limit the message names."),
  cron_invalid: issue('Write five cron fields, e.g. "*/15 * * * *" (minute hour day month weekday).'),
  cron_never_fires: issue("The expression names a date that never comes (e.g. 30 February)."),
  timezone_unknown: issue('Use an IANA timezone name such as "Europe/Berlin" or "UTC".'),
  webhook_verify: issue("A preset knows its own header; a secret names a stored credential."),
  idempotency_key_template: issue('Derive the key from the payload only, e.g. idempotency_key: "{{input.event_id}}".'),
  invalid_wait: issue('Write a duration such as "10m", "2d" or "1h30m" (at most 365 days), or until as an ISO time at most 365 days ahead.'),
  on_error_self: issue("Name another workflow in on_error: a workflow cannot handle its own failure."),
  unreachable: issue("Connect the node to input, or remove it."),
  // ── the CLI, before or around a request ────────────────────────────────────
  usage: cli(EXIT.usage, "`acr <command> --help` shows the options."),
  cli_error: cli(EXIT.usage, "The message says what to fix."),
  cancelled: cli(EXIT.usage, "Nothing was written."),
  server_unreachable: cli(EXIT.unreachable, "Start the local server (`acr dev`), or point --url / ARCRUN_URL at a running one.", "operational"),
  bad_response: cli(EXIT.runFailed, "Check that --url / ARCRUN_URL points at an arcrun executor.", "operational"),
  config_invalid: cli(EXIT.usage, "Fix the arcrun config file as the message says."),
  config_exists: cli(EXIT.usage, "Keep the existing config, or remove it first."),
  credentials_file_missing: cli(EXIT.usage, "Create credentials.yaml with name: value pairs."),
  credentials_file_invalid: cli(EXIT.usage, "Fix credentials.yaml as the message says."),
  credentials_file_not_mapping: cli(EXIT.usage, "credentials.yaml maps names to values."),
  credentials_file_empty: cli(EXIT.usage, "Add name: value pairs to credentials.yaml."),
  rotation_needs_config: cli(EXIT.usage, "Unset ARCRUN_ENCRYPTION_KEY: rotate-key works on the key in the config."),
  rotation_waiting: cli(EXIT.runFailed, "Restart the executor with the new key, then run `acr creds rotate-key` again."),
  no_components_folder: cli(EXIT.usage, "Run inside a project with a components/ folder."),
  no_component_build: cli(EXIT.usage, "Run inside an arcrun checkout with its node_modules installed."),
  component_build_failed: cli(EXIT.usage, "Fix the sources named above, then run `acr parts build` again."),
  invalid_name: cli(EXIT.usage, "Use lowercase letters, digits and _, starting with a letter."),
  module_missing: cli(EXIT.usage, "Build the component first: `acr parts build <name>`."),
  contract_missing: cli(EXIT.usage, "Add contract.yaml beside the component's sources."),
  port_in_use: cli(EXIT.usage, "Pick another port with --port, or stop what listens there."),
  dev_failed: cli(EXIT.runFailed, "Rerun with ACR_DEBUG=1 for details.", "operational"),
  fixtures_missing: cli(EXIT.usage, "Write <workflow>.test.yaml beside the workflow, or record one: `acr test --record <workflow.yaml>`."),
  fixtures_invalid: cli(EXIT.usage, "Fix the fixtures file as each issue says (line and column given); packages/cli/README.md describes the format."),
  // acr init --self-hosted / acr deploy (packages/cli/src/selfhost)
  needs_confirmation: cli(EXIT.usage, "Pass --yes to go ahead without asking, or --dry-run to see the plan only."),
  deploy_token_missing: cli(EXIT.usage, "Set CLOUDFLARE_API_TOKEN to an API token of your account (My Profile → API Tokens)."),
  deploy_token_invalid: cli(EXIT.usage, "Create a new API token in the dashboard and set CLOUDFLARE_API_TOKEN to it."),
  cloudflare_permission_missing: cli(EXIT.usage, "Edit the token in the dashboard and add the permissions named."),
  cloudflare_account_invalid: cli(EXIT.usage, "Give the 32-character account id from the dashboard with --account-id or CLOUDFLARE_ACCOUNT_ID."),
  cloudflare_request_refused: cli(EXIT.usage, "Cloudflare refused a request; the message has its error code."),
  cloudflare_unavailable: cli(EXIT.runFailed, "Cloudflare answered 429/5xx or not at all, also after retries; run the same command again: it resumes.", "operational"),
  not_self_hosted: cli(EXIT.usage, "Install first with `acr init --self-hosted`."),
  // acr init --standard --auth-url, acr keys, acr tenant, acr creds push in standard mode (a shared deployment)
  auth_url_missing: cli(EXIT.usage, "Give the auth Worker's URL: `acr init --standard --url <executor> --auth-url <auth>` (or ARCRUN_AUTH_URL)."),
  auth_unreachable: cli(EXIT.unreachable, "Check --auth-url / ARCRUN_AUTH_URL; locally `MULTI_TENANT=true npm start` serves the auth Worker on AUTH_PORT (8789).", "operational"),
  not_registered: cli(EXIT.usage, "Register first: `acr init --standard --url <executor> --auth-url <auth>`."),
  kv_write_token_missing: cli(EXIT.usage, "Set CLOUDFLARE_API_TOKEN to a token of yours with Workers KV Storage: Edit; it stays on this machine."),
  // acr parts search|info|submit|install|approve|reject (the registry)
  registry_unreachable: cli(EXIT.unreachable, "Start the local server (`acr dev` serves the registry on REGISTRY_PORT), or set REGISTRY_URL.", "operational"),
  registry_key_missing: cli(EXIT.usage, "Set REGISTRY_KEY, or run inside the project whose .arcrun/api-key the local server created."),
  admin_key_missing: cli(EXIT.usage, "Set REGISTRY_ADMIN_KEY, or run inside the project whose .arcrun/registry-admin-key the local server created."),
  checksum_mismatch: cli(EXIT.runFailed, "The module's bytes do not match its sha256: nothing was installed; try again, or report the component.", "operational"),
  features_failed: cli(EXIT.runFailed, "Fix the failing scenarios (`acr parts test <name>`), then submit again."),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(ERROR_CODES, code);
}

/** The table's entry, or undefined for a code arcrun does not know (a third-party component's). */
export function errorSpec(code: string): ErrorSpec | undefined {
  return isErrorCode(code) ? ERROR_CODES[code] : undefined;
}

/** The exit code for an error answer: the table's, else by HTTP status (5xx → 1, other → 2). */
export function exitCodeFor(code: string, status?: number): ExitCode {
  const spec = errorSpec(code);
  if (spec) return spec.exit;
  return status !== undefined && status >= 500 ? EXIT.runFailed : EXIT.usage;
}
