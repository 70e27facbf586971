// Playground time to interactive, two builds side by side (issue #14): serves two copies of
// www/ (each with its own serve.mjs and pkg/) on 127.0.0.1 and loads them alternately in
// fresh headless-Chromium contexts, so both see the same machine load.
//   node bench/tti-ab.mjs <wwwA> <wwwB> [loads per side, default 10]
// e.g. wwwA = a copy of www/ as main has it (after pkg-scripts/build), wwwB = this branch's.
// Prints per side the median time to interactive (navigation start -> html[data-ready]),
// every load and the median phases (tests/e2e/tti.test.mjs names them).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [dirA, dirB, loads = '10'] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: node bench/tti-ab.mjs <wwwA> <wwwB> [loads]');
  process.exit(2);
}
const servers = {};
const urls = {};
for (const [k, dir] of [['A', dirA], ['B', dirB]]) {
  const { serve } = await import(pathToFileURL(resolve(dir, 'serve.mjs')).href);
  servers[k] = await serve(0);
  urls[k] = `http://127.0.0.1:${servers[k].address().port}/`;
}
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
const runs = { A: [], B: [] };
try {
  for (let i = 0; i < Number(loads); i++) {
    for (const k of i % 2 ? ['A', 'B'] : ['B', 'A']) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      await page.goto(urls[k]);
      await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
      runs[k].push(
        await page.evaluate(() => {
          const m = (n) => performance.getEntriesByName(`playground:${n}`)[0]?.startTime ?? NaN;
          const nav = performance.getEntriesByType('navigation')[0];
          return { ready: window.__readyAt, dcl: nav.domContentLoadedEventEnd, initStart: m('init-start'), wasmReady: m('wasm-ready'), booted: m('booted') };
        }),
      );
      await context.close();
    }
  }
} finally {
  await browser.close();
  for (const s of Object.values(servers)) s.close();
}
const median = (xs) => Math.round(xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]);
for (const k of ['A', 'B']) {
  const r = runs[k];
  const ph = ['dcl', 'initStart', 'wasmReady', 'booted'].map((p) => `${p} ${median(r.map((x) => x[p]))}`).join(', ');
  console.log(`${k} ${k === 'A' ? dirA : dirB}: median ${median(r.map((x) => x.ready))} ms [${r.map((x) => Math.round(x.ready)).join(' ')}]; median phases: ${ph}`);
}
