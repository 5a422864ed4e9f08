// Compiles a C component for wasm32-wasi with clang and wasi-libc, when they are installed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let probed;

/** The clang arguments that reach wasi-libc here, or null when clang/wasi-libc are missing. */
export function findClang() {
  if (probed !== undefined) return probed;
  probed = null;
  const sysroots = ["/usr/share/wasi-sysroot", "/opt/wasi-sdk/share/wasi-sysroot"].filter((p) => existsSync(p));
  // Debian's wasi-libc installs into the default search path of clang's wasm32-wasi target
  for (const flags of [...sysroots.map((s) => [`--sysroot=${s}`]), []]) {
    const dir = mkdtempSync(join(tmpdir(), "arcrun-clang-"));
    try {
      const src = join(dir, "probe.c");
      writeFileSync(src, '#include <stdio.h>\nint main(void) { return puts("") < 0; }\n');
      const r = spawnSync("clang", ["--target=wasm32-wasi", ...flags, "-o", join(dir, "probe.wasm"), src], { encoding: "utf8" });
      if (r.status === 0) {
        probed = flags;
        break;
      }
    } catch {
      // clang missing: keep looking, then give up
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return probed;
}

/** Compiles `sources` into a WASI command with a memory maximum of `maxPages`. */
export function compileC({ sources, maxPages }) {
  const flags = findClang();
  if (!flags) throw new Error("clang with the wasm32-wasi target is not installed");
  const dir = mkdtempSync(join(tmpdir(), "arcrun-c-"));
  try {
    const out = join(dir, "component.wasm");
    const r = spawnSync("clang", [
      "--target=wasm32-wasi", ...flags, "-Oz", "-flto", "-Wall", "-Werror",
      `-Wl,--max-memory=${maxPages * 65536}`, "-Wl,--strip-all", "-Wl,-z,stack-size=65536",
      "-o", out, ...sources,
    ], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`clang failed:\n${(r.stderr || r.stdout || r.error?.message || "").trim()}`);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
