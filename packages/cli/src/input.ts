/**
 * `--input`: inline JSON, `@file.json`, or `-` for stdin. Malformed JSON is a usage error
 * (exit 2) that quotes the parser's message and says where the JSON came from.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { usageError } from "./exit";
import type { CliIO } from "./io";

export async function readInput(spec: string | undefined, io: CliIO): Promise<unknown> {
  if (spec === undefined) return {};
  let text: string;
  let source: string;
  if (spec === "-") {
    text = await io.readStdin();
    source = "stdin";
    if (text.trim() === "") throw usageError("--input - read nothing from stdin", "pipe JSON in, e.g. echo '{\"a\":1}' | acr run <workflow> --input -");
  } else if (spec.startsWith("@")) {
    const path = resolve(io.cwd, spec.slice(1));
    source = spec.slice(1);
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      throw usageError(`cannot read the input file ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, "--input @path reads JSON from a file; check the path");
    }
  } else {
    text = spec;
    source = "--input";
  }
  return parseJson(text, source);
}

export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const hint =
      source === "--input"
        ? `quote the JSON for your shell, e.g. --input '{"email":"ada@example.com"}', or use --input @file.json`
        : "fix the JSON (property names and strings need double quotes)";
    throw usageError(`${source} is not valid JSON: ${(error as Error).message}`, hint);
  }
}
