// Types of components.mjs.
export interface BuildComponentsOptions {
  /** the checkout whose toolchain builds (and whose components/ is bundled into the executor) */
  root: string;
  log: (line: string) => void;
  /** rebuild even what is up to date (default: ARCRUN_REBUILD=1) */
  force?: boolean;
  /** another folder of components to build (`acr parts build`) */
  componentsDir?: string;
}
export default function buildComponents(options: BuildComponentsOptions): Promise<void>;
