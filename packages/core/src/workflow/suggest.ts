/**
 * Did-you-mean for workflow names: `closest()` from errors.ts, made stricter for very short
 * words (to "x" everything short is close, so "did you mean if?" would be noise) and
 * kinder to a missing suffix ("timeout" → "timeout_ms").
 */
import { closest } from "../errors";

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const near = closest(word, candidates);
  if (near && word.length > 2 && near.length > 2) return near;
  if (word.length < 4) return undefined;
  const extended = candidates.filter((c) => c.toLowerCase().startsWith(word.toLowerCase()));
  return extended.length === 1 ? extended[0] : undefined;
}
