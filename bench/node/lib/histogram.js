'use strict';
// A log-linear latency histogram in the manner of HdrHistogram: whole microseconds, exact below
// 2,048 us, then 1,024 sub-buckets per power of two (at most 0.1 % relative error), up to 2^31 us.
// The same bucket layout is in the Java harness (io.relaymesh.bench.load.Histogram), which merges
// the sparse counts that toJSON() writes. Not shared between threads (Node has one).

const SUB_BITS = 10;
const SUB = 1 << SUB_BITS;
const LINEAR = 2 * SUB;
const MAX_VALUE = 2 ** 31 - 1;
const BUCKETS = LINEAR + (31 - 11) * SUB;

function bucketOf(micros) {
  let v = Math.floor(micros);
  if (!(v > 0)) return 0;
  if (v > MAX_VALUE) v = MAX_VALUE;
  if (v < LINEAR) return v;
  const exponent = 31 - Math.clz32(v);
  const sub = (v >>> (exponent - SUB_BITS)) - SUB;
  return LINEAR + (exponent - 11) * SUB + sub;
}

class Histogram {
  constructor() {
    this.counts = new Float64Array(BUCKETS);
    this.total = 0;
    this.min = Infinity;
    this.max = 0;
    this.sum = 0;
  }

  record(micros) {
    const v = micros < 0 ? 0 : micros;
    this.counts[bucketOf(v)]++;
    this.total++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** Sparse form: [[bucket, count], ...] plus exact total, min, max and sum (microseconds). */
  toJSON() {
    const counts = [];
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i] > 0) counts.push([i, this.counts[i]]);
    return { total: this.total, min: this.total ? this.min : 0, max: this.max, sum: this.sum, counts };
  }
}

module.exports = { Histogram, bucketOf };
