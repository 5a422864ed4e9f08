/**
 * Secrets must not reach git: warn when a credentials file or the state folder is tracked,
 * or would be added because .gitignore does not cover it. Silent outside a git work tree
 * (or without git installed).
 */
import { execFileSync } from "node:child_process";

const WATCHED = ["credentials.yaml", "credentials.yml", ".arcrun"];

export function gitHygieneWarnings(cwd: string): string[] {
  const git = (...args: string[]): { status: number; stdout: string } => {
    try {
      return { status: 0, stdout: execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }) };
    } catch (error) {
      const { status, stdout } = error as { status?: number | null; stdout?: string };
      return { status: status ?? -1, stdout: stdout ?? "" };
    }
  };
  if (git("rev-parse", "--is-inside-work-tree").stdout.trim() !== "true") return [];
  const warnings: string[] = [];
  const tracked = git("ls-files", "--", ...WATCHED.flatMap((p) => [p, `**/${p}`])).stdout.split("\n").filter(Boolean);
  if (tracked.length > 0) {
    warnings.push(
      `${tracked.join(", ")} ${tracked.length === 1 ? "is" : "are"} tracked by git: anyone with the repository can read ${tracked.length === 1 ? "it" : "them"}. ` +
        `Run \`git rm --cached ${tracked.join(" ")}\`, commit, and replace (re-issue) every secret it held.`,
    );
  }
  // check-ignore exits 0 when the path is ignored, 1 when it is not
  const notIgnored = ["credentials.yaml", ".arcrun/"].filter((p) => git("check-ignore", "-q", "--no-index", p).status === 1);
  if (notIgnored.length > 0) warnings.push(`.gitignore does not cover ${notIgnored.join(" and ")}: add ${notIgnored.map((p) => `\`${p}\``).join(" and ")} to it.`);
  return warnings;
}
