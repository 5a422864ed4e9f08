/**
 * Signed webhooks (issue 13 item 2): a workflow whose triggers include
 * `{webhook: {verify: {scheme, secret, ...}}}` accepts a delivery on its token URL only when
 * the signature over the raw body bytes verifies (core triggers/signature.ts, constant time)
 * with the secret read from the named credential — decrypted through the SecretSource, so it
 * is redacted like every credential — and it was not seen before inside its window (guardReplay
 * over the ClaimStore). All before a run exists; failures are 401 with the specific code.
 */
import { arcrunError, guardReplay, Redactor, signatureError, verifySignature, type CompiledWorkflow, type WebhookVerify } from "@arcrun/core";
import type { Services } from "../env";

/** The `verify` block of the workflow's first signed webhook trigger, if any. */
export function signedWebhook(workflow: CompiledWorkflow): WebhookVerify | undefined {
  for (const trigger of workflow.triggers) {
    if (trigger && typeof trigger === "object" && "webhook" in trigger && trigger.webhook?.verify) return trigger.webhook.verify as WebhookVerify;
  }
  return undefined;
}

export async function checkSignedDelivery(
  services: Services,
  args: { workflow: CompiledWorkflow; verify: WebhookVerify; headers: Headers; body: Uint8Array; runId: string },
): Promise<void> {
  const secret = await services.secretsFor?.(new Redactor()).get(args.verify.secret).catch(() => undefined);
  if (secret === undefined) {
    console.error(`webhook ${args.workflow.name}: signing secret credential "${args.verify.secret}" is not stored or cannot be opened`);
    throw arcrunError("webhook_secret_missing", "This webhook checks signatures, but its signing secret is not available on the executor.", {
      hint: `The workflow's owner must store it: acr creds push ${args.verify.secret}`,
    });
  }
  const verified = await verifySignature(args.verify, secret, { headers: args.headers, body: args.body }, { now: services.clock.now() });
  if (!verified.ok) throw signatureError(verified);
  const fresh = await guardReplay(services.claims, { workflow: args.workflow.name, verified, runId: args.runId });
  if (!fresh.ok) throw signatureError(fresh);
}
