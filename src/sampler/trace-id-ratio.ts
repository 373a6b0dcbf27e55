/**
 * The keep-a-fraction decision, bit for bit the one of the Collector's tail_sampling
 * `probabilistic` policy (processor/tailsamplingprocessor/internal/sampling/probabilistic.go):
 *
 *   keep ⇔ FNV-1a-64(hash_salt bytes ‖ 16 trace id bytes) ≤ ⌊(2^64 − 1) × ratio⌋
 *
 * where the product is rounded to 64 significant bits first (Go's big.Float), then truncated.
 * Every process and the collector therefore decide alike for the same trace id, salt and ratio.
 */

const TWO_32 = 0x1_0000_0000;
const FNV_PRIME_LOW = 0x1b3; // prime = 2^40 + 0x1b3
const FNV_OFFSET_HI = 0xcbf29ce4;
const FNV_OFFSET_LO = 0x84222325;
const TRACE_ID = /^[0-9a-f]{32}$/i;

/** A ready-made decision function for one salt and ratio. */
export function traceIdRatio(ratio: number, salt: string): (traceId: string) => boolean {
  if (typeof ratio !== 'number') throw new TypeError('traceIdRatio: ratio must be a number');
  const threshold = thresholdFor(ratio);
  const tHi = Number(threshold >> 32n);
  const tLo = Number(threshold & 0xffff_ffffn);
  const seed = fnv1a64(new TextEncoder().encode(salt), FNV_OFFSET_HI, FNV_OFFSET_LO);
  return (traceId) => {
    const bytes = hexBytes(traceId);
    if (!bytes) return false;
    const [hi, lo] = fnv1a64(bytes, seed[0], seed[1]);
    return hi < tHi || (hi === tHi && lo <= tLo);
  };
}

/** FNV-1a over `bytes` from state (hi, lo), with 64-bit arithmetic done in two 32-bit halves. */
export function fnv1a64(bytes: Uint8Array, hi: number, lo: number): [number, number] {
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ bytes[i]!) >>> 0;
    // h × (2^40 + 0x1b3) mod 2^64 = h × 0x1b3 + (lo << 40)
    const loProduct = lo * FNV_PRIME_LOW;
    const carry = Math.floor(loProduct / TWO_32);
    const shifted = (lo * 256) % TWO_32; // the low word shifted by 40 lands in the high word at bit 8
    hi = (hi * FNV_PRIME_LOW + carry + shifted) % TWO_32;
    lo = loProduct % TWO_32;
  }
  return [hi, lo];
}

/** ⌊round64((2^64 − 1) × ratio)⌋, as Go computes it with big.Float. */
export function thresholdFor(ratio: number): bigint {
  if (!(ratio > 0)) return 0n;
  if (ratio >= 1) return 0xffff_ffff_ffff_ffffn;
  const [mantissa, exponent] = decompose(ratio);
  let n = 0xffff_ffff_ffff_ffffn * mantissa;
  const extra = n.toString(2).length - 64;
  if (extra > 0) {
    const shift = BigInt(extra);
    let q = n >> shift;
    const rem = n & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    n = q << shift;
  }
  return exponent >= 0 ? n << BigInt(exponent) : n >> BigInt(-exponent);
}

/** A finite positive double as mantissa × 2^exponent, exactly. */
function decompose(x: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  return exp === 0 ? [frac, -1074] : [frac | (1n << 52n), exp - 1075];
}

function hexBytes(hex: string): Uint8Array | undefined {
  if (!TRACE_ID.test(hex)) return undefined;
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
