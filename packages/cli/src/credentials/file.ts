/**
 * `credentials.yaml`: a mapping of name → value, or name → {value, description}.
 * Every entry is checked before anything is encrypted or sent, and all problems are
 * reported at once: a bad file changes nothing on the server.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { isMap, isScalar, parseDocument, type Pair } from "yaml";
import { ArcrunError } from "@arcrun/core/errors";
import { checkCredentialName, checkCredentialValue } from "@arcrun/core/crypto/credential";
import { MAX_DESCRIPTION } from "@arcrun/core/credentials/api";
import { CliError, EXIT } from "../exit";

export interface CredentialEntry {
  name: string;
  value: string;
  description?: string;
  line?: number;
}

const EXAMPLE = "api_token: sk-live-...\ngithub:\n  value: ghp_...\n  description: repo read access";

export function readCredentialsFile(file: string, cwd: string): CredentialEntry[] {
  const path = resolve(cwd, file);
  if (!existsSync(path)) {
    throw new CliError(`no credentials file at ${file}`, {
      code: "credentials_file_missing",
      hint: `create it (it is git-ignored) with one line per credential, e.g.\n${EXAMPLE}`,
    });
  }
  return parseCredentials(readFileSync(path, "utf8"), file);
}

export function parseCredentials(text: string, file: string): CredentialEntry[] {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : text.slice(0, offset).split("\n").length);
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    throw new CliError(`${file}${first.linePos ? `:${first.linePos[0].line}` : ""} is not valid YAML: ${first.message.split("\n")[0]}`, {
      code: "credentials_file_invalid",
      hint: `write one credential per line, e.g.\n${EXAMPLE}`,
    });
  }
  if (!isMap(doc.contents)) {
    const what = doc.contents === null ? "empty" : isScalar(doc.contents) ? "a single value" : "a list";
    throw new CliError(`${file} is ${what}, not a mapping of credential names to values`, {
      code: "credentials_file_not_mapping",
      hint: `write name: value pairs, e.g.\n${EXAMPLE}`,
    });
  }
  const values = doc.toJS() as Record<string, unknown>;
  const entries: CredentialEntry[] = [];
  const problems: string[] = [];
  for (const pair of doc.contents.items as Pair[]) {
    const line = lineOf((pair.key as { range?: [number] } | null)?.range?.[0]);
    const at = `${file}${line ? `:${line}` : ""}`;
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    try {
      entries.push({ ...entryOf(name, values[name]), line });
    } catch (error) {
      if (!(error instanceof ArcrunError || error instanceof CliError)) throw error;
      problems.push(`${at}: ${error.message}${error.hint ? ` (${error.hint})` : ""}`);
    }
  }
  if (problems.length > 0) {
    throw new CliError(
      problems.length === 1 ? `${problems[0]}` : `${file} has ${problems.length} problems; nothing was sent`,
      { code: "credentials_file_invalid", lines: problems.length === 1 ? [] : problems.map((p) => `  ${p}`), hint: "fix them and run `acr creds push` again; nothing was sent" },
    );
  }
  if (entries.length === 0) {
    throw new CliError(`${file} has no credentials`, { code: "credentials_file_empty", hint: `add name: value pairs, e.g.\n${EXAMPLE}` });
  }
  return entries;
}

function entryOf(name: string, raw: unknown): Omit<CredentialEntry, "line"> {
  checkCredentialName(name);
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    const { value, description, ...rest } = raw as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) {
      throw new CliError(`credential "${name}" has unknown field${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`, { hint: "an entry is `name: value` or `name: {value: ..., description: ...}`" });
    }
    checkCredentialValue(name, value);
    if (description !== undefined && typeof description !== "string") throw new CliError(`the description of "${name}" must be text`);
    if (typeof description === "string" && description.length > MAX_DESCRIPTION) throw new CliError(`the description of "${name}" is over ${MAX_DESCRIPTION} characters`);
    return description ? { name, value, description } : { name, value };
  }
  checkCredentialValue(name, raw);
  return { name, value: raw };
}
