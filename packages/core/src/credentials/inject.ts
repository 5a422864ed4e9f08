/**
 * Contract injection at run time: the decrypted value goes into the node's `inject_as`
 * field of a copy of its resolved parameters. The stored workflow is never touched, and the
 * value is placed after template resolution, so a secret containing `{{` is never read as a template.
 */
export function injectCredentials(params: Record<string, unknown>, values: { inject_as: string; value: string }[]): Record<string, unknown> {
  if (values.length === 0) return params;
  const out = structuredClone(params);
  for (const { inject_as, value } of values) {
    const keys = inject_as.split(".");
    let target: Record<string, unknown> = out;
    for (const key of keys.slice(0, -1)) {
      const next = target[key];
      // an own, plain object only: never walk into prototypes
      if (!next || typeof next !== "object" || Array.isArray(next) || !Object.prototype.hasOwnProperty.call(target, key)) define(target, key, {});
      target = target[key] as Record<string, unknown>;
    }
    define(target, keys[keys.length - 1], value);
  }
  return out;
}

/** An own data property even for "__proto__": plain assignment would set the prototype instead. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
