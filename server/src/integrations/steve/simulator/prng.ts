/** Small seeded PRNG (32-bit state mixing); same seed ⇒ same sequence, on every platform. */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** The internal state, to save; `Prng.resume(state)` continues the same sequence. */
  get state(): number {
    return this.#state;
  }

  static resume(state: number): Prng {
    const prng = new Prng(0);
    prng.#state = state >>> 0;
    return prng;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let z = this.#state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 0x1_0000_0000;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick() from an empty list');
    return item;
  }

  /** Exponentially distributed delay with the given mean (Poisson arrivals). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}
