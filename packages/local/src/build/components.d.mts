// Types of components.mjs.
export interface BuildComponentsOptions {
  /** the checkout whose toolchain builds (and whose components/ is bundled into the executor) */
  root: string;
  log: (line: string) => void;
  /** rebuild even what is up to date (default: ARCRUN_REBUILD=1) */
  force?: boolean;
  /** another folder of components to build (`acr parts build`) */
  componentsDir?: string;
  /** the environment of contract `build:` commands (default: process.env) */
  env?: Record<string, string | undefined>;
  /**
   * For a caller that bundles this file (the installed CLI): core's contract parser and sandbox
   * module, and the folder holding `@arcrun/component-sdk/assembly`. Default: the checkout's, through tsx.
   */
  toolchain?: {
    parseContract: (value: unknown, file: string) => unknown;
    sandbox: unknown;
    libDir: string;
  };
}
/** The names in `<dir>/standard-library.txt`: the components bundled into the executor. */
export function readStandardLibrary(dir: string): Set<string>;
export default function buildComponents(options: BuildComponentsOptions): Promise<void>;
