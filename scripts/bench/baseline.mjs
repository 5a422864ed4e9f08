// `npm run bench -- signup --baseline=<git ref>`: an executor built from another commit, served
// next to this checkout's in the same run, so a change is measured before/after side by side
// (same load, same moment on a shared machine). The ref's files are exported with `git archive`
// into the bench's temp folder; its node_modules links to this checkout's packages from npm and
// to the exported workspace packages; build outputs that git does not hold (the standard
// components' WASM, the bundled-components table) are copied from this checkout.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";

export function prepareBaseline({ root, ref, temp }) {
  const dir = join(temp, "baseline");
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync("git", ["-C", root, "archive", "--format=tar", ref], { maxBuffer: 1 << 30 });
  execFileSync("tar", ["-x", "-C", dir], { input: tar });
  const modules = join(dir, "node_modules");
  mkdirSync(join(modules, "@arcrun"), { recursive: true });
  for (const name of readdirSync(join(root, "node_modules"))) {
    if (name !== "@arcrun") symlinkSync(join(root, "node_modules", name), join(modules, name));
  }
  for (const pkg of readdirSync(join(dir, "packages"))) symlinkSync(join("..", "..", "packages", pkg), join(modules, "@arcrun", pkg));
  for (const component of readdirSync(join(root, "components"))) {
    const build = join(root, "components", component, "build");
    if (existsSync(build) && existsSync(join(dir, "components", component))) cpSync(build, join(dir, "components", component, "build"), { recursive: true });
  }
  const generated = "packages/executor/src/components/bundled.generated.ts";
  if (existsSync(join(root, generated))) cpSync(join(root, generated), join(dir, generated));
  return dir;
}
