// Types of worker-bundle.mjs.
export interface WorkerBundle {
  scriptPath: string;
  bytes: number;
  /** names of the .wasm files copied next to the bundle */
  wasm: string[];
  warnings: string[];
}
export declare const WORKER_MODULE: Record<string, unknown>;
export declare function stopBundler(): Promise<void>;
export declare function bundleWorker(options: { entry: string; outdir: string; wasm?: boolean; esbuild?: Record<string, unknown> }): Promise<WorkerBundle>;
export declare function wasmNextToBundle(outdir: string, copied: string[]): unknown;
