// The only host calls a component makes: wasi_snapshot_preview1 stdio, clock, random, exit.
// The arcrun host refuses any other import, so nothing else may be declared here.

@external("wasi_snapshot_preview1", "fd_read")
declare function fd_read(fd: u32, iovs: usize, iovsLen: u32, nread: usize): u16;
@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: u32, iovs: usize, iovsLen: u32, nwritten: usize): u16;
@external("wasi_snapshot_preview1", "proc_exit")
declare function proc_exit(code: u32): void;
@external("wasi_snapshot_preview1", "clock_time_get")
declare function clock_time_get(clock: u32, precision: u64, time: usize): u16;
@external("wasi_snapshot_preview1", "random_get")
declare function random_get(buf: usize, len: usize): u16;

const STDIN: u32 = 0;
const STDOUT: u32 = 1;
const STDERR: u32 = 2;
const CHUNK: i32 = 16384;

/** Reads all of stdin (the node's parameters as UTF-8 JSON). */
export function readStdin(): string {
  let buffer = new Uint8Array(CHUNK);
  let length = 0;
  const iov = memory.data(8);
  const nread = memory.data(4);
  while (true) {
    if (length == buffer.length) {
      const grown = new Uint8Array(buffer.length * 2);
      grown.set(buffer);
      buffer = grown;
    }
    store<usize>(iov, buffer.dataStart + length);
    store<u32>(iov, buffer.length - length, 4);
    if (fd_read(STDIN, iov, 1, nread) != 0) break;
    const n = load<u32>(nread);
    if (n == 0) break;
    length += n;
  }
  return String.UTF8.decodeUnsafe(buffer.dataStart, length);
}

function writeAll(fd: u32, ptr: usize, len: usize): void {
  const iov = memory.data(8);
  const written = memory.data(4);
  while (len > 0) {
    store<usize>(iov, ptr);
    store<u32>(iov, <u32>len, 4);
    if (fd_write(fd, iov, 1, written) != 0) return;
    const n = <usize>load<u32>(written);
    if (n == 0) return;
    ptr += n;
    len -= n;
  }
}

export function writeStdout(text: string): void {
  const bytes = String.UTF8.encode(text);
  writeAll(STDOUT, changetype<usize>(bytes), bytes.byteLength);
}

export function writeStderr(text: string): void {
  const bytes = String.UTF8.encode(text);
  writeAll(STDERR, changetype<usize>(bytes), bytes.byteLength);
}

/** Ends the component at once; the host reads what was written so far. */
export function exit(code: u32): void {
  proc_exit(code);
  unreachable();
}

/** Wall-clock time in milliseconds since the Unix epoch. */
export function nowMillis(): f64 {
  const time = memory.data(8);
  if (clock_time_get(0, 1000, time) != 0) return 0;
  return <f64>(load<u64>(time) / 1000) / 1000.0;
}

/** Cryptographically secure random bytes from the host. */
export function randomBytes(length: i32): Uint8Array {
  const out = new Uint8Array(length);
  if (length > 0) random_get(out.dataStart, length);
  return out;
}

/** Seeds Math.random (wired with `--use seed=...` by the build). */
export function seed(): f64 {
  const buf = memory.data(8);
  random_get(buf, 8);
  return reinterpret<f64>((load<u64>(buf) >> 12) | 0x3FF0000000000000) - 1.0;
}

/** Replaces AssemblyScript's `env.abort` import (wired with `--use abort=...` by the build). */
export function abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let text = "abort: " + (message !== null ? message : "(no message)");
  if (fileName !== null) text += " at " + fileName + ":" + line.toString() + ":" + column.toString();
  writeStderr(text + "\n");
  exit(70);
}

/** Replaces AssemblyScript's `env.trace` import: trace() writes to stderr. */
export function trace(message: string, n: i32 = 0, a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0, a4: f64 = 0): void {
  let text = "trace: " + message;
  const args = [a0, a1, a2, a3, a4];
  for (let i = 0; i < n && i < 5; i++) text += (i == 0 ? " " : ", ") + args[i].toString();
  writeStderr(text + "\n");
}
