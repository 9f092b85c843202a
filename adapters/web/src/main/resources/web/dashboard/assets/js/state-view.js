// Shows a RelaymeshClient's state (relaymesh-client.js) in words: status, close code and reason,
// what to do next.
import { describeClose } from './close-codes.js';
import { millis, shortClock } from './format.js';

const LABELS = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  open: 'Connected, waiting for ready…',
  ready: 'Ready',
  reconnecting: 'Reconnecting',
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
    this.state = { status: 'idle' };
    this.render();
  }

  /** @param {import('./relaymesh-client.js').ClientState} state */
  show(state) {
    this.state = state;
    clearInterval(this.ticker);
    this.ticker = null;
    if (state.status === 'reconnecting') {
      this.ticker = setInterval(() => this.render(), 200);
    }
    this.render();
  }

  render() {
    const s = this.state;
    const phase = s.status === 'connecting' && s.open ? 'open' : s.status;
    this.box.dataset.phase = phase;
    let label = LABELS[phase] || phase;
    const detail = [];
    let action = '';
    if (phase === 'connecting' && s.attempt) {
      label = `Connecting… (attempt ${s.attempt + 1})`;
    }
    if (phase === 'ready') {
      detail.push(`since ${shortClock(s.at)}`);
      if (s.recovered === true) {
        detail.push(`Resumed after ${s.since}: the events missed meanwhile came first.`);
      } else if (s.recovered === false) {
        detail.push(`Could not resume after ${s.since}: events were missed; reload what the page shows.`);
      }
    }
    if (phase === 'reconnecting') {
      const left = Math.max(0, s.retryAt - Date.now());
      label = `Reconnecting in ${millis(left)} (attempt ${s.attempt})`;
    }
    if (s.close && (phase === 'closed' || phase === 'reconnecting')) {
      const c = describeClose(s.close.code, s.close.reason);
      if (phase === 'closed') {
        label = s.byUser ? 'Disconnected' : `Closed · ${c.code} ${c.name}`;
      }
      if (s.byUser) {
        detail.push('You closed the connection (1000).');
      } else {
        if (phase === 'reconnecting') {
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
        } else if (phase === 'closed' && s.reconnectOff) {
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
