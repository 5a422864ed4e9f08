/** Small pure formatters shared by the run, list and logs output. */

export function formatDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return "-";
  if (ms < 1) return "<1 ms";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export interface TruncateOptions {
  maxLines?: number;
  maxChars?: number;
}

/**
 * Pretty JSON for a terminal, cut when huge so a big result does not flood the screen;
 * the note says how to get all of it.
 */
export function prettyJson(value: unknown, { maxLines = 60, maxChars = 6000 }: TruncateOptions = {}): string {
  const text = value === undefined ? "null" : JSON.stringify(value, null, 2) ?? "null";
  const lines = text.split("\n");
  let kept = lines.slice(0, maxLines);
  let cut = lines.length > maxLines;
  let joined = kept.join("\n");
  if (joined.length > maxChars) {
    joined = joined.slice(0, maxChars);
    kept = joined.split("\n");
    cut = true;
  }
  if (!cut) return text;
  const hiddenLines = lines.length - kept.length;
  const size = new TextEncoder().encode(text).length;
  return `${joined}\n… (truncated: ${hiddenLines > 0 ? `${hiddenLines} more lines, ` : ""}${formatBytes(size)} in all; use --json for everything)`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** One line of a value for a table cell or an error message. */
export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** "2026-04-26T10:00:00.000Z" → "2026-04-26 10:00:00" (UTC, as stored). */
export function formatTimestamp(iso: string | undefined | null): string {
  if (!iso) return "-";
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]}` : iso;
}
