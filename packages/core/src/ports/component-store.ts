/**
 * Components published at run time (R2 `WASM_BUCKET` in the executor): a manifest per name and
 * content-addressed module bytes. The manifest is written last and removed first, so no
 * manifest ever points at a missing module.
 */
import type { Contract } from "../components/contract";

export interface PublishedManifest {
  name: string;
  version: string;
  sha256: string;
  bytes: number;
  published_at: string;
  contract: Contract;
}

export interface ComponentStore {
  manifest(name: string): Promise<PublishedManifest | undefined>;
  /** the module bytes a manifest points at (by its sha256) */
  module(name: string, sha256: string): Promise<ArrayBuffer | undefined>;
  /**
   * Stores the module, then the manifest. Afterwards only the new module and the one it
   * replaced are kept (an isolate that read the old manifest a moment ago can still load it).
   */
  publish(manifest: PublishedManifest, bytes: Uint8Array): Promise<{ previous?: PublishedManifest }>;
  /** false when nothing was published under `name` */
  remove(name: string): Promise<boolean>;
  /** every published name, sorted */
  names(): Promise<string[]>;
  manifests(): Promise<PublishedManifest[]>;
}
