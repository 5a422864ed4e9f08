/** core's KeyValueStore (credentials) over a KV namespace, paging through `list` with its cursor. */
import type { KeyValueStore } from "@arcrun/core";

export function kvKeyValueStore(kv: KVNamespace): KeyValueStore {
  return {
    get: (key) => kv.get(key),
    put: (key, value) => kv.put(key, value),
    delete: (key) => kv.delete(key),
    async keys(prefix) {
      const names: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await kv.list({ prefix, cursor });
        names.push(...page.keys.map((k) => k.name));
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      return names;
    },
  };
}
