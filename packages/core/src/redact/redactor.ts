/**
 * Replaces every decrypted secret with `[redacted:name]` — in its own form and in the forms
 * code passes it on in (see forms.ts) — inside text and anywhere in a JSON value, keys
 * included. The scheduler feeds it each value it decrypts; run records, logs, errors and API
 * responses go through it before they are stored or sent.
 *
 * Matching is by intervals, not a left-to-right regex: where needles of two secrets overlap
 * the union is replaced, so one secret never shields part of another.
 */
import { setOwn } from "../json/own";
import { secretForms } from "./forms";

interface Needle {
  text: string;
  name: string;
}

export const redactedMarker = (name: string) => `[redacted:${name}]`;

export class Redactor {
  private readonly secrets = new Map<string, string>();
  private needles: Needle[] = [];
  /** quick "contains any needle?" check, rebuilt when a secret is added */
  private probe: RegExp | undefined;

  constructor(secrets: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(secrets)) this.add(name, value);
  }

  /** Register one more secret (idempotent). Empty values are ignored: they cannot be searched for. */
  add(name: string, value: string): this {
    if (typeof value !== "string" || value === "" || this.secrets.get(name) === value) return this;
    this.secrets.set(name, value);
    for (const text of secretForms(value)) this.needles.push({ text, name });
    // longest first, so the probe and the interval labels prefer the most specific needle
    this.needles.sort((a, b) => b.text.length - a.text.length);
    this.probe = new RegExp(this.needles.map((n) => escapeRegExp(n.text)).join("|"));
    return this;
  }

  get size(): number {
    return this.secrets.size;
  }

  get names(): string[] {
    return [...this.secrets.keys()];
  }

  /** Redact one string. */
  text(input: string): string {
    if (!this.probe || !this.probe.test(input)) return input;
    const hits: { start: number; end: number; name: string }[] = [];
    for (const needle of this.needles) {
      for (let at = input.indexOf(needle.text); at !== -1; at = input.indexOf(needle.text, at + 1)) {
        hits.push({ start: at, end: at + needle.text.length, name: needle.name });
      }
    }
    hits.sort((a, b) => a.start - b.start || b.end - a.end);
    let out = "";
    let cursor = 0;
    let i = 0;
    while (i < hits.length) {
      // grow one merged interval; its label is the longest hit inside it
      const start = hits[i].start;
      let { end } = hits[i];
      let label = hits[i];
      for (i++; i < hits.length && hits[i].start < end; i++) {
        if (hits[i].end - hits[i].start > label.end - label.start) label = hits[i];
        end = Math.max(end, hits[i].end);
      }
      out += input.slice(cursor, start) + redactedMarker(label.name);
      cursor = end;
    }
    return out + input.slice(cursor);
  }

  /**
   * Redact a JSON-like value deeply: strings, object keys, and numbers whose digits contain a
   * secret (they become the redacted string). Errors become `{name, message, code?}`;
   * values with `toJSON` (Date) are redacted as what they serialize to. Returns a copy.
   */
  value<T>(input: T): T {
    if (this.secrets.size === 0) return input;
    return this.walk(input, new WeakSet()) as T;
  }

  private walk(input: unknown, seen: WeakSet<object>): unknown {
    if (typeof input === "string") return this.text(input);
    if (typeof input === "number" || typeof input === "bigint") {
      const digits = String(input);
      const redacted = this.text(digits);
      return redacted === digits ? input : redacted;
    }
    if (input === null || typeof input !== "object") return input;
    if (seen.has(input)) return "[circular]";
    seen.add(input);
    try {
      if (Array.isArray(input)) return input.map((item) => this.walk(item, seen));
      if (input instanceof Error) {
        const code = (input as { code?: unknown }).code;
        return this.walk({ name: input.name, message: input.message, ...(code === undefined ? {} : { code }) }, seen);
      }
      const json = (input as { toJSON?: unknown }).toJSON;
      if (typeof json === "function") return this.walk(json.call(input), seen);
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(input)) {
        const redactedKey = this.text(key);
        let safeKey = redactedKey;
        // two keys that redact to the same text must not overwrite each other
        for (let n = 2; Object.prototype.hasOwnProperty.call(out, safeKey); n++) safeKey = `${redactedKey}#${n}`;
        setOwn(out, safeKey, this.walk(item, seen));
      }
      return out;
    } finally {
      seen.delete(input);
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
