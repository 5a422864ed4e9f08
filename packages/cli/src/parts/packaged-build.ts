/**
 * `acr parts build` outside an arcrun checkout (the installed `arcrun` package): the component
 * build of @arcrun/local bundled into the CLI, with core's contract parser and sandbox checks
 * imported here and the SDK the package ships (dist/toolchain/lib). assemblyscript and binaryen
 * are the package's npm dependencies. Loaded only by `acr parts build|test`.
 */
import buildComponents, { type BuildComponentsOptions } from "@arcrun/local/build/components.mjs";
import { parseContract } from "@arcrun/core/components/contract-schema";
import * as sandbox from "@arcrun/core/wasi/allow-list";
import { packageAssets } from "../assets";

export function buildWithPackagedToolchain(options: Omit<BuildComponentsOptions, "toolchain">): Promise<void> {
  return buildComponents({ ...options, toolchain: { parseContract, sandbox, libDir: packageAssets().toolchainLib } });
}
