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
