// Types of executor.mjs.
import type { WorkerBundle } from "./worker-bundle.mjs";
export default function buildExecutor(options: { root: string; log: (line: string) => void }): Promise<void>;
export declare function bundleExecutor(options: { root: string; outdir: string; esbuild?: Record<string, unknown> }): Promise<WorkerBundle>;
export declare function buildLoaderHost(options: { root: string }): Promise<{ bytes: number }>;
export declare function buildRecipeBundle(options: { root: string }): { recipes: string[] };
