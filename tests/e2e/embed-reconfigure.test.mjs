// The docs element <servicecidr-reconfigure-tour> (www/embed/reconfigure-tour.js) on its demo
// page: running step 7 replays steps 1–6 first and ends with every Service in the new range,
// in English and Japanese. Screenshots: tests/e2e/screenshots/embed-reconfigure-*.tmp.png.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, launch } from './harness.mjs';


let browser;
let base;
let close;

before(async () => ({ browser, base, close } = await launch()));
after(() => close?.());

for (const [lang, scheme] of [['en', 'light'], ['ja', 'dark']]) {
  test(`the reconfiguration element, ${lang}, ${scheme}: step 7 replays 1–6 and ends in the new range`, async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: scheme });
    const problems = [];
    await context.route((u) => !u.href.startsWith(base), (route) => {
      problems.push(`request to another host: ${route.request().url()}`);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
    });
    await page.goto(`${base}embed-reconfigure.html?lang=${lang}`);
    const examples = page.locator('#reconf servicecidr-example');
    await examples.first().waitFor();
    assert.equal(await examples.count(), 7);
    const headings = await page.locator('#reconf h2').allInnerTexts();
    assert.equal(headings.length, 7);
    assert.equal(headings[5], lang === 'ja' ? '6. 新しい範囲で kube-apiserver を再起動する' : '6. Restart kube-apiserver with the new range');
    // Each example continues the one before it.
    assert.deepEqual(await examples.evaluateAll((es) => es.map((e) => e.getAttribute('after'))),
      [null, 'reconf-start', 'reconf-services', 'reconf-target', 'reconf-delete-default', 'reconf-recreate', 'reconf-restart']);
    const last = page.locator('#reconf-kubernetes-svc');
    await last.scrollIntoViewIfNeeded();
    await last.evaluate((e) => e.shadowRoot.querySelector('button.run').click());
    await page.waitForFunction(() => document.getElementById('reconf-kubernetes-svc').transcript?.length === 5, null, { timeout: 60_000 });
    const out = await last.evaluate((e) => e.transcript.map((r) => r.output ?? r.stdout ?? '').join('\n'));
    assert.match(out, /kubernetes\s+ClusterIP\s+10\.100\.0\.1\s/);
    assert.match(out, /kubernetes\s+10\.100\.0\.0\/24/);
    assert.doesNotMatch(out, /10\.96\.0\.0\/24/);
    // The restart step ran on the way, marked as simulated.
    const restart = await page.locator('#reconf-restart').evaluate((e) => e.transcript.map((r) => r.output ?? r.stdout ?? '').join('\n'));
    assert.match(restart, /kube-apiserver \(simulated\): stopped kube-apiserver/);
    await page.evaluate(() => document.querySelectorAll('#reconf h2')[6].scrollIntoView());
    await page.screenshot({ path: `${SHOTS}embed-reconfigure-${lang}-${scheme}.tmp.png` });
    assert.deepEqual(problems, []);
    await context.close();
  });
}
