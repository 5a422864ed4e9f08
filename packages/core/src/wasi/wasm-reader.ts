// A bounds-checked cursor over a WebAssembly binary, shared by the interface parser
// (module-interface.ts) and the metering check (verify-metering.ts).

/** Same kind names as `WebAssembly.Module.imports()` / `exports()`. */
export type ExternKind = "function" | "table" | "memory" | "global" | "tag";

/** A binary that is not a well-formed WebAssembly module; `offset` is where decoding stopped. */
export class ModuleFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = "ModuleFormatError";
  }
}

const KINDS: ExternKind[] = ["function", "table", "memory", "global", "tag"];
// ignoreBOM: a leading U+FEFF is part of the name, as V8 reads it
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A cursor over the bytes; every read checks the end, so truncation is an error, never a wrong value. */
export class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public at = 0,
  ) {}

  byte(): number {
    if (this.at >= this.bytes.length) throw new ModuleFormatError("unexpected end of module", this.at);
    return this.bytes[this.at++];
  }

  /** unsigned LEB128, at most 32 bits */
  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffff) throw new ModuleFormatError("integer too large", this.at - 1);
        return result;
      }
    }
    throw new ModuleFormatError("integer representation too long", this.at);
  }

  /** skips a LEB128 of up to `maxBytes` bytes (u64 limits, s33 heap types) */
  skipLeb(maxBytes: number): void {
    for (let i = 0; i < maxBytes; i++) if ((this.byte() & 0x80) === 0) return;
    throw new ModuleFormatError("integer representation too long", this.at);
  }

  name(): string {
    const length = this.u32();
    if (this.at + length > this.bytes.length) throw new ModuleFormatError(`name of ${length} bytes runs past the end`, this.at);
    const start = this.at;
    this.at += length;
    try {
      return utf8.decode(this.bytes.subarray(start, this.at));
    } catch {
      throw new ModuleFormatError("name is not valid UTF-8", start);
    }
  }

  kind(): ExternKind {
    const at = this.at;
    const kind = KINDS[this.byte()];
    if (!kind) throw new ModuleFormatError(`unknown import/export kind 0x${this.bytes[at].toString(16)}`, at);
    return kind;
  }

  /** unsigned LEB128 of up to 64 bits, as a number (exact up to 2^53, which is more than any page count) */
  u64(): number {
    let result = 0;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) return result;
    }
    throw new ModuleFormatError("integer representation too long", this.at);
  }

  /** limits: flags (bit 0 = has max, bit 1 = shared, bit 2 = 64-bit), then min [, max] */
  limits(): { min: number; max?: number } {
    const at = this.at;
    const flags = this.byte();
    if (flags > 0x07) throw new ModuleFormatError(`bad limits flags 0x${flags.toString(16)}`, at);
    const wide = (flags & 0x04) !== 0;
    const min = wide ? this.u64() : this.u32();
    if (!(flags & 0x01)) return { min };
    return { min, max: wide ? this.u64() : this.u32() };
  }

  /** reference type: a one-byte shorthand (funcref 0x70, externref 0x6f, ...) or (ref null? ht) */
  refType(): void {
    const b = this.byte();
    if (b === 0x63 || b === 0x64) this.skipLeb(5); // heap type, s33
  }

  /** value type: numeric and vector types are one byte; reference types as above */
  valType(): void {
    const at = this.at;
    const b = this.byte();
    if (b === 0x63 || b === 0x64) {
      this.skipLeb(5);
      return;
    }
    if (b < 0x69 || b > 0x7f) throw new ModuleFormatError(`unknown value type 0x${b.toString(16)}`, at);
  }
}
