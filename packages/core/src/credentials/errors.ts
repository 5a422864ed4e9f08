/**
 * The two run-time credential failures, worded once for the scheduler, the executor and the
 * CLI. Neither ever contains a value.
 */
import { arcrunError, type ArcrunError } from "../errors";

/** What to type to add a credential. */
export function pushCommandHint(name: string): string {
  return `add \`${name}: <value>\` to credentials.yaml and run \`acr creds push\``;
}

export function credentialMissing(name: string, node?: string): ArcrunError {
  const where = node ? `node "${node}" needs credential "${name}"` : `credential "${name}" is needed`;
  // the command is in the message too: a node's trace error has no separate hint
  return arcrunError("credential_missing", `${where}, which is not stored on this executor: ${pushCommandHint(name)}.`, {
    hint: pushCommandHint(name),
    details: { credential: name, ...(node ? { node } : {}) },
  });
}

export function credentialUndecryptableHint(name: string): string {
  return `the encryption key changed since "${name}" was stored: finish \`acr creds rotate-key\` (it needs the old key), or push the value again with \`acr creds push\``;
}
