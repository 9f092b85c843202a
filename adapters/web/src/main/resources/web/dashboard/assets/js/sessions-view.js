// The sessions tab: connected sessions cluster-wide, searchable, each with a Kick button that
// closes it through the kill switch (the client sees SessionKicked, close 4409).
import { callJson } from './api.js';
import { cell } from './ui.js';

export class SessionsView {
  constructor({ apiKey, el }) {
    this.apiKey = apiKey;
    this.el = el;
    this.pending = null;
    this.searchTimer = null;
    this.loading = 0;
    el('sessions-search').addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.load(), 250);
    });
    el('sessions-refresh').addEventListener('click', () => this.load());
    el('kick-cancel').addEventListener('click', () => el('kick-dialog').close());
    el('kick-confirm').addEventListener('click', () => this.#kick());
  }

  async load() {
    const key = this.apiKey();
    const status = this.el('sessions-status');
    if (!key) {
      this.#banner(status, 'Enter the admin API key to list sessions.', 'info');
      return;
    }
    const q = this.el('sessions-search').value.trim();
    const ticket = ++this.loading;
    const path = `/admin/api/sessions?${new URLSearchParams({ q, limit: '200' })}`;
    const answer = await callJson('GET', path, { apiKey: key });
    if (ticket !== this.loading) {
      return; // a newer search answered first
    }
    if (!answer.ok) {
      this.#banner(status, `Sessions not available: ${answer.problem}`, 'bad');
      return;
    }
    const { sessions = [], total = sessions.length, truncated = false } = answer.body || {};
    const shown = truncated ? `showing ${sessions.length} of ${total}` : `${total} session${total === 1 ? '' : 's'}`;
    this.#banner(status, `${shown}${q ? ` matching “${q}”` : ''}`, '');
    this.#rows(sessions);
  }

  #rows(sessions) {
    const rows = sessions.map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.sessionKey = s.session_key;
      const who = s.kind === 'admin' ? s.admin_id : s.user_id;
      const kick = document.createElement('button');
      kick.type = 'button';
      kick.className = 'small danger';
      kick.textContent = 'Kick';
      kick.addEventListener('click', () => this.#confirm(s));
      const action = document.createElement('td');
      action.className = 'num';
      action.append(kick);
      const connection = cell(s.connection_id ? s.connection_id.slice(0, 12) : '–', 'mono');
      connection.title = s.connection_id || '';
      tr.append(
        cell(s.kind || 'user'),
        cell(who || '–'),
        cell(s.kind === 'admin' ? '–' : s.company_id || '–'),
        cell(s.kind === 'admin' ? '–' : s.agent_id || '–'),
        cell(s.pod_id || '–', 'mono'),
        connection,
        cell(s.session_key, 'mono wrap'),
        action,
      );
      return tr;
    });
    if (!rows.length) {
      const tr = document.createElement('tr');
      tr.className = 'empty-row';
      const td = cell('No connected session matches.');
      td.colSpan = 8;
      tr.append(td);
      rows.push(tr);
    }
    this.el('sessions-body').replaceChildren(...rows);
  }

  #confirm(session) {
    this.pending = session;
    const who = session.kind === 'admin'
      ? `admin ${session.admin_id}`
      : `${session.user_id} (${session.company_id}/${session.agent_id})`;
    this.el('kick-text').textContent = `Close the session of ${who} on ${session.pod_id || 'its pod'}? `
      + 'The client receives SessionKicked and close code 4409, and this dashboard does not reconnect it.';
    this.el('kick-dialog').showModal();
  }

  async #kick() {
    const session = this.pending;
    this.el('kick-dialog').close();
    if (!session) {
      return;
    }
    const body = session.kind === 'admin'
      ? { admin_id: session.admin_id }
      : { company_id: session.company_id, agent_id: session.agent_id, user_id: session.user_id };
    const result = this.el('kick-result');
    const answer = await callJson('POST', '/admin/api/sessions/kick', { apiKey: this.apiKey(), body });
    if (answer.ok && answer.body && answer.body.kicked) {
      this.#banner(result, `Kicked ${answer.body.session_key || session.session_key}`
        + `${answer.body.pod_id ? ` on ${answer.body.pod_id}` : ''}.`, 'ok');
    } else if (answer.ok) {
      this.#banner(result, `Not kicked: ${JSON.stringify(answer.body)}`, 'bad');
    } else {
      this.#banner(result, `Not kicked: ${answer.problem}`, 'bad');
    }
    setTimeout(() => this.load(), 300);
  }

  #banner(element, text, kind) {
    element.textContent = text;
    element.className = kind ? `banner ${kind}` : 'muted';
  }
}
