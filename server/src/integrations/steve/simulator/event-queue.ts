import type { SimEvent } from './model/types.ts';

export interface Scheduled {
  at: number;
  seq: number;
  event: SimEvent;
}

/** What a queue saves: its entries in heap order and the next sequence number. */
export interface EventQueueSnapshot {
  entries: Scheduled[];
  seq: number;
}

/** Binary min-heap on (at, seq): equal times keep scheduling order, which keeps runs reproducible. */
export class EventQueue {
  readonly #heap: Scheduled[];
  #seq: number;

  constructor(snapshot?: EventQueueSnapshot) {
    // A saved heap is already in heap order: taking it as is keeps pop order (and so the run) identical.
    this.#heap = snapshot ? snapshot.entries.map((entry) => structuredClone(entry)) : [];
    this.#seq = snapshot?.seq ?? 0;
  }

  push(at: number, event: SimEvent): void {
    // Whole milliseconds only: Dates handed out (and cursors handed back) have no sub-ms part.
    this.#heap.push({ at: Math.round(at), seq: this.#seq++, event });
    let i = this.#heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  peekAt(): number | undefined {
    return this.#heap[0]?.at;
  }

  pop(): Scheduled | undefined {
    const top = this.#heap[0];
    const last = this.#heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (this.#heap.length > 0) {
      this.#heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.#heap.length && this.#less(l, m)) m = l;
        if (r < this.#heap.length && this.#less(r, m)) m = r;
        if (m === i) break;
        this.#swap(i, m);
        i = m;
      }
    }
    return top;
  }

  snapshot(): EventQueueSnapshot {
    return { entries: structuredClone(this.#heap), seq: this.#seq };
  }

  #less(a: number, b: number): boolean {
    const x = this.#heap[a]!;
    const y = this.#heap[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }

  #swap(a: number, b: number): void {
    const tmp = this.#heap[a]!;
    this.#heap[a] = this.#heap[b]!;
    this.#heap[b] = tmp;
  }
}
