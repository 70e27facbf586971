// What the e2e files share: Chromium's flags, the screenshot folder, and one playground
// server (www/, 127.0.0.1 only) plus one headless Chromium per file.
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { serve } from '../../www/serve.mjs';

export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
export const VIEWPORT = { width: 1366, height: 900 };
mkdirSync(SHOTS, { recursive: true });

/** Starts the server and the browser; `close()` stops both. */
export async function launch() {
  const server = await serve(0);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
  const close = async () => {
    await browser.close();
    server.close();
  };
  return { base, browser, close };
}

/** A fresh context (empty storage) and page that record every page error and console error
 * in `problems`, and refuse (and record) every request that would leave 127.0.0.1. */
export async function guardedPage(browser, base, contextOptions = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, ...contextOptions });
  const problems = [];
  await context.route(
    (u) => !u.href.startsWith(base),
    (route) => {
      problems.push(`request to another host: ${route.request().url()}`);
      return route.abort();
    },
  );
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, problems };
}

/**
 * Types a command into the playground's terminal and waits for its output block to end (a
 * long script runs in slices, its block marked .running until then).
 */
export async function typeCommand(page, cmd) {
  const before = await page.locator('#term-out .blk:not(.note)').count();
  await page.fill('#term-input', cmd);
  await page.press('#term-input', 'Enter');
  await page.waitForFunction(
    (n) => document.querySelectorAll('#term-out .blk:not(.note)').length > n && !document.querySelector('#term-out .blk.running'),
    before,
  );
  return page.locator('#term-out .blk:not(.note)').last();
}
