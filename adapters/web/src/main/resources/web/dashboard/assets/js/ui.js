// DOM helpers shared by the dashboards.

export const $ = (id) => {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`the page has no #${id}`);
  }
  return element;
};

/** The "Show"/"Hide" buttons next to secret inputs. */
export function wireRevealButtons(root = document) {
  for (const button of root.querySelectorAll('[data-reveal]')) {
    button.addEventListener('click', () => {
      const input = document.getElementById(button.dataset.reveal);
      const hidden = input.type === 'password';
      input.type = hidden ? 'text' : 'password';
      button.textContent = hidden ? 'Hide' : 'Show';
    });
  }
}

/** Shows a problem under a form, marking the field at fault (if any). */
export function showProblem(element, message, field = null) {
  element.textContent = message || '';
  const scope = element.closest('form, .card') || document;
  for (const marked of scope.querySelectorAll('[aria-invalid="true"]')) {
    if (marked !== field) {
      marked.removeAttribute('aria-invalid');
    }
  }
  if (field && message) {
    field.setAttribute('aria-invalid', 'true');
  } else if (field) {
    field.removeAttribute('aria-invalid');
  }
}

/** A cell with text, optional class. */
export function cell(text, className = '') {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  return td;
}

/** "standalone · pod vm" in the top bar, from /dashboard/defaults or /health. */
export async function showWhere(element, defaults) {
  let mode = defaults.mode;
  let pod = defaults.pod_id;
  if (!pod) {
    try {
      const health = await (await fetch('/health', { cache: 'no-store' })).json();
      pod = health.pod_id;
    } catch {
      pod = null;
    }
  }
  element.textContent = [mode, pod ? `pod ${pod}` : ''].filter(Boolean).join(' · ');
}
