// Types of registry.mjs.
export default function buildRegistry(options: { root: string; log: (line: string) => void }): Promise<void>;
export declare function bundleRegistry(options: { root: string; outdir: string }): Promise<{ scriptPath: string; bytes: number; wasm: string[] }>;
