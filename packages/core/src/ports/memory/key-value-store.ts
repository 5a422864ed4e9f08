/** KeyValueStore in a Map (tests, tools); `entries` is the map itself, for inspection. */
import type { KeyValueStore } from "../key-value-store";

export function memoryKeyValueStore(entries: Map<string, string> = new Map()): KeyValueStore & { entries: Map<string, string> } {
  return {
    entries,
    get: async (key) => entries.get(key) ?? null,
    put: async (key, value) => void entries.set(key, value),
    delete: async (key) => void entries.delete(key),
    keys: async (prefix) => [...entries.keys()].filter((k) => k.startsWith(prefix)).sort(),
  };
}
