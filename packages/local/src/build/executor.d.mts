// Types of executor.mjs.
export interface ExecutorBundle {
  scriptPath: string;
  bytes: number;
  /** names of the .wasm files copied next to the bundle */
  wasm: string[];
  warnings: string[];
}
export default function buildExecutor(options: { root: string; log: (line: string) => void }): Promise<void>;
export declare function bundleExecutor(options: { root: string; outdir: string; esbuild?: Record<string, unknown> }): Promise<ExecutorBundle>;
export declare function bundleWorker(options: { entry: string; outdir: string; wasm?: boolean; esbuild?: Record<string, unknown> }): Promise<ExecutorBundle>;
export declare function buildLoaderHost(options: { root: string }): Promise<{ bytes: number }>;
export declare const WORKER_MODULE: Record<string, unknown>;
export declare function wasmNextToBundle(outdir: string, copied: string[]): unknown;
export declare function buildRecipeBundle(options: { root: string }): { recipes: string[] };
