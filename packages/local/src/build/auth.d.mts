// Types of auth.mjs.
export default function buildAuth(options: { root: string; log: (line: string) => void }): Promise<void>;
export declare function bundleAuth(options: { root: string; outdir: string }): Promise<{ scriptPath: string; bytes: number }>;
