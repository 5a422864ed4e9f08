/**
 * `acr validate`'s credential check: every credential a workflow needs (its `{{credential.x}}`
 * templates and its components' `credentials_required`) that the executor does not have,
 * as workflow issues with the command that adds it. Asks the server only when the workflow
 * needs credentials; a server that cannot be reached is a note, not a failure (`--offline` skips it).
 */
import type { ComponentResolver } from "@arcrun/core/components/types";
import type { WorkflowIssue } from "@arcrun/core/errors";
import type { CompiledWorkflow } from "@arcrun/core/workflow/schema";
import { credentialRefs } from "@arcrun/core/credentials/needs";
import { pushCommandHint } from "@arcrun/core/credentials/errors";
import type { CliContext } from "../context";
import { CliError } from "../exit";
import { credentialsApi } from "./remote";

export interface CredentialCheck {
  issues(workflow: CompiledWorkflow, resolver: ComponentResolver, file: string): Promise<WorkflowIssue[]>;
}

/** One check per command run: the executor's list is fetched at most once. */
export function credentialCheck(ctx: CliContext): CredentialCheck {
  let stored: Promise<Set<string> | undefined> | undefined;
  const storedNames = () =>
    (stored ??= credentialsApi(ctx.client()).list().then(
      (list) => new Set(list.credentials.map((c) => c.name)),
      (error: unknown) => {
        const reason = error instanceof CliError ? error.message : String(error);
        ctx.note(`warning: credentials not checked: ${reason} (--offline skips this check)`);
        return undefined;
      },
    ));
  return {
    async issues(workflow, resolver, file) {
      const refs = await credentialRefs(workflow, resolver);
      if (refs.length === 0) return [];
      const names = await storedNames();
      if (!names) return [];
      const url = ctx.client().url;
      const missing = (ref: (typeof refs)[number]) => (ref.one_of ? !ref.one_of.some((set) => set.every((n) => names.has(n))) : !names.has(ref.name));
      return refs.filter(missing).map((ref) => ({
        code: "credential_missing",
        file,
        node: ref.node,
        ...lineOf(workflow.source, ref.via === "template" ? `credential.${ref.name}` : `${ref.node}:`),
        message: ref.via === "template"
          ? `node ${ref.node}: credential "${ref.name}" ({{credential.${ref.name}}}) is not stored on ${url}`
          : ref.via === "recipe"
          ? `node ${ref.node}: recipe ${workflow.nodes[ref.node].component} needs credential ${ref.one_of ? `${ref.one_of.map((set) => set.map((n) => `"${n}"`).join(" + ")).join(" or ")} (any one)` : `"${ref.name}"`}, which is not stored on ${url}`
          : `node ${ref.node}: component ${workflow.nodes[ref.node].component} needs credential "${ref.name}" (injected as ${ref.inject_as}), which is not stored on ${url}`,
        hint: pushCommandHint(ref.name),
      }));
    },
  };
}

function lineOf(source: string, needle: string): { line?: number } {
  const index = source.split("\n").findIndex((line) => line.includes(needle));
  return index === -1 ? {} : { line: index + 1 };
}
