// A small time-series line chart on a canvas: a few series over the last minutes, y from zero,
// "nice" ticks, crisp on high-density screens. Enough for the cluster view; no library needed.

const GRID = '#eceff4';
const AXIS_TEXT = '#8a93a5';
const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const LEFT = 44;
const RIGHT = 8;
const TOP = 8;
const BOTTOM = 20;

/** The smallest "nice" step (1, 2 or 5 times a power of ten) at or above {@code value}. */
export function niceStep(value) {
  if (!(value > 0)) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value * (1 - 1e-9)) {
      return step * power;
    }
  }
  return 10 * power;
}

/** The y axis for values up to {@code max}: a nice step and a top of at most 5 steps with some headroom. */
export function yAxis(max, minTop = 1) {
  const target = Math.max(max * 1.1, minTop);
  const step = niceStep(target / 5);
  return { step, top: step * Math.ceil(target / step) };
}

/** The time window: the history there is, at least {@code minMs}, at most {@code maxMs}. */
export function timeWindow(oldest, now, minMs, maxMs) {
  return Math.min(maxMs, Math.max(minMs, now - oldest));
}

/** A y-axis label: at most three significant digits, no trailing zeros ("0.25", "1.5", "250"). */
export function tick(value) {
  return String(Number(value.toPrecision(3)));
}

/**
 * One chart. Series: {id, color, dashed?, points: [{t, v}]} with t in epoch ms. The time axis
 * covers the history there is, from {@code minWindowMs} up to {@code maxWindowMs}. Points further
 * apart than {@code gapMs} are not joined (a pod that was gone, or polls that failed).
 */
export class LineChart {
  constructor(canvas, { minWindowMs = 30000, maxWindowMs = 300000, gapMs = 3500, format = tick, minMax = 1 } = {}) {
    this.canvas = canvas;
    this.minWindowMs = minWindowMs;
    this.maxWindowMs = maxWindowMs;
    this.gapMs = gapMs;
    this.format = format;
    this.minMax = minMax;
    this.series = [];
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(() => this.draw()).observe(canvas);
    }
  }

  /** Replaces the series; call {@link draw} to show them. */
  setSeries(series) {
    this.series = series;
  }

  draw(now = Date.now()) {
    const canvas = this.canvas;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height) {
      return;
    }
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = FONT;

    let oldest = now;
    for (const s of this.series) {
      if (s.points.length) {
        oldest = Math.min(oldest, s.points[0].t);
      }
    }
    const windowMs = timeWindow(oldest, now, this.minWindowMs, this.maxWindowMs);
    const from = now - windowMs;
    let max = 0;
    for (const s of this.series) {
      for (const p of s.points) {
        if (p.t >= from && Number.isFinite(p.v)) {
          max = Math.max(max, p.v);
        }
      }
    }
    const { step, top } = yAxis(max, this.minMax);
    const plotW = width - LEFT - RIGHT;
    const plotH = height - TOP - BOTTOM;
    const x = (t) => LEFT + ((t - from) / windowMs) * plotW;
    const y = (v) => TOP + plotH - (v / top) * plotH;

    // Horizontal grid and y labels, one per step.
    g.lineWidth = 1;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let i = 0; i * step <= top * (1 + 1e-9); i += 1) {
      const v = i * step;
      const yy = Math.round(y(v)) + 0.5;
      g.strokeStyle = GRID;
      g.beginPath();
      g.moveTo(LEFT, yy);
      g.lineTo(width - RIGHT, yy);
      g.stroke();
      g.fillStyle = AXIS_TEXT;
      g.fillText(this.format(v), LEFT - 6, yy);
    }
    // Time labels as seconds before now, 3 to 6 of them.
    g.textAlign = 'center';
    g.textBaseline = 'top';
    const every = [10000, 15000, 30000, 60000].find((ms) => windowMs / ms <= 5) || 60000;
    for (let back = 0; back <= windowMs; back += every) {
      const xx = x(now - back);
      const label = back === 0 ? 'now' : every >= 60000 ? `-${back / 60000}m` : `-${back / 1000}s`;
      g.fillStyle = AXIS_TEXT;
      g.fillText(label, Math.min(Math.max(xx, LEFT + 12), width - RIGHT - 12), TOP + plotH + 5);
    }

    g.save();
    g.beginPath();
    g.rect(LEFT, TOP - 1, plotW, plotH + 2);
    g.clip();
    g.lineJoin = 'round';
    g.lineCap = 'round';
    for (const s of this.series) {
      g.strokeStyle = s.color;
      g.lineWidth = s.dashed ? 1.25 : 1.75;
      g.setLineDash(s.dashed ? [4, 3] : []);
      g.beginPath();
      let previous = null;
      for (const p of s.points) {
        if (!Number.isFinite(p.v) || p.t < from - this.gapMs) {
          previous = null;
          continue;
        }
        if (previous && p.t - previous.t <= this.gapMs) {
          g.lineTo(x(p.t), y(p.v));
        } else {
          g.moveTo(x(p.t), y(p.v));
        }
        previous = p;
      }
      g.stroke();
      // The newest value as a dot, so a single sample is visible too.
      const last = s.points[s.points.length - 1];
      if (last && Number.isFinite(last.v) && now - last.t <= this.gapMs && !s.dashed) {
        g.setLineDash([]);
        g.fillStyle = s.color;
        g.beginPath();
        g.arc(x(last.t), y(last.v), 2.5, 0, Math.PI * 2);
        g.fill();
      }
    }
    g.restore();
  }
}

const PALETTE = ['#2f6fdb', '#1f8a4c', '#d9730d', '#7c3aed', '#0e7490', '#be185d', '#8a6d1f', '#4b5563'];

/** Stable colours: each new key takes the next colour of the palette. */
export class Colors {
  constructor() {
    this.assigned = new Map();
  }

  of(key) {
    if (!this.assigned.has(key)) {
      this.assigned.set(key, PALETTE[this.assigned.size % PALETTE.length]);
    }
    return this.assigned.get(key);
  }
}
