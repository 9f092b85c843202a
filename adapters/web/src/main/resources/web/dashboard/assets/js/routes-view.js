// The routes tab: which pods hold sockets for which route keys (from the route registry).
import { callJson } from './api.js';
import { cell } from './ui.js';

export class RoutesView {
  constructor({ apiKey, el }) {
    this.apiKey = apiKey;
    this.el = el;
    this.searchTimer = null;
    this.loading = 0;
    el('routes-search').addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.load(), 250);
    });
    el('routes-refresh').addEventListener('click', () => this.load());
  }

  async load() {
    const key = this.apiKey();
    const status = this.el('routes-status');
    if (!key) {
      status.textContent = 'Enter the admin API key to list routes.';
      status.className = 'banner info';
      return;
    }
    const q = this.el('routes-search').value.trim();
    const ticket = ++this.loading;
    const answer = await callJson('GET', `/admin/api/routes?${new URLSearchParams({ q, limit: '200' })}`, { apiKey: key });
    if (ticket !== this.loading) {
      return;
    }
    if (!answer.ok) {
      status.textContent = `Routes not available: ${answer.problem}`;
      status.className = 'banner bad';
      return;
    }
    const { routes = [], total = routes.length, truncated = false } = answer.body || {};
    status.textContent = `${truncated ? `showing ${routes.length} of ${total}` : `${total} route key${total === 1 ? '' : 's'}`}`
      + `${q ? ` matching “${q}”` : ''}`;
    status.className = 'muted';
    const rows = routes.map((r) => {
      const tr = document.createElement('tr');
      const pods = document.createElement('td');
      for (const pod of r.pods || []) {
        const chip = document.createElement('span');
        chip.className = 'chip';
        chip.textContent = pod;
        pods.append(chip);
      }
      tr.append(cell(r.route_key, 'mono'), cell(kindOf(r.route_key)), pods);
      return tr;
    });
    if (!rows.length) {
      const tr = document.createElement('tr');
      tr.className = 'empty-row';
      const td = cell('No route key matches.');
      td.colSpan = 3;
      tr.append(td);
      rows.push(tr);
    }
    this.el('routes-body').replaceChildren(...rows);
  }
}

/** What a route key carries, by its prefix (docs/cluster.md, "Redis": Route keys). */
function kindOf(routeKey) {
  if (routeKey.startsWith('admin:')) {
    return 'agents events to admins';
  }
  if (routeKey.startsWith('chat:')) {
    return 'messages of a chat';
  }
  if (routeKey.startsWith('agent:')) {
    return 'chats of an agent';
  }
  return '';
}
