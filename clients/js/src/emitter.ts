// A minimal typed event emitter (no dependency, works in browsers and Node alike).

type Listener<T> = (value: T) => void;

export class Emitter<M extends object> {
  private listeners: { [K in keyof M]?: Set<Listener<M[K]>> } = {};

  /** Calls `fn` for every `type`; returns the function that stops it. */
  on<K extends keyof M>(type: K, fn: Listener<M[K]>): () => void {
    (this.listeners[type] ??= new Set()).add(fn);
    return () => this.off(type, fn);
  }

  off<K extends keyof M>(type: K, fn: Listener<M[K]>): void {
    this.listeners[type]?.delete(fn);
  }

  protected emit<K extends keyof M>(type: K, value: M[K]): void {
    // A listener that throws must not stop the others or the client.
    this.listeners[type]?.forEach((fn) => {
      try {
        fn(value);
      } catch (e) {
        setTimeout(() => {
          throw e;
        });
      }
    });
  }
}
