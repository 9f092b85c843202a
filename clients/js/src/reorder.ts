// In-order hand-over within a short window: in cluster mode consecutive events can be taken by
// different pods and overtake each other on the way to one socket.

import { comparePositions, type ParsedPosition } from './position.js';

/** Something with a position (or none: such an item has no order and passes at once). */
export interface Ordered {
  parsed: ParsedPosition | null;
}

/**
 * Holds each item for up to `windowMs` and releases items in position order. An item is released
 * when its own wait is over, together with every held item before it; so an item that overtook
 * another is held until the other arrives or the window ends. An item older than the last one
 * released comes too late to be ordered and passes at once (it is not lost). Not thread-safe; one
 * per connection, on the event loop.
 */
export class ReorderBuffer<T extends Ordered> {
  private held: { item: T; due: number }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last: ParsedPosition | null = null;
  private paused = false;

  constructor(
    private readonly windowMs: number,
    private readonly release: (item: T) => void,
    private readonly maxHeld = 1000,
  ) {}

  push(item: T): void {
    const p = item.parsed;
    if (this.windowMs <= 0 || !p) {
      this.out(item);
      return;
    }
    const first = this.held[0];
    if (first && comparePositions(first.item.parsed!, p) === null) {
      this.flush(); // a new epoch: the server's history was reset, and what was held comes first
    }
    const behind = this.last ? comparePositions(p, this.last) : null;
    if (behind !== null && behind <= 0) {
      this.out(item); // too late to be put in order
      return;
    }
    let i = this.held.length;
    while (i > 0 && comparePositions(this.held[i - 1]!.item.parsed!, p)! > 0) {
      i -= 1;
    }
    this.held.splice(i, 0, { item, due: Date.now() + this.windowMs });
    if (this.held.length > this.maxHeld) {
      this.out(this.held.shift()!.item);
    }
    this.schedule();
  }

  /**
   * Keeps what is held past its window until {@link resume}: across a reconnect, so that an event
   * lost on the way to the old connection, and replayed on the new one, still goes in its place.
   */
  hold(): void {
    this.paused = true;
    this.cancel();
  }

  /** Ends a {@link hold}: every held item waits one more window, for what the replay brings. */
  resume(): void {
    if (!this.paused) {
      return;
    }
    this.paused = false;
    const due = Date.now() + this.windowMs;
    this.held.forEach((h) => (h.due = Math.max(h.due, due)));
    this.schedule();
  }

  /** Releases everything held, in order (on a close for good: the app gets what arrived). */
  flush(): void {
    const held = this.held;
    this.held = [];
    this.paused = false;
    this.cancel();
    held.forEach((h) => this.out(h.item));
  }

  get size(): number {
    return this.held.length;
  }

  private out(item: T): void {
    const p = item.parsed;
    const c = p && this.last ? comparePositions(p, this.last) : null;
    if (p && (c === null || c > 0)) {
      this.last = p; // later in this epoch, or the first of a new one
    }
    this.release(item);
  }

  private schedule(): void {
    if (this.timer === undefined && !this.paused && this.held.length) {
      const due = Math.min(...this.held.map((h) => h.due));
      this.timer = setTimeout(() => this.tick(), Math.max(0, due - Date.now()));
    }
  }

  private tick(): void {
    this.timer = undefined;
    const now = Date.now();
    let upTo = -1;
    this.held.forEach((h, i) => {
      if (h.due <= now) upTo = i;
    });
    this.held.splice(0, upTo + 1).forEach((h) => this.out(h.item));
    this.schedule();
  }

  private cancel(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
