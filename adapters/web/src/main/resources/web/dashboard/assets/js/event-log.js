// A live log of frames: newest first, time, kind, delivery latency and the JSON.
import { clock, millis } from './format.js';

/**
 * Renders log entries into a container and keeps counts. Holds at most {@code max} entries; a
 * reader scrolled down keeps their place while new entries arrive at the top.
 */
export class EventLog {
  constructor(container, { max = 500, stats = null, emptyText = 'Nothing yet.' } = {}) {
    this.container = container;
    this.max = max;
    this.statsEl = stats;
    this.emptyText = emptyText;
    this.seen = new Set();
    this.seenOrder = [];
    this.counts = { events: 0, duplicates: 0 };
    this.latencies = [];
    container.addEventListener('click', (e) => {
      const entry = e.target.closest('.entry');
      if (entry) {
        this.#toggle(entry);
      }
    });
    this.clear();
  }

  /**
   * @param {{kind: string, at: number, latencyMs?: number|null, json?: any, shown?: any, text?: string}} item
   *   json is the whole frame (shown formatted when the line is opened); shown, when given, is the
   *   part of it the closed line shows (an event's payload)
   */
  add(item) {
    let duplicate = false;
    if (item.kind === 'event') {
      this.counts.events += 1;
      const id = item.json && item.json.payload && item.json.payload.event_id;
      if (typeof id === 'string') {
        duplicate = this.seen.has(id);
        if (duplicate) {
          this.counts.duplicates += 1;
        } else {
          this.#remember(id);
        }
      }
      if (item.latencyMs != null) {
        this.latencies.push(item.latencyMs);
        if (this.latencies.length > 200) {
          this.latencies.shift();
        }
      }
    }
    const row = document.createElement('div');
    row.className = 'entry';
    row.dataset.kind = item.kind;
    const time = document.createElement('time');
    time.textContent = clock(item.at);
    const kind = document.createElement('span');
    kind.className = 'kind';
    kind.textContent = item.kind;
    const latency = document.createElement('span');
    latency.className = 'latency';
    latency.textContent = item.latencyMs == null ? '' : millis(item.latencyMs);
    if (item.latencyMs != null) {
      latency.title = 'delivery latency: receive time minus payload.sent_at';
    }
    const body = document.createElement('span');
    body.className = 'body';
    if (duplicate) {
      const dup = document.createElement('span');
      dup.className = 'dup';
      dup.textContent = 'duplicate';
      dup.title = 'an event with this event_id arrived before (at-least-once delivery)';
      body.append(dup);
    }
    row.json = item.json;
    row.shown = item.shown === undefined ? item.json : item.shown;
    body.append(item.json === undefined ? item.text || '' : JSON.stringify(row.shown));
    row.append(time, kind, latency, body);

    const placeholder = this.container.querySelector('.log-empty');
    if (placeholder) {
      placeholder.remove();
    }
    const keepPlace = this.container.scrollTop > 0;
    const before = this.container.scrollHeight;
    this.container.prepend(row);
    while (this.container.childElementCount > this.max) {
      this.container.lastElementChild.remove();
    }
    if (keepPlace) {
      this.container.scrollTop += this.container.scrollHeight - before;
    }
    this.#renderStats();
    return row;
  }

  clear() {
    this.container.replaceChildren();
    const empty = document.createElement('div');
    empty.className = 'log-empty';
    empty.textContent = this.emptyText;
    this.container.append(empty);
    this.counts = { events: 0, duplicates: 0 };
    this.latencies = [];
    this.seen.clear();
    this.seenOrder = [];
    this.#renderStats();
  }

  #remember(id) {
    this.seen.add(id);
    this.seenOrder.push(id);
    if (this.seenOrder.length > 5000) {
      this.seen.delete(this.seenOrder.shift());
    }
  }

  #toggle(entry) {
    const open = entry.classList.toggle('open');
    const body = entry.querySelector('.body');
    if (entry.json === undefined) {
      return;
    }
    const dup = body.querySelector('.dup');
    body.replaceChildren(...(dup ? [dup] : []), open ? JSON.stringify(entry.json, null, 2) : JSON.stringify(entry.shown));
  }

  #renderStats() {
    if (!this.statsEl) {
      return;
    }
    const parts = [['events', String(this.counts.events)]];
    if (this.counts.duplicates) {
      parts.push(['duplicates', String(this.counts.duplicates)]);
    }
    if (this.latencies.length) {
      const sorted = [...this.latencies].sort((a, b) => a - b);
      parts.push(['last latency', millis(this.latencies[this.latencies.length - 1])]);
      parts.push(['median', millis(sorted[Math.floor((sorted.length - 1) / 2)])]);
    }
    this.statsEl.replaceChildren();
    parts.forEach(([label, value], i) => {
      if (i) {
        this.statsEl.append(' · ');
      }
      const b = document.createElement('b');
      b.textContent = value;
      this.statsEl.append(`${label} `, b);
    });
  }
}
