/**
 * A small seeded random number generator (xoshiro128**, seeded through splitmix32). Every random choice in the
 * CNN core (init, shuffling, augmentation, dropout) comes from an explicit Rng so that a run is reproducible and
 * its state can be saved into a checkpoint and restored bit for bit.
 */

/** The complete state of an Rng: four unsigned 32-bit words. */
export type RngState = [number, number, number, number];

/** splitmix32: spreads a seed over 32 bits; used to fill xoshiro's state so that nearby seeds differ. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Mixes a seed with extra integers (e.g. an epoch number) into a new 32-bit seed. */
export function deriveSeed(seed: number, ...salt: number[]): number {
  let h = splitmix32(seed)();
  for (const x of salt) h = splitmix32((h ^ Math.imul(x >>> 0, 0x27d4eb2d)) >>> 0)();
  return h;
}

/** A seeded xoshiro128** generator with uniform, integer and normal sampling. */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** Seeds the generator from any 32-bit integer (other numbers are truncated to 32 bits). */
  constructor(seed: number) {
    const sm = splitmix32(seed);
    this.s0 = sm();
    this.s1 = sm();
    this.s2 = sm();
    this.s3 = sm();
    // The all-zero state is a fixed point of xoshiro; splitmix32 never yields four zeros, but be explicit.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Creates a generator positioned exactly at a saved state. */
  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    r.setState(state);
    return r;
  }

  /** A copy of the current state (JSON-able). */
  getState(): RngState {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** Restores a state saved by getState(). */
  setState(state: RngState): void {
    [this.s0, this.s1, this.s2, this.s3] = state.map((x) => x >>> 0) as RngState;
  }

  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** A uniform number in [0, 1) with 32 random bits. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    // Multiply-shift: the bias is below 2^-32 · n, irrelevant for shuffles and crops.
    return Math.floor(this.uniform() * n);
  }

  /** A standard normal sample (Box–Muller; the second value is discarded so that the state stays 4 words). */
  normal(): number {
    const u1 = 1 - this.uniform(); // in (0, 1], so log(u1) is finite
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Shuffles an array in place (Fisher–Yates). */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
