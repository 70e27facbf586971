// Accessibility, checked by a tool nobody here wrote: axe-core (the npm devDependency,
// pinned) runs in headless Chromium over the playground and the embed demo, in the light
// and the dark colour scheme, in states that show every kind of content (event log and
// trace entries, a Terminating card, range maps, run and not-yet-run commands), in English
// and in Japanese. Every violation fails the test; fix the page, not this list.
// Screenshots of every case go to tests/e2e/screenshots/a11y-*.tmp.png (look at the ja ones:
// they need pkg-scripts/setup's CJK font, or they show boxes).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SHOTS, launch } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const EXPORT = fileURLToPath(new URL('./fixtures/cluster-export.json', import.meta.url));

let browser;
let base;
let close;

before(async () => ({ browser, base, close } = await launch()));
after(() => close?.());

async function open(path, colorScheme, locale) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme, locale });
  // Nothing may leave 127.0.0.1.
  await context.route((u) => !u.href.startsWith(base), (route) => route.abort());
  const page = await context.newPage();
  await page.goto(base + path);
  return { context, page };
}

/** axe's violations, one readable line per rule with where it fired. */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' > ')).slice(0, 5).join(' | ')}${v.nodes.length > 5 ? ` … ${v.nodes.length} nodes` : ''}`);
  });
  return found;
}

const CASES = [['light', 'en'], ['dark', 'en'], ['light', 'ja'], ['dark', 'ja']];

for (const [scheme, lang] of CASES) {
  test(`axe: the playground, ${scheme}, ${lang}`, async () => {
    const { context, page } = await open('', scheme, lang === 'ja' ? 'ja-JP' : 'en-US');
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    // A Terminating card, range maps with allocations, events and trace records.
    await page.click('#scenarios [data-scenario="blocked"]');
    await page.waitForSelector('html:not([data-busy])');
    await page.waitForSelector('#notice:not([hidden])');
    await page.waitForSelector('#event-log li');
    await page.screenshot({ path: `${SHOTS}a11y-playground-${lang}-${scheme}.tmp.png`, fullPage: true });
    assert.deepEqual(await violations(page), []);
    await context.close();
  });

  test(`axe: the Policies scenario with the admission policies pane, ${scheme}, ${lang}`, async () => {
    const { context, page } = await open('', scheme, lang === 'ja' ? 'ja-JP' : 'en-US');
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    await page.click('#scenarios [data-scenario="policies"]');
    await page.waitForSelector('#notice:not([hidden])');
    await page.waitForSelector('html:not([data-busy])', { timeout: 30_000 });
    await page.waitForSelector('#pane-vap .vap-item.refused');
    await page.screenshot({ path: `${SHOTS}a11y-policies-${lang}-${scheme}.tmp.png`, fullPage: true });
    assert.deepEqual(await violations(page), []);
    await context.close();
  });

  test(`axe: the release picker and the side-by-side view, ${scheme}, ${lang}`, async () => {
    const { context, page } = await open('', scheme, lang === 'ja' ? 'ja-JP' : 'en-US');
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    await page.selectOption('#version', '1.33.11');
    await page.waitForSelector('#notice:not([hidden])');
    // Marked and unmarked lines, an error pane is another test's; the list of changes with links.
    await page.click('#btn-compare');
    await page.click('#cmp-examples [data-example="ipv6-64"]');
    await page.waitForSelector('#cmp-result:not([hidden]) #cmp-out-a mark.diff');
    await page.screenshot({ path: `${SHOTS}a11y-compare-${lang}-${scheme}.tmp.png`, fullPage: true });
    assert.deepEqual(await violations(page), []);
    await context.close();
  });

  test(`axe: the import dialog, import report, capacity, plan view and reconfiguration tour, ${scheme}, ${lang}`, async () => {
    const { context, page } = await open('', scheme, lang === 'ja' ? 'ja-JP' : 'en-US');
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    await page.click('#btn-import');
    await page.setInputFiles('#import-file', EXPORT);
    await page.waitForFunction(() => document.getElementById('import-text').value.length > 1000);
    await page.fill('#import-range', '10.96.0.0/24');
    assert.deepEqual(await violations(page), [], 'the import dialog');
    await page.click('#import-form button[type="submit"]');
    await page.waitForSelector('#import-report:not([hidden]) ul.skipped');
    // A plan with a step done (its changes listed) and steps to come.
    await page.fill('#plan-range', '10.100.0.0/24');
    await page.click('#plan-form button[type="submit"]');
    await page.click('#plan-steps .plan-run');
    await page.waitForSelector('html:not([data-busy])');
    await page.waitForSelector('#plan-steps ul.changes');
    await page.click('#plan-recreate summary');
    // The reconfiguration tour at a step with its script (Next shows it without running it).
    for (let i = 0; i < 5; i++) await page.click('#reconf-tour .tour-next');
    await page.waitForSelector('#reconf-tour pre.code');
    await page.screenshot({ path: `${SHOTS}a11y-rehearse-${lang}-${scheme}.tmp.png`, fullPage: true });
    assert.deepEqual(await violations(page), [], 'import report, capacity, apiservers, plan, tour');
    await context.close();
  });

  test(`axe: the reconfiguration tour element, ${scheme}, ${lang}`, async () => {
    const { context, page } = await open(`embed-reconfigure.html?lang=${lang}`, scheme);
    await page.waitForSelector('#reconf servicecidr-example');
    await page.locator('#reconf-restart').evaluate((e) => e.shadowRoot.querySelector('button.run').click());
    await page.waitForFunction(() => document.getElementById('reconf-restart').transcript?.length === 2, null, { timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}a11y-embed-reconfigure-${lang}-${scheme}.tmp.png`, fullPage: true });
    assert.deepEqual(await violations(page), [], 'steps 1–6 run, step 7 not yet');
    await context.close();
  });

  test(`axe: the embed demo, ${scheme}, ${lang}`, async () => {
    const { context, page } = await open(`embed-demo.html?lang=${lang}`, scheme);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    // Step 1 runs by itself; the later steps show commands not run yet.
    await page.waitForFunction(() => document.getElementById('s1').transcript?.length === 1, null, { timeout: 30_000 });
    assert.deepEqual(await violations(page), [], 'with commands not run yet');
    await page.locator('#s4 button.run').click();
    await page.waitForFunction(() => document.getElementById('s4').transcript?.length === 1, null, { timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}a11y-embed-${lang}-${scheme}.tmp.png`, fullPage: true });
    assert.deepEqual(await violations(page), [], 'after running steps 1–4');
    // The policy section: the sample applied, an admitted and a denied ServiceCIDR.
    await page.locator('#p2 button.run').click();
    await page.waitForFunction(() => document.getElementById('p2').transcript?.length === 4, null, { timeout: 30_000 });
    assert.deepEqual(await violations(page), [], 'after running the policy section');
    await context.close();
  });
}
