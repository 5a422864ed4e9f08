/** SecretSource over a plain object of name → value (tests, tools). */
import type { SecretSource } from "../secret-source";

export function memorySecretSource(values: Record<string, string> = {}): SecretSource {
  const map = new Map(Object.entries(values));
  return { get: async (name) => map.get(name) };
}
