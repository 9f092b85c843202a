// The cluster tab: polls GET /admin/api/cluster every second, shows the pods, the totals and charts
// built from the polled values. A pod that leaves the answer stays listed as gone for a while.
import { callJson } from './api.js';
import { Colors, LineChart } from './chart.js';
import { age, count, latency, rate, shortClock } from './format.js';
import { cell } from './ui.js';

const POLL_MS = 1000;
const HISTORY_MS = 5 * 60 * 1000;
const GONE_KEPT_MS = 10 * 60 * 1000;
const STALE_MS = 3000;

/**
 * The pod's latency percentiles, or NaNs when it wrote no frame in the window (count 0): a pod
 * that delivered nothing has no latency, which is not the same as a latency of 0 ms.
 */
function latencyOf(pod) {
  const l = pod.latency_ms || {};
  const none = l.count === 0 || l.p50 == null;
  return none ? { p50: NaN, p95: NaN, p99: NaN } : { p50: l.p50, p95: l.p95, p99: l.p99 };
}

export class ClusterView {
  /**
   * @param {{apiKey: () => string, el: (id: string) => HTMLElement}} options
   */
  constructor({ apiKey, el }) {
    this.apiKey = apiKey;
    this.el = el;
    this.colors = new Colors();
    this.pods = new Map(); // pod id -> {last, goneSince}
    this.history = new Map(); // pod id -> [{t, eps, fps, p50, p99}]
    this.timer = null;
    this.running = false;
    this.charts = {
      events: new LineChart(el('chart-events')),
      frames: new LineChart(el('chart-frames')),
      latency: new LineChart(el('chart-latency')),
    };
  }

  start() {
    if (!this.running) {
      this.running = true;
      this.#poll();
    }
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
  }

  /** Polls again at once (after the key changed). */
  refresh() {
    clearTimeout(this.timer);
    if (this.running) {
      this.#poll();
    }
  }

  async #poll() {
    const started = Date.now();
    const key = this.apiKey();
    if (!key) {
      this.#status('Enter the admin API key to see the cluster.', 'info');
    } else {
      const answer = await callJson('GET', '/admin/api/cluster', { apiKey: key, timeoutMs: 2500 });
      if (answer.ok && answer.body) {
        this.#show(answer.body, Date.now());
      } else {
        const hint = answer.status === 401 ? ' Check the admin API key.' : '';
        this.#status(`Cluster state not available: ${answer.problem}.${hint}`, 'bad');
        this.#markAllStale();
      }
    }
    if (this.running) {
      this.timer = setTimeout(() => this.#poll(), Math.max(100, POLL_MS - (Date.now() - started)));
    }
  }

  #show(cluster, now) {
    const pods = Array.isArray(cluster.pods) ? cluster.pods : [];
    const live = new Set();
    for (const pod of pods) {
      live.add(pod.pod_id);
      this.pods.set(pod.pod_id, { last: pod, goneSince: null });
      const points = this.history.get(pod.pod_id) || [];
      const l = latencyOf(pod);
      points.push({ t: now, eps: pod.events_per_second, fps: pod.frames_per_second, p50: l.p50, p99: l.p99 });
      while (points.length && points[0].t < now - HISTORY_MS) {
        points.shift();
      }
      this.history.set(pod.pod_id, points);
    }
    for (const [id, entry] of this.pods) {
      if (!live.has(id) && !entry.goneSince) {
        entry.goneSince = now;
      }
      if (entry.goneSince && now - entry.goneSince > GONE_KEPT_MS) {
        this.pods.delete(id);
        this.history.delete(id);
      }
    }
    const where = [cluster.mode, cluster.answered_by ? `answered by ${cluster.answered_by}` : '', `updated ${shortClock(now)}`];
    this.#status(where.filter(Boolean).join(' · '), '');
    this.#tiles(cluster.totals || {}, pods.length);
    this.#table(cluster.generated_at || now);
    this.#charts(now);
  }

  #status(text, kind) {
    const status = this.el('cluster-status');
    status.textContent = text;
    status.className = kind ? `banner ${kind}` : 'muted';
  }

  #tiles(totals, podCount) {
    this.el('total-pods').textContent = count(totals.pods ?? podCount);
    this.el('total-connections').textContent = count(totals.connections);
    this.el('total-routes').textContent = count(totals.route_keys);
    this.el('total-events').textContent = rate(totals.events_per_second);
    this.el('total-frames').textContent = rate(totals.frames_per_second);
  }

  #table(generatedAt) {
    const body = this.el('pods-body');
    const rows = [];
    const entries = [...this.pods.entries()].sort(([a, ea], [b, eb]) =>
      (ea.goneSince ? 1 : 0) - (eb.goneSince ? 1 : 0) || a.localeCompare(b));
    for (const [id, { last: p, goneSince }] of entries) {
      const tr = document.createElement('tr');
      tr.dataset.pod = id;
      const podCell = cell(id, 'pod');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = this.colors.of(id);
      podCell.prepend(swatch);
      const l = latencyOf(p);
      const updatedAge = p.updated_at ? generatedAt - p.updated_at : null;
      const connections = cell(count(p.connections), 'num');
      if (p.user_sessions != null || p.admin_sessions != null) {
        connections.title = `${count(p.user_sessions)} user, ${count(p.admin_sessions)} admin sessions`;
      }
      tr.append(
        podCell,
        cell(p.grpc_address || '–', 'mono'),
        connections,
        cell(count(p.route_keys), 'num'),
        cell(rate(p.events_per_second), 'num'),
        cell(rate(p.frames_per_second), 'num'),
        cell(latency(l.p50), 'num'),
        cell(latency(l.p95), 'num'),
        cell(latency(l.p99), 'num'),
        cell(goneSince ? `gone since ${shortClock(goneSince)}` : p.has_stats === false ? 'no stats' : age(updatedAge), 'age'),
      );
      if (goneSince) {
        tr.classList.add('gone');
        tr.title = 'this pod left the pod directory; its last values are shown';
      } else if (p.has_stats === false || updatedAge == null || updatedAge > STALE_MS) {
        tr.classList.add('stale');
        tr.title = 'this pod is in the pod directory but has not published its stats for more than 3 s';
      }
      rows.push(tr);
    }
    if (!rows.length) {
      const tr = document.createElement('tr');
      tr.className = 'empty-row';
      const td = cell('No pods in the pod directory.');
      td.colSpan = 10;
      tr.append(td);
      rows.push(tr);
    }
    body.replaceChildren(...rows);
  }

  #markAllStale() {
    for (const tr of this.el('pods-body').querySelectorAll('tr[data-pod]')) {
      tr.classList.add('stale');
    }
  }

  #charts(now) {
    const series = (field, dashed = false) => [...this.history.entries()].map(([id, points]) => ({
      id,
      color: this.colors.of(id),
      dashed,
      points: points.map((p) => ({ t: p.t, v: p[field] })),
    }));
    this.charts.events.setSeries(series('eps'));
    this.charts.frames.setSeries(series('fps'));
    this.charts.latency.setSeries([...series('p50'), ...series('p99', true)]);
    for (const chart of Object.values(this.charts)) {
      chart.draw(now);
    }
    const legend = this.el('chart-legend');
    legend.replaceChildren(...[...this.history.keys()].map((id) => {
      const item = document.createElement('span');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = this.colors.of(id);
      item.append(swatch, id + (this.pods.get(id)?.goneSince ? ' (gone)' : ''));
      return item;
    }));
  }
}
