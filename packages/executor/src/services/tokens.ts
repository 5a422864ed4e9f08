/** Webhook tokens: 256 random bits as hex (DESIGN asks for at least 128). */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
