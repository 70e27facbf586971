// Playground time to interactive (issue #14): navigation start -> the terminal accepts a
// command (html[data-ready="true"], set once the wasm module is instantiated, the cluster
// booted and the terminal enabled), in headless Chromium on 127.0.0.1, fresh context each
// load (empty storage, empty HTTP cache). Prints the median of LOADS loads and its phases:
//   node --test tests/e2e/tti.test.mjs          (after pkg-scripts/build, which fills www/pkg)
//   TTI_LOADS=15 node --test tests/e2e/tti.test.mjs
// The bound asserted is generous (a shared 2-core machine under load measures 2-4x the idle
// figure); BENCHMARKS.md holds the measured verdict.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { guardedPage, launch } from './harness.mjs';

const LOADS = Number(process.env.TTI_LOADS ?? 7);
// Idle machine: the goal is 250 ms; the bound only catches a regression of a different order.
const BOUND_MS = 2000;

let browser;
let base;
let close;

before(async () => ({ browser, base, close } = await launch()));
after(() => close?.());

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One load in a fresh context: the phases, in ms from navigation start. */
async function load() {
  const { context, page, problems } = await guardedPage(browser, base);
  await page.goto(base);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
  const phases = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const mark = (n) => performance.getEntriesByName(`playground:${n}`)[0]?.startTime ?? NaN;
    const res = performance.getEntriesByType('resource');
    const wasm = res.filter((r) => r.name.endsWith('.wasm'));
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    return {
      html: nav.responseEnd,
      domContentLoaded: nav.domContentLoadedEventEnd,
      fcp,
      initStart: mark('init-start'),
      wasmReady: mark('wasm-ready'),
      cluster: mark('cluster'),
      booted: mark('booted'),
      ready: window.__readyAt,
      wasmFetched: Math.max(...wasm.map((r) => r.responseEnd)),
      wasmFetches: wasm.map((r) => r.name.replace(/^.*\//, '')),
      scripts: res.filter((r) => r.initiatorType !== 'fetch' && r.name.endsWith('.js')).length,
    };
  });
  // The terminal takes a command at once.
  await page.fill('#term-input', 'kubectl get servicecidr');
  await page.press('#term-input', 'Enter');
  await page.waitForFunction(() => window.__firstCommandAt > 0);
  const out = await page.locator('#term-out .blk:not(.note)').last().innerText();
  await context.close();
  return { phases, problems, out };
}

test('playground time to interactive (median of fresh loads)', async () => {
  const runs = [];
  for (let i = 0; i < LOADS; i++) {
    const { phases, problems, out } = await load();
    assert.deepEqual(problems, []);
    assert.match(out, /kubernetes\s+10\.96\.0\.0\/28/, 'the first command answers');
    runs.push(phases);
  }
  const keys = ['html', 'domContentLoaded', 'fcp', 'initStart', 'wasmFetched', 'wasmReady', 'cluster', 'booted', 'ready'];
  const med = Object.fromEntries(keys.map((k) => [k, Math.round(median(runs.map((r) => r[k])))]));
  const all = runs.map((r) => Math.round(r.ready)).join(' ');
  console.log(
    `time to interactive: median ${med.ready} ms over ${LOADS} loads (each: ${all}); median phases: ` +
      keys.map((k) => `${k} ${med[k]}`).join(', ') +
      `; wasm fetched: ${runs[0].wasmFetches.join(', ')}`,
  );
  // One fetch of the module per load: a preload that the init() fetch cannot reuse would
  // download it twice.
  for (const r of runs) assert.equal(r.wasmFetches.length, 1, `wasm fetched once: ${r.wasmFetches}`);
  assert.ok(med.ready <= BOUND_MS, `median time to interactive ${med.ready} ms > ${BOUND_MS} ms`);
});
