// Types of compile-as.mjs.
/** Compiles an AssemblyScript entry (path relative to `baseDir`) to a WASI command module. */
export declare function compileAssemblyScript(options: { entry: string; baseDir: string; maxPages: number }): Promise<Uint8Array<ArrayBuffer>>;
