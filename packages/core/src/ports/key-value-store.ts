/** The few KV operations the credential vault needs (CREDENTIALS_KV in the executor); adapters page through `list` themselves. */

export interface KeyValueStore {
  /** null when the key is absent */
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  /** deleting an absent key is no error */
  delete(key: string): Promise<void>;
  /** every key starting with `prefix`, in ascending order */
  keys(prefix: string): Promise<string[]>;
}
