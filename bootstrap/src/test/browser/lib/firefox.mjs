// Firefox for the same dashboards: Debian's Firefox ESR driven by puppeteer-core over WebDriver
// BiDi (Playwright can only drive its own patched Firefox builds, which are downloads). Nothing is
// downloaded. The scenario runner, page watch, waits and checks are the ones of harness.mjs; these
// are the launcher and the few waits puppeteer's API needs in its own words.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { until } from './harness.mjs';

/**
 * Firefox ESR headless with a fresh profile that is removed afterwards, at laptop size: the
 * launcher to give harness.mjs's run.
 */
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
    context: browser,
    async pages() {
      return browser.pages();
    },
    async close() {
      await browser.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
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
