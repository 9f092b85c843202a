// Positions ("<epoch>:<seq>"): where an event sits in the server's history. Sequences compare only
// within one epoch; another epoch means the server's history was reset (a restart, a new stream).

/** A position split into its epoch and its decimal sequence (without leading zeros). */
export interface ParsedPosition {
  epoch: string;
  seq: string;
}

/** The parts of `position`, or null when it is not "<epoch>:<decimal seq>". */
export function parsePosition(position: unknown): ParsedPosition | null {
  if (typeof position !== 'string') {
    return null;
  }
  const colon = position.lastIndexOf(':');
  const seq = position.slice(colon + 1);
  if (colon < 0 || !/^\d{1,40}$/.test(seq)) {
    return null;
  }
  return { epoch: position.slice(0, colon), seq: seq.replace(/^0+(?=\d)/, '') };
}

/**
 * Negative, zero or positive as `a` is before, at or after `b`; null when they cannot be compared
 * (other epochs). Sequences are compared as decimal strings, so any length is exact.
 */
export function comparePositions(a: ParsedPosition, b: ParsedPosition): number | null {
  if (a.epoch !== b.epoch) {
    return null;
  }
  if (a.seq.length !== b.seq.length) {
    return a.seq.length - b.seq.length;
  }
  return a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0;
}
