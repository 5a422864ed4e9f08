// Types of compile-c.mjs.
/** The clang flags that reach wasi-libc here, or null when clang or wasi-libc is missing. */
export function findClang(): string[] | null;
export function compileC(options: { sources: string[]; maxPages: number }): Uint8Array;
