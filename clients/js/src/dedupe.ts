// The event ids a client has seen lately: delivery is at least once, so the same event can come twice.

/** A bounded set of recent ids: past `max` ids, the oldest is forgotten. */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly max: number) {}

  /** True when `id` was seen among the last `max` ids; remembers it either way. */
  seen(id: string): boolean {
    if (this.ids.has(id)) {
      return true;
    }
    this.ids.add(id);
    if (this.ids.size > this.max) {
      // A Set iterates in insertion order: the first is the oldest.
      this.ids.delete(this.ids.values().next().value as string);
    }
    return false;
  }

  get size(): number {
    return this.ids.size;
  }
}
