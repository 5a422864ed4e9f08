// Correctly rounded decimal → f64 for JSON numbers (AssemblyScript's parseFloat misreads long
// digit strings and rounds some large exponents wrongly). Most numbers take Clinger's fast path
// (an exact integer times an exact power of ten); the rest start from a close approximation and
// step ulp by ulp, comparing the decimal value with the halfway points between neighbouring
// doubles in exact big-integer arithmetic.

const MAX_DIGITS = 768; // more than the 767 significant digits a halfway case can need
const POW10: StaticArray<f64> = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const TWO_53: u64 = 9007199254740992;

/** Parses t[begin, end), which the JSON grammar has already validated. */
export function parseDecimal(t: string, begin: i32, end: i32): f64 {
  let i = begin;
  const negative = t.charCodeAt(i) == 0x2d;
  if (negative) i++;
  // pass 1: up to 19 significant digits in `head`, the count of all of them, the exponent
  let head: u64 = 0;
  let count = 0;
  let exponent = 0;
  let fraction = false;
  let digitsEnd = i;
  for (; i < end; i++) {
    const c = t.charCodeAt(i);
    if (c == 0x2e) { fraction = true; continue; }
    if (c < 0x30 || c > 0x39) break;
    if (fraction) exponent--;
    if (count == 0 && c == 0x30) continue;
    if (count < 19) head = head * 10 + <u64>(c - 0x30);
    count++;
  }
  digitsEnd = i;
  if (i < end) exponent += readExponent(t, i + 1, end);
  let value: f64;
  if (count == 0) value = 0;
  else if (count + exponent > 310) value = Infinity;
  else if (count + exponent < -324) value = 0;
  else {
    value = count <= 19 && head <= TWO_53 ? fast(head, exponent) : NaN;
    if (isNaN(value)) value = slow(t, negative ? begin + 1 : begin, digitsEnd, exponent, head, count);
  }
  return negative ? -value : value;
}

function readExponent(t: string, i: i32, end: i32): i32 {
  let sign = 1;
  const c = t.charCodeAt(i);
  if (c == 0x2b || c == 0x2d) {
    if (c == 0x2d) sign = -1;
    i++;
  }
  let e = 0;
  for (; i < end; i++) e = min(e * 10 + (t.charCodeAt(i) - 0x30), 100000); // huge exponents saturate
  return sign * e;
}

/** Clinger's fast path: exact when both factors are exact doubles; NaN when it does not apply. */
function fast(head: u64, exponent: i32): f64 {
  const m = <f64>head;
  if (exponent < -22 || exponent > 22 + 15) return NaN;
  if (exponent < 0) return m / unchecked(POW10[-exponent]);
  if (exponent <= 22) return m * unchecked(POW10[exponent]);
  // head · 10^(e-22) may still be an exact integer below 2^53; then one rounding
  const scaled = m * unchecked(POW10[exponent - 22]);
  return scaled < <f64>TWO_53 ? scaled * 1e22 : NaN;
}

/** head · 10^exponent within a few ulps (exact powers step by step, never overflowing early). */
function approximate(head: u64, exponent: i32): f64 {
  let r = <f64>head;
  for (; exponent > 22; exponent -= 22) r *= 1e22;
  for (; exponent < -22; exponent += 22) r /= 1e22;
  return exponent >= 0 ? r * unchecked(POW10[exponent]) : r / unchecked(POW10[-exponent]);
}

function slow(t: string, begin: i32, end: i32, exponent: i32, head: u64, count: i32): f64 {
  // the decimal value is D · 10^E with D the significant digits (at most MAX_DIGITS, then a sticky 1)
  const digits = new Uint8Array(MAX_DIGITS + 1);
  let n = 0;
  let dropped = 0;
  let sticky = false;
  for (let i = begin; i < end; i++) {
    const c = t.charCodeAt(i);
    if (c == 0x2e || (n == 0 && c == 0x30)) continue;
    if (n < MAX_DIGITS) digits[n++] = <u8>(c - 0x30);
    else {
      dropped++;
      if (c != 0x30) sticky = true;
    }
  }
  if (sticky) {
    digits[n++] = 1;
    dropped--;
  }
  const e10 = exponent + dropped;
  const d = Big.fromDigits(digits, n);

  // an approximation within a few ulps, then exact comparisons decide
  let z = approximate(head, exponent + count - min(count, 19));
  if (z == Infinity) z = f64.MAX_VALUE;
  if (z == 0) z = f64.MIN_VALUE;
  while (true) {
    const up = compareHalfway(d, e10, z);
    if (up > 0 || (up == 0 && (reinterpret<u64>(z) & 1) != 0)) {
      z = reinterpret<f64>(reinterpret<u64>(z) + 1); // next double up (MAX_VALUE → Infinity)
      if (z == Infinity) return z;
      continue;
    }
    if (z > 0) {
      const below = reinterpret<f64>(reinterpret<u64>(z) - 1);
      const down = compareHalfway(d, e10, below);
      if (down < 0 || (down == 0 && (reinterpret<u64>(below) & 1) == 0)) {
        z = below;
        continue;
      }
    }
    return z;
  }
}

/** Sign of D·10^e10 − (the midpoint between z and the next double up). */
function compareHalfway(d: Big, e10: i32, z: f64): i32 {
  const bits = reinterpret<u64>(z);
  const biased = <i32>((bits >> 52) & 0x7ff);
  const fractionBits = bits & 0xfffffffffffff;
  const m = biased == 0 ? fractionBits : fractionBits | (<u64>1 << 52);
  const e2 = biased == 0 ? -1074 : biased - 1075;
  // midpoint = (2m + 1) · 2^(e2 - 1)
  const left = d.clone();
  const right = Big.fromU64(2 * m + 1);
  if (e10 >= 0) left.mulPow10(e10);
  else right.mulPow10(-e10);
  const shift = e2 - 1;
  if (shift >= 0) right.shl(shift);
  else left.shl(-shift);
  return left.cmp(right);
}

/** Unsigned big integer, 32-bit limbs, least significant first, no leading zero limbs. */
class Big {
  limbs: u32[] = [];

  static fromU64(v: u64): Big {
    const b = new Big();
    while (v != 0) {
      b.limbs.push(<u32>v);
      v >>= 32;
    }
    return b;
  }

  static fromDigits(digits: Uint8Array, n: i32): Big {
    const b = new Big();
    let i = 0;
    while (i < n) {
      let chunk: u32 = 0;
      let scale: u32 = 1;
      for (let k = 0; k < 9 && i < n; k++, i++) {
        chunk = chunk * 10 + digits[i];
        scale *= 10;
      }
      b.mulAdd(scale, chunk);
    }
    return b;
  }

  clone(): Big {
    const b = new Big();
    b.limbs = this.limbs.slice();
    return b;
  }

  mulAdd(factor: u32, add: u32): void {
    let carry: u64 = add;
    for (let i = 0; i < this.limbs.length; i++) {
      const p = <u64>unchecked(this.limbs[i]) * factor + carry;
      unchecked((this.limbs[i] = <u32>p));
      carry = p >> 32;
    }
    if (carry != 0) this.limbs.push(<u32>carry);
  }

  mulPow10(k: i32): void {
    for (; k >= 9; k -= 9) this.mulAdd(1000000000, 0);
    if (k > 0) this.mulAdd(<u32>unchecked(POW10[k]), 0);
  }

  shl(bits: i32): void {
    if (this.limbs.length == 0) return;
    const words = bits >> 5;
    const rest = bits & 31;
    if (rest != 0) {
      let carry: u32 = 0;
      for (let i = 0; i < this.limbs.length; i++) {
        const v = unchecked(this.limbs[i]);
        unchecked((this.limbs[i] = (v << rest) | carry));
        carry = v >> (32 - rest);
      }
      if (carry != 0) this.limbs.push(carry);
    }
    if (words > 0) {
      const shifted: u32[] = [];
      for (let i = 0; i < words; i++) shifted.push(0);
      this.limbs = shifted.concat(this.limbs);
    }
  }

  cmp(other: Big): i32 {
    const a = this.limbs;
    const b = other.limbs;
    if (a.length != b.length) return a.length < b.length ? -1 : 1;
    for (let i = a.length - 1; i >= 0; i--) {
      const x = unchecked(a[i]);
      const y = unchecked(b[i]);
      if (x != y) return x < y ? -1 : 1;
    }
    return 0;
  }
}

/**
 * Formats a finite, non-zero double the way JavaScript's Number#toString does. The digits come
 * from AssemblyScript's Grisu2, which round-trips but sometimes ends a long number on a digit
 * other than the closest; that last digit is corrected with exact arithmetic, then the digits
 * are laid out with JavaScript's rules (plain up to 21 digits, exponent form otherwise).
 */
export function formatDouble(value: f64): string {
  const negative = value < 0;
  const v = Math.abs(value);
  let text = v.toString(); // e.g. "123.456", "1.5e-7", "1e+21", "1e-7.0", "123.0"
  if (text.endsWith(".0")) text = text.substring(0, text.length - 2);
  let mantissaEnd = text.indexOf("e");
  let k = 0;
  if (mantissaEnd >= 0) k = readExponent(text, mantissaEnd + 1, text.length);
  else mantissaEnd = text.length;
  let digits: u64 = 0;
  let n = 0;
  let fraction = false;
  for (let i = 0; i < mantissaEnd; i++) {
    const c = text.charCodeAt(i);
    if (c == 0x2e) { fraction = true; continue; }
    if (fraction) k--;
    if (n == 0 && c == 0x30) continue;
    if (n == 17) { k++; continue; } // 17 significant digits identify any double; closest() fixes the last
    digits = digits * 10 + <u64>(c - 0x30);
    n++;
  }
  if (n >= 15) {
    // long outputs: make the last digit the closest one (JavaScript's choice among equally short
    // representations), then drop digits while the shorter number still reads back as v
    digits = closest(v, digits, k);
    for (; n > 1; n--) {
      const shorter = closest(v, (digits + 5) / 10, k + 1);
      if (!readsBackAs(shorter, k + 1, v)) break;
      digits = shorter;
      k++;
    }
  }
  while (digits % 10 == 0) {
    digits /= 10;
    k++;
  }
  return (negative ? "-" : "") + layout(digits.toString(), k);
}

/** True when d·10^k parses to v: it lies between the midpoints around v (ties go to the even double). */
function readsBackAs(d: u64, k: i32, v: f64): bool {
  const big = Big.fromU64(d);
  const above = compareHalfway(big, k, v);
  if (above > 0 || (above == 0 && (reinterpret<u64>(v) & 1) != 0)) return false;
  const below = reinterpret<f64>(reinterpret<u64>(v) - 1);
  const under = compareHalfway(big, k, below);
  return under > 0 || (under == 0 && (reinterpret<u64>(below) & 1) != 0);
}

/** The integer D' nearest to v / 10^k (ties to even), starting from a D at most a few units away. */
function closest(v: f64, d: u64, k: i32): u64 {
  for (let step = 0; step < 32; step++) {
    const up = compareMidpoint(v, d, k);
    if (up > 0 || (up == 0 && (d & 1) != 0)) { d++; continue; }
    const down = compareMidpoint(v, d - 1, k);
    if (down < 0 || (down == 0 && (d & 1) != 0)) { d--; continue; }
    return d;
  }
  return d; // not reached: the digits start within a unit or two of the answer
}

/** Sign of v − (d + ½)·10^k, exactly. */
function compareMidpoint(v: f64, d: u64, k: i32): i32 {
  const bits = reinterpret<u64>(v);
  const biased = <i32>((bits >> 52) & 0x7ff);
  const fractionBits = bits & 0xfffffffffffff;
  const m = biased == 0 ? fractionBits : fractionBits | (<u64>1 << 52);
  const e2 = biased == 0 ? -1074 : biased - 1075;
  // 2v = m · 2^(e2+1) against (2d + 1) · 10^k
  const left = Big.fromU64(m);
  const right = Big.fromU64(2 * d + 1);
  if (k >= 0) right.mulPow10(k);
  else left.mulPow10(-k);
  const shift = e2 + 1;
  if (shift >= 0) left.shl(shift);
  else right.shl(-shift);
  return left.cmp(right);
}

/** JavaScript's Number#toString layout of digits·10^k. */
function layout(s: string, k: i32): string {
  const n = s.length;
  const point = n + k; // the value is 0.s × 10^point
  if (point >= n && point <= 21) return s + "0".repeat(point - n);
  if (point > 0 && point <= 21) return s.substring(0, point) + "." + s.substring(point);
  if (point > -6 && point <= 0) return "0." + "0".repeat(-point) + s;
  const e = point - 1;
  return s.charAt(0) + (n > 1 ? "." + s.substring(1) : "") + "e" + (e >= 0 ? "+" : "-") + abs<i32>(e).toString();
}
