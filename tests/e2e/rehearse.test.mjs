// The playground's rehearsal features (issue #15) in headless Chromium: importing an export
// by file input and by drag and drop, the import report and the first repair pass's events,
// reload keeping the import, the capacity and apiserver tables, the reconfiguration tour in
// English and Japanese, and the plan view run step by step.
//   node --test tests/e2e/rehearse.test.mjs      (after pkg-scripts/build, which fills www/pkg)
// Screenshots go to tests/e2e/screenshots/rehearse-*.tmp.png (ignored by git): look at them.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { SHOTS, VIEWPORT, guardedPage, launch, typeCommand } from './harness.mjs';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

let browser;
let base;
let close;

before(async () => ({ browser, base, close } = await launch()));
after(() => close?.());

/** A fresh context (empty storage); every page error and every request off 127.0.0.1 is a problem. */
async function open({ colorScheme = 'light', locale = 'en-US' } = {}) {
  // The import must not leave the browser: any other host is recorded and refused.
  const { context, page, problems } = await guardedPage(browser, base, { colorScheme, locale });
  page.on('request', (r) => {
    if (r.method() !== 'GET') problems.push(`${r.method()} ${r.url()}`);
  });
  await page.goto(base);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
  return { context, page, problems };
}

async function idle(page) {
  await page.waitForSelector('html:not([data-busy])');
}

async function type(page, cmd) {
  return (await typeCommand(page, cmd)).innerText();
}

async function shot(page, name, fullPage = false) {
  await page.screenshot({ path: `${SHOTS}rehearse-${name}.tmp.png`, fullPage });
}

/** Every Service's ClusterIP, from kubectl in the terminal (the block also echoes the command, which has none). */
async function clusterIPs(page) {
  const out = await type(page, "kubectl get services -A -o jsonpath='{.items[*].spec.clusterIP}'");
  return out.match(/\b\d+\.\d+\.\d+\.\d+\b/g) ?? [];
}

const capRow = (page, name) => page.locator(`#cap-table tbody tr[data-name="${name}"]`);

test('import by the file picker: report, first repair pass, capacity, apiservers, reload keeps it', async () => {
  const { context, page, problems } = await open();
  await page.click('#btn-import');
  assert.ok(await page.locator('#import-dlg').evaluate((d) => d.open));
  assert.match(await page.locator('#import-dlg .privacy').innerText(), /Nothing leaves your browser/);
  // Sensible defaults: the playground's current flag and release.
  assert.equal(await page.inputValue('#import-range'), '10.96.0.0/28');
  await page.setInputFiles('#import-file', `${FIXTURES}cluster-export.json`);
  await page.waitForFunction(() => document.getElementById('import-text').value.length > 1000);
  // The flag is read from the export's own `kubernetes` ServiceCIDR.
  assert.equal(await page.inputValue('#import-range'), '10.96.0.0/24');
  assert.equal(await page.locator('#import-file-name').innerText(), 'cluster-export.json');
  await shot(page, 'import-dialog-en-light');
  await page.click('#import-form button[type="submit"]');
  await idle(page);
  await page.waitForSelector('#import-report:not([hidden])');
  assert.equal(await page.locator('#import-dlg').evaluate((d) => d.open), false);
  const counts = await page.locator('#import-counts').innerText();
  assert.match(counts, /From cluster-export\.json: 30 Services, 2 ServiceCIDRs, 31 IPAddresses/);
  assert.match(await page.locator('#import-report ul.skipped').innerText(), /Pod default\/debug — a kind this simulator does not model/);
  // The first reconcile ran the apiserver's start-up and the repair loop's first pass.
  await page.waitForFunction(() => /IPAddressNotAllocated/.test(document.getElementById('event-log').innerText));
  assert.match(await page.locator('#event-log').innerText(), /10\.96\.0\.200 for Service default\/ghost appears to have leaked/);
  const api = page.locator('#api-table tbody tr[data-name="kube-apiserver"]');
  assert.equal(await api.getAttribute('data-state'), 'Running');
  assert.match(await api.innerText(), /--service-cluster-ip-range=10\.96\.0\.0\/24/);
  // Capacity per ServiceCIDR: the imported "extra" holds the four pinned db Services in its static band.
  assert.deepEqual(await page.locator('#cap-table tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.name)), ['extra', 'kubernetes']);
  // Used counts are the allocator's: together they are every IPAddress the cluster holds.
  const used = await page.locator('#cap-table tbody td.static, #cap-table tbody td.dynamic').evaluateAll((ts) => ts.reduce((n, td) => n + Number(td.textContent.split(' / ')[0]), 0));
  const held = (await type(page, 'kubectl get ipaddresses --no-headers | wc -l')).match(/^\s*(\d+)\s*$/m)[1];
  assert.equal(used, Number(held));
  assert.match(await capRow(page, 'extra').locator('td.dynamic').innerText(), / \/ 238$/);
  assert.equal(await capRow(page, 'extra').locator('td.num').first().innerText(), '254');
  // Objects keep their identity: the uid from the file.
  const file = JSON.parse(readFileSync(`${FIXTURES}cluster-export.json`, 'utf8'));
  const web1 = file.items.find((o) => o.kind === 'Service' && o.metadata.name === 'web-1');
  assert.match(await type(page, 'kubectl get service web-1 -o jsonpath={.metadata.uid}'), new RegExp(web1.metadata.uid));
  await shot(page, 'imported-en-light', true);
  // The capacity table follows each command.
  const usedNow = () => page.locator('#cap-table tbody td.static, #cap-table tbody td.dynamic').evaluateAll((ts) => ts.reduce((n, td) => n + Number(td.textContent.split(' / ')[0]), 0));
  const before = await usedNow();
  await type(page, 'kubectl create service clusterip one-more --tcp 80');
  assert.equal(await usedNow(), before + 1);
  // A reload rebuilds the import and replays the log (the export is kept in this browser only).
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
  await page.waitForSelector('#import-report:not([hidden])');
  assert.match(await page.locator('#import-counts').innerText(), /30 Services/);
  assert.match(await type(page, 'kubectl get service one-more web-1 -o name'), /service\/one-more\nservice\/web-1/);
  // Japanese, dark.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.selectOption('#lang', 'ja');
  assert.match(await page.locator('#import-counts').innerText(), /cluster-export\.json から: Service 30 個/);
  await shot(page, 'imported-ja-dark', true);
  // The share link says it carries the import, and a fresh browser rebuilds it from the link.
  await page.click('#btn-share');
  await page.waitForSelector('#share-import:not([hidden])');
  const url = await page.inputValue('#share-url');
  const other = await browser.newContext({ viewport: VIEWPORT });
  const p2 = await other.newPage();
  await p2.goto(url);
  await p2.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
  await p2.waitForSelector('#import-report:not([hidden])');
  assert.match(await p2.locator('#import-counts').innerText(), /From cluster-export\.json: 30 Services/);
  assert.match(await type(p2, 'kubectl get service one-more -o name'), /service\/one-more/);
  await other.close();
  // Another release: the same export is imported again on it, then the log replays.
  await page.click('#btn-share-close');
  await page.selectOption('#version', '1.33.11');
  await page.waitForFunction(() => /1\.33\.11/.test(document.getElementById('version-badge').textContent));
  assert.match(await page.locator('#import-counts').innerText(), /Service 30 個/);
  assert.match(await type(page, 'kubectl get service one-more web-1 -o name'), /service\/one-more\nservice\/web-1/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('import by drag and drop of a YAML export; a broken file is refused with the core message', async () => {
  const { context, page, problems } = await open({ locale: 'ja-JP' });
  await page.click('#btn-import');
  // A bad paste: the core's parse error, nothing changes.
  await page.fill('#import-text', 'items: [');
  await page.click('#import-form button[type="submit"]');
  await page.waitForSelector('#import-error:not([hidden])');
  assert.match(await page.locator('#import-error').innerText(), /インポートに失敗しました: .*error parsing import/);
  const yaml = readFileSync(`${FIXTURES}cluster-export.yaml`, 'utf8');
  const dt = await page.evaluateHandle((text) => {
    const d = new DataTransfer();
    d.items.add(new File([text], 'cluster.yaml', { type: 'application/yaml' }));
    return d;
  }, yaml);
  await page.dispatchEvent('#import-form', 'dragover', { dataTransfer: dt });
  assert.ok(await page.locator('#import-form.dragging').count());
  await page.dispatchEvent('#import-form', 'drop', { dataTransfer: dt });
  await page.waitForFunction(() => document.getElementById('import-file-name').textContent === 'cluster.yaml');
  assert.equal(await page.locator('#import-error').isHidden(), true, 'the old error goes with the old text');
  assert.equal(await page.inputValue('#import-range'), '10.96.0.0/24');
  await shot(page, 'import-dialog-ja-light');
  await page.click('#import-form button[type="submit"]');
  await idle(page);
  await page.waitForSelector('#import-report:not([hidden])');
  assert.match(await page.locator('#import-counts').innerText(), /cluster\.yaml から: Service 5 個、ServiceCIDR 1 個、IPAddress 5 個/);
  assert.match(await type(page, 'kubectl get services -o name'), /service\/yaml-1\nservice\/yaml-2\nservice\/yaml-3/);
  assert.deepEqual(problems, []);
  await context.close();
});

/** Runs the reconfiguration tour from its first step to its last. */
async function runReconfTour(page, shots) {
  const root = page.locator('#reconf-tour');
  for (let i = 0; ; i++) {
    const step = await root.getAttribute('data-step');
    const run = root.locator('.tour-run');
    if (await run.count()) {
      await run.click();
      await idle(page);
      await page.waitForSelector('#reconf-tour .tour-run', { state: 'detached' });
    }
    if (shots[step]) await shots[step]();
    const next = root.locator('.tour-next');
    if (await next.isDisabled()) break;
    await next.click();
    assert.ok(i < 20, 'the tour ends');
  }
}

for (const [lang, scheme] of [['en', 'light'], ['ja', 'dark']]) {
  test(`the reconfiguration tour, ${lang}, ${scheme}: seven steps end with everything in the new range`, async () => {
    const { context, page, problems } = await open({ colorScheme: scheme, locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
    const title = await page.locator('#reconf-h').innerText();
    assert.equal(title, lang === 'ja' ? 'ガイドツアー: デフォルトの Service CIDR を再設定する' : 'Guided tour: Reconfigure the default Service CIDR');
    await page.locator('#reconf-h').scrollIntoViewIfNeeded();
    await runReconfTour(page, {
      'reconf-delete-default': async () => {
        // The old default is terminating and blocked; the target is ready.
        assert.match(await capRow(page, 'kubernetes').locator('td').nth(5).innerText(), lang === 'ja' ? /削除中/ : /terminating/);
        await shot(page, `tour-step4-${lang}-${scheme}`);
      },
      'reconf-restart': async () => {
        const states = await page.locator('#api-table tbody tr').evaluateAll((rs) => rs.map((r) => `${r.dataset.name}=${r.dataset.state}`));
        assert.deepEqual(states, ['kube-apiserver-new=Running', 'kube-apiserver=Stopped']);
        assert.match(await page.locator('#term-out').innerText(), /kube-apiserver \(simulated\): stopped kube-apiserver/);
        await shot(page, `tour-step6-${lang}-${scheme}`);
      },
    });
    assert.equal(await page.locator('#reconf-tour').getAttribute('data-step'), 'reconf-done');
    // Every Service, kubernetes.default included, in the new range; the old default is gone.
    const ips = await clusterIPs(page);
    assert.equal(ips.length, 32);
    for (const ip of ips) assert.match(ip, /^10\.100\.0\./);
    assert.match(await type(page, 'kubectl get service kubernetes -o jsonpath={.spec.clusterIP}'), /^10\.100\.0\.1$/m);
    assert.deepEqual(await page.locator('#cap-table tbody tr').evaluateAll((rs) => rs.map((r) => `${r.dataset.name} ${r.dataset.cidr}`)),
      ['kubernetes 10.100.0.0/24', 'reconfigure-target 10.100.0.0/24']);
    await shot(page, `tour-done-${lang}-${scheme}`, true);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

for (const [lang, scheme] of [['en', 'dark'], ['ja', 'light']]) {
  test(`the plan view, ${lang}, ${scheme}: replace the primary range step by step`, async () => {
    const { context, page, problems } = await open({ colorScheme: scheme, locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
    await type(page, 'for i in 1 2 3; do kubectl create service clusterip "s-$i" --tcp 80 -o name; done');
    // An unparsable range: the core's message, no plan.
    await page.fill('#plan-range', '10.100.0.0/33');
    await page.click('#plan-form button[type="submit"]');
    await page.waitForSelector('#plan-error:not([hidden])');
    assert.equal(await page.locator('#plan-result').isHidden(), true);
    await page.fill('#plan-range', '10.100.0.0/24');
    await page.click('#plan-form button[type="submit"]');
    await page.waitForSelector('#plan-result:not([hidden])');
    assert.equal(await page.locator('#plan-category').getAttribute('data-category'), 'replacePrimary');
    assert.match(await page.locator('#plan-recreate summary').innerText(), lang === 'ja' ? /作り直す Service（4 個）/ : /Services to recreate \(4\)/);
    assert.match(await page.locator('#plan-blocked').innerText(), /kubernetes/);
    const actions = await page.locator('#plan-steps > li').evaluateAll((ls) => ls.map((l) => l.dataset.action));
    assert.equal(actions[0], 'createServiceCidr');
    assert.ok(actions.includes('startApiserver') && actions.includes('stopApiserver'));
    // Step 1 by its own button: it shows what changed, and the capacity table has the new ServiceCIDR.
    await page.locator('#plan-steps > li[data-state="next"] .plan-run').click();
    await idle(page);
    const first = page.locator('#plan-steps > li').first();
    assert.equal(await first.getAttribute('data-state'), 'done');
    assert.match(await first.locator('ul.changes').innerText(), /ADDED ServiceCIDR reconfigure-target/);
    assert.equal(await capRow(page, 'reconfigure-target').count(), 1);
    await page.locator('#plan-steps > li[data-state="next"] .plan-run').click();
    await idle(page);
    await page.locator('#plan-h').scrollIntoViewIfNeeded();
    await shot(page, `plan-${lang}-${scheme}`);
    await page.click('.plan-run-all');
    await idle(page);
    assert.equal(await page.locator('#plan-steps > li[data-state="done"]').count(), actions.length);
    const ips = await clusterIPs(page);
    assert.equal(ips.length, 5);
    for (const ip of ips) assert.match(ip, /^10\.100\.0\./);
    await shot(page, `plan-done-${lang}-${scheme}`, true);
    // The steps are in the command log: a reload replays them to the same state.
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    assert.match(await type(page, 'kubectl get service kubernetes -o jsonpath={.spec.clusterIP}'), /^10\.100\.0\.1$/m);
    // A command outside the plan marks a plan made before it as stale.
    await page.fill('#plan-range', '10.100.0.0/16');
    await page.click('#plan-form button[type="submit"]');
    assert.equal(await page.locator('#plan-category').getAttribute('data-category'), 'extend');
    await type(page, 'kubectl create service clusterip late --tcp 80');
    await page.waitForSelector('#plan-result .notice.warn');
    assert.deepEqual(problems, []);
    await context.close();
  });
}
