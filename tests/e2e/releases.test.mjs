// Releases in the playground: the version picker (header, replay of the command log,
// reload and shared link), and the side-by-side view of two releases on one script.
//   node --test tests/e2e/releases.test.mjs   (after pkg-scripts/build, which fills www/pkg)
// tests/e2e/screenshots/compare-ipv6-64.png is the README's picture of the side-by-side
// view; it is rewritten by this test (look at it before committing a change to it).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, guardedPage, launch, typeCommand } from './harness.mjs';


let browser;
let base;
let close;

before(async () => ({ browser, base, close } = await launch()));
after(() => close?.());

async function open(opts = {}) {
  const { context, page, problems } = await guardedPage(browser, base, opts);
  await page.goto(base);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
  return { context, page, problems };
}

async function type(page, cmd) {
  return (await typeCommand(page, cmd)).innerText();
}

test('the default release is the newest modelled one, named in the header', async () => {
  const { context, page, problems } = await open();
  assert.equal(await page.inputValue('#version'), '1.37');
  assert.equal(await page.textContent('#version-badge'), 'Kubernetes v1.37.0');
  assert.match(await page.locator('#term-out .boot').first().innerText(), /Kubernetes 1\.37\.0/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('choosing a release replays the command log on a cluster of that release; reload and share keep it', async () => {
  const { context, page, problems } = await open();
  await type(page, 'kubectl create service clusterip web --tcp 80');
  assert.match(await type(page, 'kubectl delete service web'), /service "web" deleted from default namespace/);
  await page.selectOption('#version', '1.33.11');
  await page.waitForSelector('#notice:not([hidden])');
  assert.match(await page.textContent('#notice'), /1\.33\.11.*2/);
  assert.equal(await page.textContent('#version-badge'), 'Kubernetes v1.33.11');
  // The same log, replayed: 1.33's kubectl does not name the namespace.
  const out = await page.locator('#term-out').innerText();
  assert.match(out, /service "web" deleted\n/);
  assert.doesNotMatch(out, /deleted from default namespace/);
  assert.match(await type(page, 'kubectl version'), /Server Version: v1\.33\.11/);

  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await page.inputValue('#version'), '1.33.11');
  assert.equal(await page.textContent('#version-badge'), 'Kubernetes v1.33.11');

  await page.click('#btn-share');
  await page.waitForFunction(() => document.getElementById('share-url').value !== '');
  const url = await page.inputValue('#share-url');
  const fresh = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  await fresh.route((u) => !u.href.startsWith(base), (route) => route.abort());
  const p2 = await fresh.newPage();
  await p2.goto(url);
  await p2.waitForSelector('html[data-ready="true"]');
  assert.equal(await p2.inputValue('#version'), '1.33.11');
  assert.equal(await p2.textContent('#version-badge'), 'Kubernetes v1.33.11');
  assert.match(await p2.locator('#term-out').innerText(), /Server Version: v1\.33\.11/);
  await fresh.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the picker and its hint are translated', async () => {
  const { context, page } = await open({ locale: 'ja-JP' });
  assert.equal(await page.getAttribute('html', 'lang'), 'ja');
  assert.equal(await page.locator('label.release span').innerText(), 'Kubernetes リリース');
  assert.match(await page.textContent('#version-hint'), /コマンド履歴を再実行/);
  await context.close();
});

/** Opens the side-by-side view and runs one of its examples. */
async function compareExample(page, id) {
  await page.click('#btn-compare');
  assert.equal(await page.getAttribute('#btn-compare', 'aria-expanded'), 'true');
  await page.click(`#cmp-examples [data-example="${id}"]`);
  await page.waitForSelector('#cmp-result:not([hidden])');
}

test('side by side: the /64 bug in 1.34.0 and its fix in 1.34.8', async () => {
  const { context, page, problems } = await open();
  await compareExample(page, 'ipv6-64');
  assert.equal(await page.textContent('#cmp-a-h'), 'Kubernetes 1.34.0');
  assert.equal(await page.textContent('#cmp-b-h'), 'Kubernetes 1.34.8');
  const left = await page.locator('#cmp-out-a').innerText();
  const right = await page.locator('#cmp-out-b').innerText();
  // Same seed on both sides: the same draws, wrapped below the prefix only in 1.34.0.
  assert.match(left, /ClusterIPOutOfRange/);
  assert.doesNotMatch(right, /ClusterIPOutOfRange/);
  assert.match(right, /No resources found in default namespace\./);
  // Every marked line is one the other side does not print; the unmarked ones match.
  const marked = (await page.locator('#cmp-out-a mark.diff').allInnerTexts()).map((l) => l.replace(/^differs:\s*/, ''));
  assert.ok(marked.some((l) => l.includes('ClusterIPOutOfRange')));
  // (kubectl pads columns to the widest cell, so spacing alone is no difference.)
  const squeeze = (ls) => ls.map((l) => l.replace(/\s+/g, ' ').trim());
  const unmarkedA = squeeze(await page.locator('#cmp-out-a span.ln').allInnerTexts());
  const unmarkedB = squeeze(await page.locator('#cmp-out-b span.ln').allInnerTexts());
  assert.deepEqual(unmarkedA, unmarkedB);
  assert.ok(unmarkedA.includes('service/web1 created'));
  assert.ok(unmarkedA.includes('kubernetes ClusterIP fd00:10:96::1 <none> 443/TCP 0s'));
  // web1 and web4 drew offsets of 2^63 or more: on 1.34.0 they land below the prefix.
  assert.equal(marked.filter((l) => /^web[14]\s+ClusterIP\s+fd00:10:95:ffff:/.test(l)).length, 2);
  // Why: the behaviour, on the side that has it, with the upstream change.
  const why = page.locator('#cmp-why li[data-behaviour="ipv6-64"]');
  assert.match(await why.innerText(), /only in 1\.34\.0/);
  assert.ok(await why.locator('a[href$="/pull/134193"]').count());
  assert.equal(await page.locator('#cmp-why li').count(), 1, 'the /64 fix is the only modelled difference');
  assert.match(await page.textContent('#cmp-summary'), /lines differ between 1\.34\.0 and 1\.34\.8/);
  await page.locator('#compare').screenshot({ path: `${SHOTS}compare-ipv6-64.png` });
  assert.deepEqual(problems, []);
  await context.close();
});

test('side by side in Japanese: strict IP validation, 1.35 against 1.36', async () => {
  const { context, page, problems } = await open({ locale: 'ja-JP' });
  await compareExample(page, 'strict-ip');
  assert.match(await page.locator('#cmp-out-a').innerText(), /non-standard IP address "::ffff:10\.96\.0\.3"/);
  assert.match(await page.locator('#cmp-out-b').innerText(), /must not be an IPv4-mapped IPv6 address/);
  const why = page.locator('#cmp-why li[data-behaviour="strict-ip"]');
  assert.match(await why.innerText(), /1\.36\.0 のみ.*厳格な IP\/CIDR 検証/s);
  await page.locator('#compare').screenshot({ path: `${SHOTS}compare-strict-ip-ja.tmp.png` });
  // A language switch redraws the result in the other language.
  await page.selectOption('#lang', 'en');
  assert.match(await why.innerText(), /only in 1\.36\.0: Strict IP\/CIDR validation/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('side by side: an unknown range is reported on both sides, nothing breaks', async () => {
  const { context, page, problems } = await open();
  await page.click('#btn-compare');
  await page.fill('#cmp-range', 'not-a-cidr');
  await page.click('#compare-form button[type="submit"]');
  await page.waitForSelector('#cmp-result:not([hidden])');
  assert.match(await page.locator('#cmp-out-a').innerText(), /Could not run/);
  assert.match(await page.locator('#cmp-out-b').innerText(), /Could not run/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('side by side: every example runs on the releases it names', async () => {
  const { context, page, problems } = await open();
  await page.click('#btn-compare');
  const ids = await page.locator('#cmp-examples [data-example]').evaluateAll((bs) => bs.map((b) => b.dataset.example));
  assert.deepEqual(ids, ['ipv6-64', 'strict-ip', 'delete-line', 'docs-page']);
  const behaviourOf = { 'docs-page': 'delete-line' };
  for (const id of ids) {
    await page.click(`#cmp-examples [data-example="${id}"]`);
    await page.waitForSelector('#cmp-result:not([hidden])');
    assert.doesNotMatch(await page.locator('#cmp-result').innerText(), /Could not run/, id);
    assert.ok(await page.locator(`#cmp-why li[data-behaviour="${behaviourOf[id] ?? id}"]`).count(), `${id} names its change`);
    assert.notEqual(await page.inputValue('#cmp-a'), '');
    assert.notEqual(await page.inputValue('#cmp-b'), '');
  }
  // The docs page: only kubectl's four delete lines differ between 1.33 and 1.36.
  const onlyDeletes = (ls) => ls.map((l) => l.replace(/^differs:\s*/, ''));
  assert.deepEqual(onlyDeletes(await page.locator('#cmp-out-a mark.diff').allInnerTexts()),
    [13, 14, 15, 16].map((i) => `service "test-${i}" deleted`));
  assert.deepEqual(onlyDeletes(await page.locator('#cmp-out-b mark.diff').allInnerTexts()),
    [13, 14, 15, 16].map((i) => `service "test-${i}" deleted from default namespace`));
  // kubectl 1.33's delete line against 1.34's (PR #126619), marked on both sides.
  await page.click('#cmp-examples [data-example="delete-line"]');
  assert.deepEqual(
    (await page.locator('#cmp-out-a mark.diff').allInnerTexts()).map((l) => l.replace(/^differs:\s*/, '')).filter((l) => l.startsWith('service "web"')),
    ['service "web" deleted'],
  );
  assert.deepEqual(
    (await page.locator('#cmp-out-b mark.diff').allInnerTexts()).map((l) => l.replace(/^differs:\s*/, '')).filter((l) => l.startsWith('service "web"')),
    ['service "web" deleted from default namespace'],
  );
  assert.deepEqual(problems, []);
  await context.close();
});

test('side by side: the chosen releases, range and script survive a reload', async () => {
  const { context, page, problems } = await open();
  await page.click('#btn-compare');
  await page.click('#cmp-examples [data-example="strict-ip"]');
  await page.waitForSelector('#cmp-result:not([hidden])');
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await page.inputValue('#cmp-a'), '1.35');
  assert.equal(await page.inputValue('#cmp-b'), '1.36');
  assert.equal(await page.inputValue('#cmp-range'), '10.96.0.0/24');
  assert.match(await page.inputValue('#cmp-script'), /::ffff:10\.96\.0\.3/);
  assert.deepEqual(problems, []);
  await context.close();
});
