/**
 * What the scheduler calls before a node runs: decrypt every credential the node needs
 * (templates and contract injections) through the run's SecretSource, or explain which one
 * is missing or unreadable and how to fix it. Values live only in the returned object; the
 * caller hands them to templates, to `injectCredentials`, and to the redactor.
 */
import type { Contract } from "../components/contract";
import type { NodeError } from "../components/types";
import { ArcrunError } from "../errors";
import type { SecretSource } from "../ports/secret-source";
import { credentialMissing, credentialUndecryptableHint } from "./errors";
import { neededNames, nodeCredentialNeeds, type NodeCredentialNeeds } from "./needs";

export interface NodeCredentialsRequest {
  node: string;
  /** the node's raw parameters (templates not yet resolved) */
  params: Record<string, unknown>;
  contract?: Pick<Contract, "credentials_required">;
  source?: SecretSource;
  /** what the node needs, when the caller worked it out already (nodeCredentialNeeds of params and contract) */
  needs?: NodeCredentialNeeds;
}

export type NodeCredentials =
  | { ok: true; values: Record<string, string>; injections: { inject_as: string; value: string }[] }
  | { ok: false; error: NodeError };

export async function loadNodeCredentials(req: NodeCredentialsRequest): Promise<NodeCredentials> {
  const needs = req.needs ?? nodeCredentialNeeds(req.params, req.contract);
  const values: Record<string, string> = {};
  for (const name of neededNames(needs)) {
    let value: string | undefined;
    try {
      value = req.source ? await req.source.get(name) : undefined;
    } catch (error) {
      return { ok: false, error: unreadable(error, name, req.node) };
    }
    if (value === undefined) {
      const missing = credentialMissing(name, req.node);
      return { ok: false, error: { code: missing.code, message: missing.message, details: { credential: name, hint: missing.hint } } };
    }
    values[name] = value;
  }
  return { ok: true, values, injections: needs.injections.map((i) => ({ inject_as: i.inject_as, value: values[i.key] })) };
}

/** A SecretSource failure as the node's error: the source's code (credential_undecryptable, encryption_key_missing, ...) when it has one. */
function unreadable(error: unknown, name: string, node: string): NodeError {
  if (error instanceof ArcrunError) {
    return {
      code: error.code,
      message: `node "${node}": ${error.message}`,
      details: { credential: name, hint: error.code === "credential_undecryptable" ? credentialUndecryptableHint(name) : error.hint },
    };
  }
  return {
    code: "credential_unavailable",
    message: `node "${node}": credential "${name}" could not be read from the store (${error instanceof Error ? error.message : String(error)})`,
    details: { credential: name },
  };
}
