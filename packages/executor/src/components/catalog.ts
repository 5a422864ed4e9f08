/**
 * The catalog `GET /components` shows, in loading order: builtins, components bundled into the
 * Worker, components published to R2. A name taken by a builtin or a bundled component cannot
 * be published (the chain would never reach the published one).
 */
import type { Contract } from "@arcrun/core";
import { BUNDLED_COMPONENTS } from "./bundled.generated";
import { builtinComponents } from "./resolver";
import type { PublishedManifest } from "../bindings/r2-component-store";

export type ComponentSource = "builtin" | "bundled" | "r2";

export interface CatalogEntry {
  name: string;
  source: ComponentSource;
  contract?: Contract;
  /** size of the .wasm; null for builtins */
  bytes: number | null;
  sha256?: string;
  published_at?: string;
}

/** Builtins and bundled components: fixed for the life of the deployment. */
export function shippedComponents(): CatalogEntry[] {
  return [
    ...builtinComponents().map((c): CatalogEntry => ({ name: c.name, source: "builtin", contract: c.contract, bytes: null })),
    ...BUNDLED_COMPONENTS.map((b): CatalogEntry => ({ name: b.contract.name, source: "bundled", contract: b.contract, bytes: b.bytes })),
  ];
}

export function shippedComponent(name: string): CatalogEntry | undefined {
  return shippedComponents().find((entry) => entry.name === name);
}

export function publishedEntry(m: PublishedManifest): CatalogEntry {
  return { name: m.name, source: "r2", contract: m.contract, bytes: m.bytes, sha256: m.sha256, published_at: m.published_at };
}

/** One line of `GET /components`. */
export function summary(entry: CatalogEntry) {
  return {
    name: entry.name,
    version: entry.contract?.version ?? null,
    category: entry.contract?.category ?? null,
    description: entry.contract?.description ?? null,
    bytes: entry.bytes,
    source: entry.source,
  };
}
