/**
 * Maps a path inside the workflow (e.g. `["config", "check", "schema"]`) back to a line and
 * column in the YAML text, so every issue can say where to look. A workflow that arrived
 * as an object (JSON API) has no text positions: its locator answers with no line.
 */
import { isCollection, isMap, isScalar, type Document, type LineCounter, type Node, type Pair } from "yaml";

export type SourcePath = readonly (string | number)[];

/** 1-based, both absent when unknown. */
export interface Position {
  line?: number;
  column?: number;
}

export interface SourceLocator {
  /**
   * Where the value at `path` is written. A block collection points at its key (the line
   * that names it), anything written on the key's line at the value itself. When the path does not exist, the
   * nearest existing parent answers.
   */
  at(path: SourcePath): Position;
  /** Where the key at the end of `path` is written (e.g. an unknown key). */
  key(path: SourcePath): Position;
  /** Where character `offset` of the string value at `path` is written; falls back to `at(path)`. */
  inString(path: SourcePath, offset: number): Position;
}

export const NO_POSITIONS: SourceLocator = { at: () => ({}), key: () => ({}), inString: () => ({}) };

export function yamlLocator(doc: Document, lineCounter: LineCounter, text: string): SourceLocator {
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const pairAt = (path: SourcePath): Pair | undefined => {
    if (path.length === 0) return undefined;
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    if (!isMap(parent)) return undefined;
    const last = path[path.length - 1];
    return parent.items.find((pair) => (isScalar(pair.key) ? pair.key.value : pair.key) === last);
  };

  const nodeAt = (path: SourcePath): Node | undefined => {
    const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
    return node && typeof node === "object" && "range" in node ? (node as Node) : undefined;
  };

  const key = (path: SourcePath): Position => {
    const keyNode = pairAt(path)?.key;
    if (keyNode && typeof keyNode === "object" && "range" in keyNode && (keyNode as Node).range) {
      return position((keyNode as Node).range![0]);
    }
    return at(path.slice(0, -1));
  };

  const at = (path: SourcePath): Position => {
    for (let length = path.length; length >= 0; length--) {
      const here = path.slice(0, length);
      const node = nodeAt(here);
      const isEmptyScalar = isScalar(node) && node.value === null && node.source === "";
      if (typeof here[here.length - 1] === "string" && (isCollection(node) || isEmptyScalar || !node) && pairAt(here)) {
        // A block map or list starts on the next line: its key line names it better.
        const keyAt = key(here);
        const valueAt = node?.range && !isEmptyScalar ? position(node.range[0]) : undefined;
        return valueAt && valueAt.line === keyAt.line ? valueAt : keyAt;
      }
      if (node?.range) return position(node.range[0]);
    }
    return {};
  };

  const inString = (path: SourcePath, offset: number): Position => {
    const node = nodeAt(path);
    if (isScalar(node) && typeof node.value === "string" && node.range) {
      const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
      const plain = node.type === "PLAIN";
      const start = node.range[0] + (quoted ? 1 : 0);
      // Only when the text is written as-is (no escapes, no line folding) do offsets line up.
      if ((quoted || plain) && text.slice(start, start + node.value.length) === node.value) return position(start + offset);
    }
    return at(path);
  };

  return { at, key, inString };
}
