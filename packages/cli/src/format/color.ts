/** ANSI styles, or identity functions when colors are off (not a TTY, or NO_COLOR set). */
export interface Style {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

export const ansi: Style = {
  green: wrap(32, 39),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};

const same = (text: string) => text;
export const plain: Style = { green: same, red: same, yellow: same, cyan: same, dim: same, bold: same };

/** https://no-color.org: any non-empty NO_COLOR turns colors off; FORCE_COLOR turns them on. */
export function useColor(stdoutIsTTY: boolean, env: Record<string, string | undefined>, flag?: boolean): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
  return stdoutIsTTY;
}

/** Visible width of a string that may contain ANSI codes. */
export const visibleLength = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "").length;

export const padEnd = (text: string, width: number) => text + " ".repeat(Math.max(0, width - visibleLength(text)));
