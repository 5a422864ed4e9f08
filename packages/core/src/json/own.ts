/**
 * Object keys are data: `__proto__`, `constructor` or `toString` in a payload are ordinary
 * keys. `obj[key] = value` with key `__proto__` sets the prototype instead of a key (the key is
 * lost, and an object value leaks its properties into every lookup), so copies made by the
 * engine write keys with these helpers.
 */

/** `target[key] = value`, as an own, enumerable property even for `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** True only when `key` is the object's own property (never inherited: `constructor`, `toString`). */
export function hasOwn(target: object, key: PropertyKey): boolean {
  return Object.prototype.hasOwnProperty.call(target, key);
}

/** `target[key]` when it is an own property, else undefined. */
export function ownValue(target: object, key: PropertyKey): unknown {
  return hasOwn(target, key) ? (target as Record<PropertyKey, unknown>)[key] : undefined;
}
