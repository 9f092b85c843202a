// Shows a GatewayConnection's state in words: phase, close code and reason, what to do next.
import { millis, shortClock } from './format.js';

const LABELS = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  open: 'Connected, waiting for ready…',
  ready: 'Ready',
  waiting: 'Reconnecting',
  closed: 'Closed',
};

/**
 * Binds a state box (.state with .state-label, .state-detail, .state-action children) and keeps a
 * countdown running while a reconnect is scheduled.
 */
export class StateView {
  constructor(box) {
    this.box = box;
    this.label = box.querySelector('.state-label');
    this.detail = box.querySelector('.state-detail');
    this.action = box.querySelector('.state-action');
    this.ticker = null;
    this.state = { phase: 'idle' };
    this.render();
  }

  show(state) {
    this.state = state;
    clearInterval(this.ticker);
    this.ticker = null;
    if (state.phase === 'waiting') {
      this.ticker = setInterval(() => this.render(), 200);
    }
    this.render();
  }

  render() {
    const s = this.state;
    this.box.dataset.phase = s.phase;
    let label = LABELS[s.phase] || s.phase;
    const detail = [];
    let action = '';
    if (s.phase === 'connecting' && s.attempt) {
      label = `Connecting… (attempt ${s.attempt + 1})`;
    }
    if (s.phase === 'ready' && s.since) {
      detail.push(`since ${shortClock(s.since)}`);
    }
    if (s.phase === 'waiting') {
      const left = Math.max(0, s.retryAt - Date.now());
      label = `Reconnecting in ${millis(left)} (attempt ${s.attempt})`;
    }
    if (s.close && (s.phase === 'closed' || s.phase === 'waiting')) {
      const c = s.close;
      if (s.phase === 'closed') {
        label = s.byUser ? 'Disconnected' : `Closed · ${c.code} ${c.name}`;
      }
      if (s.byUser) {
        detail.push('You closed the connection (1000).');
      } else {
        if (s.phase === 'waiting') {
          detail.push(`Closed with ${c.code} ${c.name}.`);
        }
        detail.push(c.words);
        if (s.error && s.error.message) {
          detail.push(`Server: ${s.error.code ? `${s.error.code}: ` : ''}${s.error.message}.`);
        } else if (c.reason && c.reason !== c.name) {
          detail.push(`Reason: ${c.reason}.`);
        }
        if (c.needsUserAction) {
          action = c.action || 'This close needs your action before connecting again.';
        } else if (s.phase === 'closed' && s.autoReconnectOff) {
          action = 'Automatic reconnect is off.';
        }
      }
    }
    if (s.problem) {
      detail.push(s.problem);
    }
    this.label.textContent = label;
    this.detail.textContent = detail.join(' ');
    this.action.textContent = action;
  }
}
