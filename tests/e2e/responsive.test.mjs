// The playground stays responsive while a script creates 10 000 Services (issue #14): the
// terminal runs the script in slices (cluster.startScript/resumeScript), the page paints
// between them, and no frame takes longer than 100 ms. The test records the longest frame
// two ways and writes them to target/e2e-frames.json:
//   - the longest gap between two requestAnimationFrame callbacks (what a person sees: the
//     page not painting), and
//   - the longest long-animation-frame entry (Chromium's own measure of a frame's work).
// Also: Ctrl-C stops such a script where it stands, and a reload replays it to that point.
//   node --test tests/e2e/responsive.test.mjs   (after pkg-scripts/build)

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SHOTS, guardedPage, launch } from './harness.mjs';

const SERVICES = 10_000;
const FRAME_LIMIT_MS = 100;
const RESULTS = fileURLToPath(new URL('../../target/e2e-frames.json', import.meta.url));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let browser;
let base;
let close;

before(async () => ({ browser, base, close } = await launch()));
after(() => close?.());

async function open() {
  const { context, page, problems } = await guardedPage(browser, base);
  page.on('dialog', (d) => {
    problems.push(`dialog opened: ${d.type()} ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  await page.goto(base);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
  // A /16: room for 10 000 Services (the default /28 holds 14).
  await page.click('#btn-settings');
  await page.fill('#set-range', '10.96.0.0/16');
  await page.click('#settings-form button[type="submit"]');
  await page.waitForFunction(() => /10\.96\.0\.0\/16/.test(document.querySelector('#term-out').textContent));
  return { context, page, problems };
}

/** Starts recording frames: rAF gaps and long-animation-frame entries. */
async function recordFrames(page) {
  await page.evaluate(() => {
    const rec = { gaps: [], loaf: [] };
    window.__frames = rec;
    let last = performance.now();
    const tick = (now) => {
      rec.gaps.push(now - last);
      last = now;
      if (!rec.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) rec.loaf.push(e.duration);
    }).observe({ type: 'long-animation-frame' });
  });
}

async function stopFrames(page) {
  return page.evaluate(() => {
    const rec = window.__frames;
    rec.stop = true;
    return { gaps: rec.gaps, loaf: rec.loaf };
  });
}

/** Types a script and waits until its block has ended (it is marked .running until then). */
async function runScript(page, script, { timeout = 180_000 } = {}) {
  const before = await page.locator('#term-out .blk:not(.note)').count();
  await page.fill('#term-input', script);
  await page.press('#term-input', 'Enter');
  // Polled every 250 ms: polling on every frame would itself add work to each frame.
  await page.waitForFunction(
    (n) => document.querySelectorAll('#term-out .blk:not(.note)').length > n && !document.querySelector('#term-out .blk.running'),
    before,
    { timeout, polling: 250 },
  );
  return page.locator('#term-out .blk:not(.note)').nth(before);
}

const count = async (page, id) => Number((await page.innerText(`#${id}`)).replace(/[^\d]/g, ''));

test(`no frame over ${FRAME_LIMIT_MS} ms while a script creates ${SERVICES} Services`, async (t) => {
  const { context, page, problems } = await open();
  // What a new cluster has (kubernetes, kube-dns …) plus what the script makes.
  const [svcBefore, ipBefore] = [await count(page, 'svc-count'), await count(page, 'ip-count')];
  await recordFrames(page);
  const started = Date.now();
  const block = await runScript(page, `for i in $(seq 1 ${SERVICES}); do kubectl create service clusterip "s-$i" --tcp 80; done`);
  const elapsedMs = Date.now() - started;
  const { gaps, loaf } = await stopFrames(page);

  // The script did all its work, and the page shows it.
  const lines = block.locator('.output .line:not(.dropped)');
  assert.equal(await lines.last().innerText(), `service/s-${SERVICES} created\n`);
  assert.match(await block.locator('.line.dropped').innerText(), new RegExp(`… ${SERVICES - 500} earlier lines are not drawn here`));
  assert.equal(await block.locator('.exit').count(), 0, 'exit status 0');
  assert.equal(await count(page, 'svc-count'), svcBefore + SERVICES, 'the Services pane counts them all');
  assert.equal(await count(page, 'ip-count'), ipBefore + SERVICES);
  // The pane draws the first 200 by name (string order), picked without sorting the model.
  const drawn = await page.locator('#pane-svc tbody tr[data-key]').evaluateAll((rows) => rows.map((r) => r.dataset.key));
  const all = ['default/kubernetes', 'kube-system/kube-dns', ...Array.from({ length: SERVICES }, (_, i) => `default/s-${i + 1}`)];
  assert.deepEqual(drawn, all.sort().slice(0, 200), 'the first 200 Services by name');
  // The event log passed over most explanations, and says so.
  assert.match(await page.locator('#event-log li.skipped').last().innerText(), /\d+ explanations passed over here while commands ran fast \(trace\(\) keeps them\)/);
  assert.match(await page.innerText('#pane-svc tr.more'), new RegExp(`^${svcBefore + SERVICES - 200} more: the first 200 by name are shown`));
  // Typed while nothing runs, the next command answers from the same cluster.
  const last = await runScript(page, 'kubectl get service s-9999 -o jsonpath={.metadata.name}');
  assert.match(await last.innerText(), /\ns-9999\n/);

  const longestGap = Math.max(...gaps);
  const longestLoaf = loaf.length ? Math.max(...loaf) : 0;
  const record = {
    services: SERVICES,
    elapsedMs,
    frames: gaps.length,
    longestFrameMs: Math.round(longestGap * 10) / 10,
    framesOver50Ms: gaps.filter((g) => g > 50).length,
    longestLongAnimationFrameMs: Math.round(longestLoaf * 10) / 10,
    date: new Date().toISOString(),
  };
  mkdirSync(new URL('../../target/', import.meta.url), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(record, null, 2)}\n`);
  t.diagnostic(`frames while creating ${SERVICES} Services: ${JSON.stringify(record)}`);

  await page.screenshot({ path: `${SHOTS}responsive-10000-en.tmp.png` });
  await page.locator('#pane-svc tr.more').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}responsive-10000-more-en.tmp.png` });
  // The rows and lines that say what was left out are as readable as the rest (axe-core).
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' > ')).slice(0, 3).join(' | ')}`);
  });
  assert.deepEqual(violations, []);
  await page.selectOption('#lang', 'ja');
  assert.match(await page.innerText('#pane-svc tr.more'), new RegExp(`ほかに ${svcBefore + SERVICES - 200} 件`));
  assert.match(await block.locator('.line.dropped').innerText(), /それより前の 9500 行/);
  // The event log's own words follow the switch too (what the core wrote stays English).
  assert.match(await page.locator('#event-log li.skipped').last().innerText(), /件の解説をここでは省きました/);
  assert.equal(await page.locator('#event-log li.trace .tag').last().innerText(), '理由');
  await page.screenshot({ path: `${SHOTS}responsive-10000-more-ja.tmp.png` });
  await block.locator('.line.dropped').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}responsive-10000-ja.tmp.png` });
  assert.deepEqual(problems, []);
  await context.close();
  // Last, so a slow machine still gets every other check above.
  assert.ok(longestGap <= FRAME_LIMIT_MS, `the page did not paint for ${longestGap.toFixed(1)} ms`);
  assert.ok(longestLoaf <= FRAME_LIMIT_MS, `a frame took ${longestLoaf.toFixed(1)} ms`);
});

test('Ctrl-C stops a running script where it stands; a reload replays it to that point', async () => {
  const { context, page, problems } = await open();
  const svcBefore = await count(page, 'svc-count');
  const before = await page.locator('#term-out .blk:not(.note)').count();
  await page.fill('#term-input', `for i in $(seq 1 ${SERVICES}); do kubectl create service clusterip "c-$i" --tcp 80; done; echo never`);
  await page.press('#term-input', 'Enter');
  // Some Services exist, the script still runs.
  await page.waitForFunction(() => Number(document.getElementById('svc-count').textContent.replace(/\D/g, '')) > 300, null, { polling: 100 });
  assert.equal(await page.locator('#term-out .blk.running').count(), 1);
  await page.press('#term-input', 'Control+c');
  await page.waitForFunction((n) => document.querySelectorAll('#term-out .blk:not(.note)').length > n && !document.querySelector('#term-out .blk.running'), before);
  const block = page.locator('#term-out .blk:not(.note)').last();
  const text = await block.locator('.output').innerText();
  assert.match(text, /\^C\n/);
  assert.doesNotMatch(text, /never/);
  assert.match(await block.locator('.exit').innerText(), /130/);
  const shown = await count(page, 'svc-count');
  const made = shown - svcBefore;
  assert.ok(made > 300 && made < SERVICES, `${made} Services when stopped`);
  // The last Service the terminal printed is the last one made.
  const lastLine = await block.locator('.output .line:not(.dropped)').nth(-2).innerText();
  assert.equal(lastLine, `service/c-${made} created\n`);
  // The log holds the script and where it stopped: a reload rebuilds exactly that.
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
  await page.waitForFunction((n) => Number(document.getElementById('svc-count').textContent.replace(/\D/g, '')) === n, shown);
  const replayed = page.locator('#term-out .blk:not(.note)').last();
  assert.match(await replayed.innerText(), /\^C\n/);
  assert.match(await replayed.locator('.exit').innerText(), /130/);
  assert.deepEqual(problems, []);
  await context.close();
});
