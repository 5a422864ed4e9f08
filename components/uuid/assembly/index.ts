// uuid: random (version 4) UUIDs from WASI random_get, formatted per RFC 9562.
import { run, randomBytes, JSON } from "@arcrun/component-sdk/assembly";

const HEX = "0123456789abcdef";

run((input: JSON.Obj): JSON.Value => {
  const count = <i32>input.integerOr("count", 1); // 1..1000, checked by the input schema
  const bytes = randomBytes(count * 16);
  if (count == 1) return JSON.str(format(bytes, 0));
  const out = JSON.arr();
  for (let i = 0; i < count; i++) out.push(JSON.str(format(bytes, i * 16)));
  return out;
});

/** 16 random bytes at `at` as xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx (V = 8, 9, a or b). */
function format(bytes: Uint8Array, at: i32): string {
  bytes[at + 6] = (bytes[at + 6] & 0x0f) | 0x40; // version 4
  bytes[at + 8] = (bytes[at + 8] & 0x3f) | 0x80; // variant 10xx (RFC 9562)
  let s = "";
  for (let i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += "-";
    const b = bytes[at + i];
    s += HEX.charAt(b >> 4) + HEX.charAt(b & 15);
  }
  return s;
}
