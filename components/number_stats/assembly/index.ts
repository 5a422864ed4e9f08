// number_stats: count, sum, mean, median, min, max, variance, stddev and percentiles of a list of
// numbers. Percentiles interpolate linearly between closest ranks, like numpy.percentile's default.
import { run, fail, JSON } from "@arcrun/component-sdk/assembly";

run((input: JSON.Obj): JSON.Value => {
  const values = input.array("values");
  const ignore = input.boolOr("ignore_non_numeric", false);
  const all = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values.at(i);
    if (v.isNumber()) all[n++] = v.asNumber();
    else if (!ignore) {
      return fail("not_a_number", "values[" + i.toString() + "] is " + v.typeName() + ", not a number; remove it or set ignore_non_numeric: true",
        JSON.obj().set("index", JSON.int(i)));
    }
  }
  const x = all.subarray(0, n).sort();
  const total = sum(x);
  const out = JSON.obj().set("count", JSON.int(n)).set("sum", JSON.num(total));
  const ps = input.get("percentiles");
  if (n == 0) {
    // nothing to summarise: the sum of no numbers is 0, every other statistic is null
    const names = ["mean", "median", "min", "max", "variance", "stddev"];
    for (let i = 0; i < names.length; i++) out.set(names[i], JSON.NULL);
  } else {
    const mean = total / n;
    let squares = 0.0;
    for (let i = 0; i < n; i++) squares += (x[i] - mean) * (x[i] - mean);
    const ddof = input.boolOr("sample", false) ? 1 : 0;
    const variance = n - ddof > 0 ? squares / <f64>(n - ddof) : NaN; // NaN prints as null
    out.set("mean", JSON.num(mean)).set("median", JSON.num(median(x)))
      .set("min", JSON.num(x[0])).set("max", JSON.num(x[n - 1]))
      .set("variance", JSON.num(variance)).set("stddev", JSON.num(Math.sqrt(variance)));
  }
  if (ps !== null && ps.isArray()) {
    const list = ps.asArray();
    for (let i = 0; i < list.length; i++) {
      const p = list.at(i).asNumber(); // 0..100, checked by the input schema
      out.set("p" + JSON.formatNumber(p), n == 0 ? JSON.NULL : JSON.num(percentile(x, p)));
    }
  }
  return out;
});

/** Neumaier's compensated sum: a long list of decimals adds up without drift. */
function sum(x: Float64Array): f64 {
  let s = 0.0, c = 0.0;
  for (let i = 0; i < x.length; i++) {
    const t = s + x[i];
    c += Math.abs(s) >= Math.abs(x[i]) ? s - t + x[i] : x[i] - t + s;
    s = t;
  }
  return s + c;
}

/** numpy.median: the middle number, or the mean of the two middle numbers. */
function median(sorted: Float64Array): f64 {
  const mid = sorted.length >> 1;
  return sorted.length & 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** numpy.percentile(x, p) with method "linear": index (n - 1)·p/100, numpy's two-sided lerp. */
function percentile(sorted: Float64Array, p: f64): f64 {
  const index = <f64>(sorted.length - 1) * (p / 100);
  const lo = <i32>Math.floor(index);
  const t = index - lo;
  if (lo + 1 >= sorted.length) return sorted[sorted.length - 1];
  const a = sorted[lo], b = sorted[lo + 1];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
