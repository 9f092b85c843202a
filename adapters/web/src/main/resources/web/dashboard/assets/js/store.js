// Form fields kept in sessionStorage: they survive a reload of this tab, never go into a URL, and
// are gone when the tab closes.

const PREFIX = 'relaymesh.';

/** Loads each input's saved value and saves it on every change. */
export function persist(page, inputs) {
  for (const [name, input] of Object.entries(inputs)) {
    const key = `${PREFIX}${page}.${name}`;
    const saved = sessionStorage.getItem(key);
    if (saved !== null) {
      if (input.type === 'checkbox') {
        input.checked = saved === 'true';
      } else {
        input.value = saved;
      }
    }
    const save = () => sessionStorage.setItem(key, input.type === 'checkbox' ? String(input.checked) : input.value);
    input.addEventListener('input', save);
    input.addEventListener('change', save);
  }
}

export function load(page, name) {
  const raw = sessionStorage.getItem(`${PREFIX}${page}.${name}`);
  if (raw === null) {
    return null;
  }
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

export function save(page, name, value) {
  const key = `${PREFIX}${page}.${name}`;
  if (value == null) {
    sessionStorage.removeItem(key);
  } else {
    sessionStorage.setItem(key, JSON.stringify(value));
  }
}

/**
 * Fills inputs from the gateway's defaults: the empty ones, and those named in {@code overwrite}
 * (the API keys: a standalone gateway makes new ones at every start, so a saved one goes stale).
 * Returns how many it filled.
 */
export function prefill(defaults, inputs, overwrite = []) {
  let filled = 0;
  for (const [name, input] of Object.entries(inputs)) {
    const value = defaults[name];
    if ((!input.value || overwrite.includes(name)) && typeof value === 'string' && value && input.value !== value) {
      input.value = value;
      input.dispatchEvent(new Event('input'));
      filled += 1;
    }
  }
  return filled;
}
