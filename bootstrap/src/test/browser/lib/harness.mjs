// A small scenario runner around playwright-core and Debian's Chromium (or another launcher, such as
// lib/firefox.mjs): bounded waits, screenshots, and checks that no secret leaks into a URL or the
// console. No test framework, no browser download.
import { mkdtempSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** A required environment variable (DashboardBrowserIT sets them all). */
export function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set; run this through DashboardBrowserIT (make test), which starts the gateways`);
  }
  return value;
}

/** Chromium headless with a fresh profile that is removed afterwards, at the laptop size the pages are made for. */
export async function launch() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const profile = mkdtempSync(join(tmpdir(), 'relaymesh-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true, // adds --headless
    viewport: { width: 1280, height: 800 },
    timeout: 30000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(10000);
  return {
    context,
    async pages() {
      return context.pages();
    },
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Watches a page (Playwright's or puppeteer's: the events are named alike): uncaught errors,
 * console lines and request URLs. {@link Watch#problems} names each page error and each secret
 * that showed up where it must not: any URL, WebSocket upgrades included (the server keys never go
 * on a socket URL; the pages send only the public client keys there), or the console. Chromium
 * does not report the upgrade as a request; Firefox does.
 */
export class Watch {
  constructor(secrets) {
    this.secrets = secrets.filter(Boolean);
    this.found = [];
  }

  page(page, name) {
    page.on('pageerror', (e) => this.found.push(`${name}: uncaught error in the page: ${e.message}`));
    page.on('console', (message) => this.#check(`${name}: console ${message.type()}`, message.text()));
    page.on('request', (request) => this.#check(`${name}: request URL`, request.url()));
    page.on('framenavigated', (frame) => this.#check(`${name}: page URL`, frame.url()));
    return page;
  }

  #check(where, text) {
    for (const secret of this.secrets) {
      if (text.includes(secret) || text.includes(encodeURIComponent(secret))) {
        this.found.push(`${where} contains a secret (${secret.slice(0, 4)}…): ${text.replaceAll(secret, "…").slice(0, 120)}`);
      }
    }
  }

  problems() {
    return [...new Set(this.found)];
  }
}

let passed = 0;

/** Runs one scenario with a time limit; the first failure stops the run with its message. */
export async function scenario(name, fn, timeoutMs = 45000) {
  const started = Date.now();
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    await Promise.race([fn(), limit]);
  } catch (e) {
    console.log(`not ok - ${name}: ${e.message}`);
    throw new ScenarioFailed(name, e);
  } finally {
    clearTimeout(timer);
  }
  passed += 1;
  console.log(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

export class ScenarioFailed extends Error {
  constructor(name, cause) {
    super(`${name}: ${cause.message}`);
    this.cause = cause;
  }
}

/**
 * Runs a whole script: launch, the scenarios, the secret checks, cleanup, and the exit code.
 * {@code launcher} starts the browser: {@link launch} (Chromium) unless given, and returns what
 * {@code body} gets as {@code context}, its open {@code pages()} and {@code close()}.
 */
export async function run(title, body, launcher = launch) {
  const browser = await launcher();
  const screenshots = process.env.SCREENSHOT_DIR;
  if (screenshots) {
    mkdirSync(screenshots, { recursive: true });
    for (const old of readdirSync(screenshots).filter((f) => f.startsWith(`failure-${title}-`))) {
      rmSync(join(screenshots, old), { force: true });
    }
  }
  let failed = false;
  try {
    await body(browser.context);
  } catch (e) {
    failed = true;
    if (!(e instanceof ScenarioFailed)) {
      console.log(`not ok - ${title}: ${e.stack || e.message}`);
    }
    if (screenshots) {
      const pages = (await browser.pages()).filter((p) => p.url() !== 'about:blank');
      for (const [i, page] of pages.entries()) {
        const name = new URL(page.url()).pathname.replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'index';
        await page.screenshot({ path: join(screenshots, `failure-${title}-${i + 1}-${name}.png`) }).catch(() => {});
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`${title}: ${passed} scenario(s) passed${failed ? ', then one failed' : ''}`);
  process.exitCode = failed ? 1 : 0;
}

/** Waits until {@code check} returns a truthy value (polling every 100 ms); returns it. */
export async function until(what, check, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) {
        return last;
      }
    } catch (e) {
      last = e.message;
    }
    if (Date.now() >= deadline) {
      throw new Error(`${what}: not true within ${timeoutMs / 1000} s${last ? ` (last: ${String(last).slice(0, 300)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the element's text matches; returns the text. */
export async function textMatches(locator, pattern, what, timeoutMs = 10000) {
  let text = '';
  return until(`${what} should match ${pattern}`, async () => {
    text = (await locator.textContent({ timeout: 1000 })) || '';
    return pattern.test(text) ? text : false;
  }, timeoutMs).catch((e) => {
    throw new Error(`${e.message}; it reads "${text.slice(0, 300)}"`);
  });
}

/** A latency cell as the pages write it: "12 ms", or "1.71 s" from one second on. */
export const LATENCY = /^-?(\d+ ms|\d+\.\d\d s)$/;

/** Milliseconds of a {@link LATENCY} text. */
export function latencyMillis(text) {
  return text.endsWith(' ms') ? Number.parseInt(text, 10) : Math.round(Number.parseFloat(text) * 1000);
}

export function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/** A PNG of the page (1280x800) in SCREENSHOT_DIR, when set. */
export async function screenshot(page, name) {
  const dir = process.env.SCREENSHOT_DIR;
  if (dir) {
    await page.screenshot({ path: join(dir, `${name}.png`) });
  }
}

/** POST /api/v1/publish from outside the browser, as a backend would. */
export async function publishFromBackend(base, adminKey, subject, payload) {
  const response = await fetch(`${base}/api/v1/publish`, {
    method: 'POST',
    headers: { 'X-API-Key': adminKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ subject, payload }),
    signal: AbortSignal.timeout(10000),
  });
  const body = await response.text();
  assert(response.status === 200, `publish to ${subject} answered ${response.status}: ${body}`);
  return JSON.parse(body);
}

/** Counts pixels of a canvas that are clearly coloured (a drawn series, not the grey grid). */
export async function colouredPixels(page, selector) {
  return page.$eval(selector, (canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 60) {
        n += 1;
      }
    }
    return n;
  });
}
