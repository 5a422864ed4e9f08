// A minimal wasi_snapshot_preview1: stdin from a buffer, stdout/stderr captured with caps,
// clocks, random, exit, one argument (the program name) and an empty environment. No files, no sockets, no sleeping.
// Web globals only (crypto, performance), so it runs the same in Node and workerd.

/** WASI errno values used here. */
const ESUCCESS = 0;
const EBADF = 8;
const EINVAL = 28;
const ESPIPE = 70;
/** argv[0] of every component: a WASI command expects at least its own name */
const PROGRAM_NAME = new TextEncoder().encode("component");

/** Thrown by proc_exit to unwind the component; caught by the runner. */
export class ExitSignal {
  constructor(readonly code: number) {}
}

/** Thrown when stdout passes its cap; stops the component at once. */
export class OutputLimitSignal {
  constructor(readonly limit: number) {}
}

export interface StdioOptions {
  stdin: Uint8Array;
  maxStdoutBytes: number;
  /** stderr beyond this many bytes is dropped from the middle: the head and the tail are kept. */
  maxStderrBytes: number;
}

/** Output chunks, joined once at the end. */
class Capture {
  chunks: Uint8Array[] = [];
  bytes = 0;
  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }
  join(): Uint8Array {
    const out = new Uint8Array(this.bytes);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

export class Preview1 {
  memory: WebAssembly.Memory | undefined;
  readonly stdout = new Capture();
  readonly stderr = new Capture();
  stderrDropped = 0;
  private stdinOffset = 0;

  constructor(private readonly options: StdioOptions) {}

  private view(): DataView {
    return new DataView(this.memory!.buffer);
  }
  private bytes(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.memory!.buffer, ptr, len);
  }

  /** The import object: `{wasi_snapshot_preview1: {...}}`. */
  imports(): WebAssembly.Imports {
    const zeroCounts = (countPtr: number, sizePtr: number) => {
      const v = this.view();
      v.setUint32(countPtr, 0, true);
      v.setUint32(sizePtr, 0, true);
      return ESUCCESS;
    };
    return {
      wasi_snapshot_preview1: {
        fd_read: (fd: number, iovs: number, iovsLen: number, nreadPtr: number) => this.fdRead(fd, iovs, iovsLen, nreadPtr),
        fd_write: (fd: number, iovs: number, iovsLen: number, nwrittenPtr: number) => this.fdWrite(fd, iovs, iovsLen, nwrittenPtr),
        fd_close: (fd: number) => (fd <= 2 ? ESUCCESS : EBADF),
        fd_seek: (fd: number) => (fd <= 2 ? ESPIPE : EBADF),
        fd_fdstat_get: (fd: number, statPtr: number) => this.fdFdstatGet(fd, statPtr),
        proc_exit: (code: number) => {
          throw new ExitSignal(code);
        },
        clock_time_get: (id: number, _precision: bigint, timePtr: number) => {
          const ns = id === 0 ? BigInt(Date.now()) * 1_000_000n : BigInt(Math.round(performance.now() * 1e6));
          if (id > 3) return EINVAL;
          this.view().setBigUint64(timePtr, ns, true);
          return ESUCCESS;
        },
        clock_res_get: (id: number, resPtr: number) => {
          if (id > 3) return EINVAL;
          this.view().setBigUint64(resPtr, 1_000n, true);
          return ESUCCESS;
        },
        random_get: (ptr: number, len: number) => {
          // getRandomValues fills at most 65536 bytes per call
          for (let at = 0; at < len; at += 65536) crypto.getRandomValues(this.bytes(ptr + at, Math.min(65536, len - at)));
          return ESUCCESS;
        },
        // one argument, the program name, as WASI programs expect (Rust's std reads args at start)
        args_sizes_get: (countPtr: number, sizePtr: number) => {
          const view = this.view();
          view.setUint32(countPtr, 1, true);
          view.setUint32(sizePtr, PROGRAM_NAME.length + 1, true);
          return ESUCCESS;
        },
        args_get: (argvPtr: number, bufPtr: number) => {
          this.view().setUint32(argvPtr, bufPtr, true);
          this.bytes(bufPtr, PROGRAM_NAME.length + 1).set([...PROGRAM_NAME, 0]);
          return ESUCCESS;
        },
        environ_sizes_get: zeroCounts,
        environ_get: () => ESUCCESS,
        sched_yield: () => ESUCCESS,
      },
    };
  }

  private fdRead(fd: number, iovs: number, iovsLen: number, nreadPtr: number): number {
    if (fd !== 0) return EBADF;
    const v = this.view();
    const stdin = this.options.stdin;
    let total = 0;
    for (let i = 0; i < iovsLen && this.stdinOffset < stdin.length; i++) {
      const ptr = v.getUint32(iovs + i * 8, true);
      const len = v.getUint32(iovs + i * 8 + 4, true);
      const n = Math.min(len, stdin.length - this.stdinOffset);
      this.bytes(ptr, n).set(stdin.subarray(this.stdinOffset, this.stdinOffset + n));
      this.stdinOffset += n;
      total += n;
    }
    v.setUint32(nreadPtr, total, true);
    return ESUCCESS;
  }

  private fdWrite(fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number {
    if (fd !== 1 && fd !== 2) return EBADF;
    const v = this.view();
    let total = 0;
    for (let i = 0; i < iovsLen; i++) {
      const ptr = v.getUint32(iovs + i * 8, true);
      const len = v.getUint32(iovs + i * 8 + 4, true);
      if (len === 0) continue;
      // copy out: the memory may grow (and detach this buffer) before the run ends
      const chunk = this.bytes(ptr, len).slice();
      if (fd === 1) {
        if (this.stdout.bytes + len > this.options.maxStdoutBytes) throw new OutputLimitSignal(this.options.maxStdoutBytes);
        this.stdout.push(chunk);
      } else {
        this.writeStderr(chunk);
      }
      total += len;
    }
    v.setUint32(nwrittenPtr, total, true);
    return ESUCCESS;
  }

  /** Keeps the first half of the cap and a rolling tail of the rest. */
  private writeStderr(chunk: Uint8Array): void {
    const cap = this.options.maxStderrBytes;
    if (chunk.length > cap) {
      this.stderrDropped += chunk.length - cap;
      chunk = chunk.subarray(chunk.length - cap);
    }
    this.stderr.push(chunk);
    while (this.stderr.bytes > cap && this.stderr.chunks.length > 1) {
      // drop whole chunks after the head until the capture fits again
      const dropped = this.stderr.chunks.splice(1, 1)[0];
      this.stderr.bytes -= dropped.length;
      this.stderrDropped += dropped.length;
    }
  }

  private fdFdstatGet(fd: number, statPtr: number): number {
    if (fd > 2) return EBADF;
    const v = this.view();
    v.setUint8(statPtr, 2); // filetype: character device
    v.setUint16(statPtr + 2, 0, true); // flags
    const rights = fd === 0 ? 0x2n /* fd_read */ : 0x40n; /* fd_write */
    v.setBigUint64(statPtr + 8, rights, true);
    v.setBigUint64(statPtr + 16, 0n, true);
    return ESUCCESS;
  }
}
