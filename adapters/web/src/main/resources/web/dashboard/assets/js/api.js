// JSON calls to the gateway's HTTP API. API keys go in the X-API-Key header, never in a URL.

/**
 * @returns {Promise<{ok: boolean, status: number, body: any, problem: string, field?: string}>}
 *   problem names what went wrong in words (the server's error message when it sent one)
 */
export async function callJson(method, path, { apiKey, body, timeoutMs = 5000 } = {}) {
  const headers = { Accept: 'application/json' };
  if (apiKey) {
    headers['X-API-Key'] = apiKey;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      signal: controller.signal,
    });
  } catch (e) {
    const why = e.name === 'AbortError' ? `no answer within ${timeoutMs / 1000} s` : 'the gateway cannot be reached';
    return { ok: false, status: 0, body: null, problem: `${method} ${path}: ${why}` };
  } finally {
    clearTimeout(timer);
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (response.ok) {
    return { ok: true, status: response.status, body: parsed, problem: '' };
  }
  const error = parsed && parsed.error;
  let problem;
  if (error && error.message) {
    problem = `${error.code ? `${error.code}: ` : ''}${error.message}`;
  } else if (response.status === 404) {
    problem = `${path} does not exist on this gateway (HTTP 404)`;
  } else {
    problem = `HTTP ${response.status} from ${path}`;
  }
  return { ok: false, status: response.status, body: parsed, problem, field: error && error.field };
}

/** What the dashboards may prefill (standalone on loopback only); {} when the gateway says nothing. */
export async function dashboardDefaults() {
  const answer = await callJson('GET', '/dashboard/defaults', { timeoutMs: 3000 });
  return answer.ok && answer.body ? answer.body : {};
}

/** POST /api/v1/publish with the admin API key. */
export function publish(adminKey, subject, payload) {
  return callJson('POST', '/api/v1/publish', { apiKey: adminKey, body: { subject, payload } });
}
