// The publish console: a subject, a JSON payload checked as you type, sent_at added for the
// latency figures, POST /api/v1/publish with the admin key, and the gateway's answer.
import { publish } from './api.js';
import { millis, shortClock } from './format.js';
import { identifierProblem } from './ids.js';

const SUBJECT = /^websocket\.([^.]+)\.([^.]+)\.(chats|agents|messages\.([^.]+))$/;

/** A problem with the subject in words, or ''. */
export function subjectProblem(subject) {
  const m = SUBJECT.exec(subject);
  if (!m) {
    return 'The subject must be websocket.{company}.{agent}.chats, .agents or .messages.{chat_id}';
  }
  return identifierProblem('The company', m[1]) || identifierProblem('The agent', m[2])
    || (m[4] ? identifierProblem('The chat id', m[4]) : '');
}

/** The payload as an object, or a problem in words. */
export function parsePayload(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { problem: `Not JSON: ${e.message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { problem: 'The payload must be a JSON object ({…})' };
  }
  if ('event_id' in value && (typeof value.event_id !== 'string' || !value.event_id.trim())) {
    return { problem: 'event_id, when given, must be a non-blank string' };
  }
  return { value };
}

export class PublishConsole {
  constructor({ apiKey, el }) {
    this.apiKey = apiKey;
    this.el = el;
    this.sent = 0;
    const check = () => this.#check();
    el('console-subject').addEventListener('input', check);
    el('console-payload').addEventListener('input', check);
    el('console-send').addEventListener('click', () => this.#send());
    el('console-format').addEventListener('click', () => {
      const parsed = parsePayload(el('console-payload').value);
      if (parsed.value) {
        el('console-payload').value = JSON.stringify(parsed.value, null, 2);
      }
    });
    for (const button of document.querySelectorAll('[data-subject-kind]')) {
      button.addEventListener('click', () => this.#fillSubject(button.dataset.subjectKind));
    }
    this.#check();
  }

  #fillSubject(kind) {
    const current = SUBJECT.exec(this.el('console-subject').value);
    const company = current ? current[1] : 'acme';
    const agent = current ? current[2] : 'support';
    const suffix = kind === 'messages' ? `messages.${(current && current[4]) || 'chat-42'}` : kind;
    this.el('console-subject').value = `websocket.${company}.${agent}.${suffix}`;
    this.el('console-subject').dispatchEvent(new Event('input'));
  }

  #check() {
    const subject = this.el('console-subject').value.trim();
    const sp = subject ? subjectProblem(subject) : 'The subject is required';
    const parsed = parsePayload(this.el('console-payload').value);
    const status = this.el('console-check');
    this.el('console-subject').setAttribute('aria-invalid', String(Boolean(sp && subject)));
    this.el('console-payload').setAttribute('aria-invalid', String(Boolean(parsed.problem)));
    if (sp || parsed.problem) {
      status.textContent = sp || parsed.problem;
      status.className = 'problem';
    } else {
      status.textContent = 'Valid: a JSON object for a known subject form.';
      status.className = 'hint';
    }
    this.el('console-send').disabled = Boolean(sp || parsed.problem);
    return !sp && !parsed.problem;
  }

  async #send() {
    if (!this.#check()) {
      return;
    }
    const key = this.apiKey();
    const response = this.el('console-response');
    if (!key) {
      response.textContent = 'Publishing needs the admin API key (in the Access card).';
      return;
    }
    const payload = parsePayload(this.el('console-payload').value).value;
    if (this.el('console-sent-at').checked) {
      payload.sent_at = Date.now();
    }
    const subject = this.el('console-subject').value.trim();
    const started = performance.now();
    this.el('console-send').disabled = true;
    const answer = await publish(key, subject, payload);
    this.el('console-send').disabled = false;
    const took = millis(performance.now() - started);
    this.sent += 1;
    const head = `#${this.sent} ${shortClock(Date.now())} → ${subject} · HTTP ${answer.status || 'no answer'} in ${took}`;
    const body = answer.body ? JSON.stringify(answer.body, null, 2) : answer.problem;
    response.textContent = `${head}\n${body}`;
    response.dataset.status = String(answer.status);
  }
}
