// A growing UTF-16 text buffer for components that build long outputs.
/**
 * Collects UTF-16 units in one growing buffer. Pushing many small strings into a string[]
 * costs quadratic time under the incremental GC (every push re-greys the whole array), so
 * long outputs are built here instead. `add` a string, `unit` one UTF-16 code unit.
 */
export class TextBuilder {
  buf: Uint16Array = new Uint16Array(256);
  length: i32 = 0;
  add(s: string): void {
    this.reserve(s.length);
    memory.copy(this.buf.dataStart + (<usize>this.length << 1), changetype<usize>(s), <usize>s.length << 1);
    this.length += s.length;
  }
  unit(c: i32): void {
    this.reserve(1);
    unchecked((this.buf[this.length++] = <u16>c));
  }
  reserve(more: i32): void {
    if (this.length + more <= this.buf.length) return;
    const bigger = new Uint16Array(max(this.buf.length * 2, this.length + more));
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
  }
  toString(): string { return String.UTF16.decodeUnsafe(this.buf.dataStart, <usize>this.length << 1); }
}
