// Firefox for the same dashboards: Debian's Firefox ESR driven by puppeteer-core over WebDriver
// BiDi (Playwright can only drive its own patched Firefox builds, which are downloads). Nothing is
// downloaded. The scenario runner, waits and checks are the ones of harness.mjs.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { ScenarioFailed, until } from './harness.mjs';

/** Firefox ESR headless with a fresh profile that is removed afterwards, at laptop size. */
export async function launchFirefox() {
  const executablePath = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
  const profile = mkdtempSync(join(tmpdir(), 'relaymesh-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    userDataDir: profile,
    defaultViewport: { width: 1280, height: 800 },
    timeout: 60000,
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Watches a page as harness.mjs's Watch does, with puppeteer's event names. Firefox also reports
 * the WebSocket upgrade as an http:// request (Chromium does not); it carries the keys by
 * protocol, as in Chromium, so it is the one request left out.
 */
export function watchPage(watch, page, name) {
  page.on('pageerror', (e) => watch.found.push(`${name}: uncaught error in the page: ${e.message}`));
  page.on('console', (message) => watch.check(`${name}: console ${message.type()}`, message.text()));
  page.on('request', (request) => {
    if (!isWebSocketUpgrade(request.url())) {
      watch.check(`${name}: request URL`, request.url());
    }
  });
  page.on('framenavigated', (frame) => watch.check(`${name}: page URL`, frame.url()));
  return page;
}

function isWebSocketUpgrade(url) {
  const { pathname } = new URL(url);
  return pathname.startsWith('/ws/');
}

/** The text of the first element matching {@code selector} ('' when there is none). */
export function textOf(page, selector) {
  return page.$eval(selector, (e) => e.textContent || '').catch(() => '');
}

/** The value of an input. */
export function valueOf(page, selector) {
  return page.$eval(selector, (e) => e.value).catch(() => '');
}

/** Waits until the element's text matches; returns the text. */
export async function textMatchesIn(page, selector, pattern, what, timeoutMs = 10000) {
  let text = '';
  return until(`${what} should match ${pattern}`, async () => {
    text = await textOf(page, selector);
    return pattern.test(text) ? text : false;
  }, timeoutMs).catch((e) => {
    throw new Error(`${e.message}; it reads "${text.slice(0, 300)}"`);
  });
}

/** Replaces an input's text as a person would: select what is there, type the new text. */
export async function fill(page, selector, value) {
  await page.locator(selector).fill(value);
}

/** Runs a whole script in Firefox: launch, the scenarios, failure screenshots, cleanup, exit code. */
export async function runFirefox(title, body) {
  const firefox = await launchFirefox();
  const screenshots = process.env.SCREENSHOT_DIR;
  if (screenshots) {
    mkdirSync(screenshots, { recursive: true });
    for (const old of readdirSync(screenshots).filter((f) => f.startsWith(`failure-${title}-`))) {
      rmSync(join(screenshots, old), { force: true });
    }
  }
  let failed = false;
  try {
    await body(firefox.browser);
  } catch (e) {
    failed = true;
    if (!(e instanceof ScenarioFailed)) {
      console.log(`not ok - ${title}: ${e.stack || e.message}`);
    }
    if (screenshots) {
      const pages = (await firefox.browser.pages()).filter((p) => p.url() !== 'about:blank');
      for (const [i, page] of pages.entries()) {
        const name = new URL(page.url()).pathname.replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'index';
        await page.screenshot({ path: join(screenshots, `failure-${title}-${i + 1}-${name}.png`) }).catch(() => {});
      }
    }
  } finally {
    await firefox.close();
  }
  console.log(`${title}: ${failed ? 'a scenario failed' : 'every scenario passed'}`);
  process.exitCode = failed ? 1 : 0;
}
