// Small formatting helpers shared by the dashboards.

const pad = (n, width = 2) => String(n).padStart(width, '0');

/** 14:03:27.123 in local time. */
export function clock(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** 14:03:27 in local time. */
export function shortClock(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "12 ms", "1.24 s". */
export function millis(ms) {
  if (ms == null || !Number.isFinite(ms)) {
    return '';
  }
  if (Math.abs(ms) < 1000) {
    return `${Math.round(ms)} ms`;
  }
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Latency values from the admin API, which may be fractions: "0.8 ms", "12 ms". */
export function latency(ms) {
  if (ms == null || !Number.isFinite(ms)) {
    return '–';
  }
  return ms < 10 ? `${ms.toFixed(1)} ms` : millis(ms);
}

/** A rate: "0", "0.4", "12.5", "1,234". */
export function rate(value) {
  if (value == null || !Number.isFinite(value)) {
    return '–';
  }
  if (value === 0) {
    return '0';
  }
  return value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en');
}

export function count(value) {
  return value == null || !Number.isFinite(value) ? '–' : Math.round(value).toLocaleString('en');
}

/** "0.4 s ago", "3 min ago". */
export function age(ms) {
  if (ms == null || !Number.isFinite(ms)) {
    return '–';
  }
  const s = Math.max(0, ms) / 1000;
  if (s < 60) {
    return `${s.toFixed(1)} s ago`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ago`;
  }
  return `${Math.floor(s / 3600)} h ago`;
}

/** The delivery latency of an event payload: receive time minus its sent_at (epoch ms), or null. */
export function deliveryLatency(payload, receivedAt) {
  if (!payload || typeof payload !== 'object' || payload.sent_at == null) {
    return null;
  }
  let sent = payload.sent_at;
  if (typeof sent === 'string') {
    sent = /^\d+(\.\d+)?$/.test(sent.trim()) ? Number(sent) : Date.parse(sent);
  }
  return typeof sent === 'number' && Number.isFinite(sent) ? receivedAt - sent : null;
}

/** "eyJh…x9Qk": enough of a secret to tell two apart, not enough to use it. */
export function redact(secret) {
  if (!secret) {
    return '';
  }
  return secret.length <= 10 ? '…' : `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}
