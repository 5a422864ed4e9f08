/** ComponentStore in Maps: a manifest per name and the modules each name keeps, by sha256. */
import type { ComponentStore, PublishedManifest } from "../component-store";

export class MemoryComponentStore implements ComponentStore {
  private readonly manifestsByName = new Map<string, PublishedManifest>();
  private readonly modules = new Map<string, Map<string, Uint8Array>>();

  async manifest(name: string): Promise<PublishedManifest | undefined> {
    const m = this.manifestsByName.get(name);
    return m ? structuredClone(m) : undefined;
  }

  async module(name: string, sha256: string): Promise<ArrayBuffer | undefined> {
    const bytes = this.modules.get(name)?.get(sha256);
    return bytes ? (bytes.slice().buffer as ArrayBuffer) : undefined;
  }

  async publish(manifest: PublishedManifest, bytes: Uint8Array): Promise<{ previous?: PublishedManifest }> {
    const previous = await this.manifest(manifest.name);
    const kept = new Map<string, Uint8Array>();
    const old = this.modules.get(manifest.name);
    if (previous && old?.has(previous.sha256)) kept.set(previous.sha256, old.get(previous.sha256)!);
    kept.set(manifest.sha256, bytes.slice());
    this.modules.set(manifest.name, kept);
    this.manifestsByName.set(manifest.name, structuredClone(manifest));
    return previous ? { previous } : {};
  }

  async remove(name: string): Promise<boolean> {
    const had = this.manifestsByName.has(name) || this.modules.has(name);
    this.manifestsByName.delete(name);
    this.modules.delete(name);
    return had;
  }

  async names(): Promise<string[]> {
    return [...new Set([...this.manifestsByName.keys(), ...this.modules.keys()])].sort();
  }

  async manifests(): Promise<PublishedManifest[]> {
    return (await this.names()).flatMap((name) => {
      const m = this.manifestsByName.get(name);
      return m ? [structuredClone(m)] : [];
    });
  }
}
