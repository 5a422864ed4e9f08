/**
 * Components published at run time, in R2 `WASM_BUCKET`:
 *   components/<name>/<sha256>.wasm    the module, content-addressed
 *   components/<name>/contract.json    the manifest: contract + sha256, bytes, published_at
 * The manifest is written last and deleted first, so no manifest ever points at a missing
 * module, whatever step of a publish or delete fails.
 */
import type { ComponentStore, PublishedManifest } from "@arcrun/core";

export type { PublishedManifest };

const PREFIX = "components/";
const manifestKey = (name: string) => `${PREFIX}${name}/contract.json`;
const moduleKey = (name: string, sha256: string) => `${PREFIX}${name}/${sha256}.wasm`;

export class R2ComponentStore implements ComponentStore {
  constructor(private readonly bucket: R2Bucket) {}

  async manifest(name: string): Promise<PublishedManifest | undefined> {
    const object = await this.bucket.get(manifestKey(name));
    return object ? ((await object.json()) as PublishedManifest) : undefined;
  }

  async module(name: string, sha256: string): Promise<ArrayBuffer | undefined> {
    const object = await this.bucket.get(moduleKey(name, sha256));
    return object ? object.arrayBuffer() : undefined;
  }

  /**
   * Module first, manifest last. Afterwards only the new module and the one it replaced are
   * kept: an isolate that read the old manifest a moment ago can still load what it points at.
   */
  async publish(manifest: PublishedManifest, bytes: Uint8Array): Promise<{ previous?: PublishedManifest }> {
    const previous = await this.manifest(manifest.name);
    await this.bucket.put(moduleKey(manifest.name, manifest.sha256), bytes, { httpMetadata: { contentType: "application/wasm" } });
    await this.bucket.put(manifestKey(manifest.name), JSON.stringify(manifest), { httpMetadata: { contentType: "application/json" } });
    const keep = new Set([moduleKey(manifest.name, manifest.sha256), manifestKey(manifest.name)]);
    if (previous) keep.add(moduleKey(previous.name, previous.sha256));
    const stale = (await this.keys(`${PREFIX}${manifest.name}/`)).filter((key) => !keep.has(key));
    if (stale.length) await this.bucket.delete(stale);
    return { previous };
  }

  /** Manifest first, then every module. False when nothing was published under `name`. */
  async remove(name: string): Promise<boolean> {
    const keys = await this.keys(`${PREFIX}${name}/`);
    if (keys.length === 0) return false;
    await this.bucket.delete(manifestKey(name));
    const modules = keys.filter((key) => key !== manifestKey(name));
    if (modules.length) await this.bucket.delete(modules);
    return true;
  }

  /** Names with a folder under components/ (a folder without a manifest is left out by `manifests`). */
  async names(): Promise<string[]> {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.bucket.list({ prefix: PREFIX, delimiter: "/", cursor });
      for (const prefix of page.delimitedPrefixes) names.push(prefix.slice(PREFIX.length, -1));
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return names.sort();
  }

  async manifests(): Promise<PublishedManifest[]> {
    const all = await Promise.all((await this.names()).map((name) => this.manifest(name)));
    return all.filter((m): m is PublishedManifest => m !== undefined);
  }

  private async keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.bucket.list({ prefix, cursor });
      for (const object of page.objects) keys.push(object.key);
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return keys;
  }
}
