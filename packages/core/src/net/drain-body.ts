/**
 * Reads and drops what is left of a refused request body, up to MAX_DRAIN_BYTES, before the
 * Worker answers 413: a client still sending then reads the answer instead of a connection
 * reset (workerd resets a connection whose request body was left unread). A larger body is not
 * worth the work; its sender may see the reset.
 */
export const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

export async function drainBody(request: Request, max = MAX_DRAIN_BYTES): Promise<void> {
  const declared = Number(request.headers.get("content-length"));
  if (!request.body || request.bodyUsed || declared > max) return;
  try {
    const reader = request.body.getReader();
    for (let read = 0; read <= max; ) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // the client stopped sending: nothing left to drain
  }
}
