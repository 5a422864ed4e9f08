// A stable sort of indexes: bottom-up merge sort, O(n log n), smaller than the generic
// Array#sort and stable by construction (ties keep their original order).

/** Sorts `order` in place so that `compare(order[i], order[i + 1]) <= 0`, keeping ties in order. */
export function stableSort(order: i32[], compare: (a: i32, b: i32) => i32): void {
  const n = order.length;
  let src = order;
  let dst = new Array<i32>(n);
  for (let width = 1; width < n; width <<= 1) {
    for (let lo = 0; lo < n; lo += width << 1) {
      const mid = min(lo + width, n);
      const hi = min(lo + (width << 1), n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) dst[k++] = compare(src[i], src[j]) <= 0 ? src[i++] : src[j++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    const swap = src;
    src = dst;
    dst = swap;
  }
  if (src !== order) for (let i = 0; i < n; i++) order[i] = src[i];
}

/** [0, 1, …, n - 1] */
export function indexes(n: i32): i32[] {
  const out = new Array<i32>(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** -1, 0 or 1, comparing UTF-16 code units like JavaScript's < on strings. */
export function compareText(a: string, b: string): i32 {
  return a == b ? 0 : a < b ? -1 : 1;
}
