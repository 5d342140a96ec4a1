/**
 * A seeded pseudo-random generator: the only source of randomness in the library, so the same
 * seed gives the same weights, data and batches in Node and in every browser.
 * Algorithm: sfc32 (Chris Doty-Humphrey's small fast counter), seeded through splitmix32.
 *
 * @example
 * const rng = new Rng(42);
 * rng.next();           // uniform in [0, 1)
 * rng.normal(0, 1);     // a standard normal draw
 * rng.int(10);          // 0..9
 * rng.shuffle([1, 2, 3]); // the same order for the same seed
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  #spare: number | null = null;

  /** The seed this generator started from. */
  readonly seed: number;

  constructor(seed = 1337) {
    this.seed = seed;
    if (!Number.isFinite(seed)) throw new RangeError(`Rng: seed must be a finite number, got ${seed}`);
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /**
   * The generator's position, as plain numbers: `setState` of it continues the same sequence
   * (training checkpoints store it for dropout).
   *
   * @example
   * const saved = rng.state();
   * const a = rng.next();
   * rng.setState(saved);
   * rng.next() === a; // true
   */
  state(): number[] {
    const words = [this.#a, this.#b, this.#c, this.#d];
    return this.#spare === null ? words : [...words, this.#spare];
  }

  /** Continues from a position taken by `state()`. */
  setState(state: readonly number[]): void {
    const ok =
      (state.length === 4 || state.length === 5) &&
      state.slice(0, 4).every((w) => Number.isInteger(w) && w >= -(2 ** 31) && w < 2 ** 32) &&
      (state.length === 4 || Number.isFinite(state[4]));
    if (!ok) {
      throw new RangeError(
        `Rng: a state is four 32-bit integers and an optional spare normal draw, got [${state.join(", ")}]`,
      );
    }
    [this.#a, this.#b, this.#c, this.#d] = state;
    this.#spare = state.length === 5 ? state[4] : null;
  }

  /** A float in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** A sample of the normal distribution (Box–Muller, using both outputs). */
  normal(mean = 0, std = 1): number {
    if (this.#spare !== null) {
      const z = this.#spare;
      this.#spare = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * this.next();
    this.#spare = r * Math.sin(theta);
    return mean + std * r * Math.cos(theta);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }
}
