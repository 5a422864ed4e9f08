// Types of meter.mjs (plain JavaScript so `npm install` runs it without a TypeScript loader).
export declare const FUEL_GLOBAL: string;
export declare const MEMORY_FLAG_GLOBAL: string;
/** Injects fuel metering and the memory limit into a WASI module; returns the new bytes. */
export declare function meterModule(bytes: Uint8Array, options: { maxPages: number }): Uint8Array<ArrayBuffer>;
