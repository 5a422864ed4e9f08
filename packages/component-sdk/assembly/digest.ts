// SHA-256 (FIPS 180-4), SHA-1 (FIPS 180-4) and MD5 (RFC 1321) over bytes, with hex and Base64
// output. Used by hash and hmac_sign.

const K256: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

// floor(abs(sin(i + 1)) * 2^32), as a table: computing it would pull in Math.sin
const KMD5: StaticArray<u32> = [
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
];
// per-round left rotations: row = round (i >> 4), column = i & 3
const SMD5: StaticArray<u32> = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/** The digest of `data` with `algorithm` "sha256", "sha1" or "md5". */
export function digest(algorithm: string, data: Uint8Array): Uint8Array {
  if (algorithm == "md5") return md5(data);
  if (algorithm == "sha1") return sha1(data);
  return sha256(data);
}

/** Merkle–Damgård padding: 0x80, zeros, then the length in bits as 8 bytes. */
function pad(data: Uint8Array, littleEndian: bool): Uint8Array {
  const n = data.length;
  const total = ((n + 9 + 63) >> 6) << 6;
  const out = new Uint8Array(total);
  out.set(data);
  out[n] = 0x80;
  const bits = <u64>n << 3;
  for (let i = 0; i < 8; i++) out[littleEndian ? total - 8 + i : total - 1 - i] = <u8>(bits >> (<u64>i << 3));
  return out;
}

/** The state words as bytes (big-endian for SHA, little-endian for MD5). */
function wordsToBytes(h: StaticArray<u32>, littleEndian: bool): Uint8Array {
  const out = new Uint8Array(h.length << 2);
  for (let i = 0; i < h.length; i++) store<u32>(out.dataStart + (i << 2), littleEndian ? h[i] : bswap<u32>(h[i]));
  return out;
}

function sha256(data: Uint8Array): Uint8Array {
  const m = pad(data, false);
  const h: StaticArray<u32> = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const w = new StaticArray<u32>(64);
  for (let off = 0; off < m.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = bswap<u32>(load<u32>(m.dataStart + off + (i << 2)));
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15], b = w[i - 2];
      w[i] = w[i - 16] + (rotr<u32>(a, 7) ^ rotr<u32>(a, 18) ^ (a >>> 3)) + w[i - 7] + (rotr<u32>(b, 17) ^ rotr<u32>(b, 19) ^ (b >>> 10));
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (let i = 0; i < 64; i++) {
      const t1 = k + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
      const t2 = (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      k = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
  }
  return wordsToBytes(h, false);
}

function sha1(data: Uint8Array): Uint8Array {
  const m = pad(data, false);
  const h: StaticArray<u32> = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new StaticArray<u32>(80);
  for (let off = 0; off < m.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = bswap<u32>(load<u32>(m.dataStart + off + (i << 2)));
    for (let i = 16; i < 80; i++) w[i] = rotl<u32>(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (let i = 0; i < 80; i++) {
      let f: u32, k: u32;
      if (i < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
      else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
      else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; }
      else { f = b ^ c ^ d; k = 0xca62c1d6; }
      const t = rotl<u32>(a, 5) + f + e + k + w[i];
      e = d; d = c; c = rotl<u32>(b, 30); b = a; a = t;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
  }
  return wordsToBytes(h, false);
}

function md5(data: Uint8Array): Uint8Array {
  const m = pad(data, true);
  const h: StaticArray<u32> = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  for (let off = 0; off < m.length; off += 64) {
    let a = h[0], b = h[1], c = h[2], d = h[3];
    for (let i = 0; i < 64; i++) {
      let f: u32, g: i32;
      if (i < 16) { f = (b & c) | (~b & d); g = i; }
      else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) & 15; }
      else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) & 15; }
      else { f = c ^ (b | ~d); g = (7 * i) & 15; }
      f += a + KMD5[i] + load<u32>(m.dataStart + off + (g << 2));
      a = d; d = c; c = b;
      b += rotl<u32>(f, SMD5[((i >> 4) << 2) | (i & 3)]);
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
  }
  return wordsToBytes(h, true);
}

const HEX = "0123456789abcdef";
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Bytes as lowercase hex, or as padded standard Base64 (RFC 4648 §4) when `encoding` is "base64". */
export function encodeBytes(bytes: Uint8Array, encoding: string): string {
  const out: string[] = [];
  const n = bytes.length;
  if (encoding == "base64") {
    for (let i = 0; i < n; i += 3) {
      const chunk = (<u32>bytes[i] << 16) | (i + 1 < n ? <u32>bytes[i + 1] << 8 : 0) | (i + 2 < n ? <u32>bytes[i + 2] : 0);
      for (let j = 0; j < 4; j++) out.push(i + j <= n ? B64.charAt((chunk >> (18 - 6 * j)) & 63) : "=");
    }
  } else {
    for (let i = 0; i < n; i++) out.push(HEX.charAt(bytes[i] >> 4) + HEX.charAt(bytes[i] & 15));
  }
  return out.join("");
}
