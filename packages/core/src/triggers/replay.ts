/**
 * Replay guard for signed webhooks: a signature that verified once is refused for as long as
 * it could verify again (its timestamp's tolerance; `tolerance_s` for schemes without one).
 * Runs after `verifySignature` succeeded, so only genuine signatures take up space, and claims
 * atomically (ClaimStore), so two copies of one delivery racing each other let one through.
 */
import type { ClaimStore } from "./claim-store";
import type { SignatureFailure, SignatureOk } from "./signature";

/** `sig:{workflow}:{signature hex}` */
export function replayKey(workflow: string, signature: string): string {
  return `sig:${workflow}:${signature}`;
}

export async function guardReplay(
  store: ClaimStore,
  args: { workflow: string; verified: SignatureOk; /** the run this delivery would start */ runId: string },
): Promise<{ ok: true } | SignatureFailure> {
  const claim = await store.claim(replayKey(args.workflow, args.verified.signature), args.runId, args.verified.replay_ttl_s);
  if (claim.claimed) return { ok: true };
  return {
    ok: false,
    code: "signature_replayed",
    status: 401,
    message: "this signature was already used for an earlier delivery",
    hint: "each delivery must be signed anew (with a fresh timestamp); an identical copy is refused while its signature could still verify",
  };
}
