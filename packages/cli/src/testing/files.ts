/**
 * Which workflow goes with which fixtures file for `acr test`, and reading both. A workflow's
 * fixtures are `<name>.test.yaml` beside it; a `.test.yaml` given on the command line names
 * its workflow (`workflow:`, default the same name without `.test`). A workflow without
 * fixtures is listed as skipped (so `acr test examples/*.yaml` works on a mixed folder).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { formatFixturesIssue, loadFixtures } from "@arcrun/core/fixtures/load";
import type { FixturesFile } from "@arcrun/core/fixtures/schema";
import { CliError, usageError } from "../exit";

export interface TestTarget {
  /** the workflow file as shown (relative to cwd) */
  workflowFile: string;
  workflowPath: string;
  fixturesFile: string;
  fixturesPath: string;
}

const FIXTURES = /\.test\.ya?ml$/i;

export function fixturesPathFor(workflowPath: string): string {
  return workflowPath.replace(/\.ya?ml$/i, "") + ".test.yaml";
}

/** One entry per fixtures file for the given files (none: every *.test.yaml in cwd), plus the workflows that have none. */
export function resolveTargets(files: string[], cwd: string): { targets: TestTarget[]; skipped: string[] } {
  const show = (path: string) => relative(cwd, path) || path;
  const given = files.length > 0 ? files : readdirSync(cwd).filter((f) => FIXTURES.test(f)).sort();
  if (given.length === 0) throw new CliError("no fixtures files (*.test.yaml) in this folder", { code: "fixtures_missing", hint: "give workflow files: acr test examples/*.yaml" });
  const targets = new Map<string, TestTarget>();
  const skipped: string[] = [];
  for (const file of given) {
    const path = resolve(cwd, file);
    if (!existsSync(path)) throw usageError(`no such file: ${file}`, "give workflow files (.yaml) or fixtures files (.test.yaml)");
    if (FIXTURES.test(path)) {
      const declared = workflowOf(path);
      const workflowPath = declared ? resolve(dirname(path), declared) : path.replace(FIXTURES, ".yaml");
      if (!existsSync(workflowPath)) throw new CliError(`${file}: its workflow ${show(workflowPath)} does not exist`, { code: "fixtures_invalid", hint: "set workflow: <file> in the fixtures file, relative to it" });
      targets.set(path, { workflowFile: show(workflowPath), workflowPath, fixturesFile: show(path), fixturesPath: path });
    } else {
      const fixturesPath = fixturesPathFor(path);
      if (!existsSync(fixturesPath)) {
        skipped.push(file);
        continue;
      }
      targets.set(fixturesPath, { workflowFile: show(path), workflowPath: path, fixturesFile: show(fixturesPath), fixturesPath });
    }
  }
  const paired = new Set([...targets.values()].map((t) => t.workflowFile));
  return { targets: [...targets.values()], skipped: skipped.filter((f) => !paired.has(show(resolve(cwd, f)))) };
}

function workflowOf(fixturesPath: string): string | undefined {
  const match = /^workflow:\s*["']?([^"'\n#]+?)["']?\s*(#.*)?$/m.exec(readFileSync(fixturesPath, "utf8"));
  return match?.[1];
}

/** Reads and checks a fixtures file; a bad one is exit 2 with `file:line:column` per problem. */
export function readFixtures(target: Pick<TestTarget, "fixturesFile" | "fixturesPath">): FixturesFile {
  const loaded = loadFixtures(readFileSync(target.fixturesPath, "utf8"));
  if (loaded.ok) return loaded.fixtures;
  throw new CliError(`${target.fixturesFile} is not a valid fixtures file`, {
    code: "fixtures_invalid",
    lines: loaded.issues.map((i) => `  ${target.fixturesFile}${i.line ? `:${i.line}:${i.column}` : ""} ${formatFixturesIssue(i)}`),
    details: { issues: loaded.issues.map((i) => ({ ...i, file: target.fixturesFile })) },
  });
}
