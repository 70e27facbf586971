// The playground (www/) in headless Chromium: the guided tour step by step, the
// scenarios, keyboard use, persistence (reload and shared link) and markup safety.
//   node --test tests/e2e/           (after pkg-scripts/build, which fills www/pkg)
// Screenshots go to tests/e2e/screenshots/*.tmp.png (ignored by git).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, guardedPage, launch, typeCommand } from './harness.mjs';


let browser;
let base;
let close;

before(async () => ({ browser, base, close } = await launch()));
after(() => close?.());

/** A fresh browser context (empty storage) whose page records every error and foreign request. */
async function open(url = base, opts = {}) {
  const { context, page, problems } = await guardedPage(browser, base, opts);
  page.on('dialog', (d) => {
    problems.push(`dialog opened: ${d.type()} ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  await page.goto(url);
  await ready(page);
  return { context, page, problems };
}

async function ready(page) {
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
}

/** Types a command into the terminal and returns the text of its output block. */
async function type(page, cmd) {
  await typeCommand(page, cmd);
  return lastOutput(page);
}

async function lastOutput(page) {
  return page.locator('#term-out .blk:not(.note)').last().innerText();
}

async function shot(page, name) {
  await page.screenshot({ path: `${SHOTS}${name}.tmp.png` });
}

const mapOf = (page, cidr) => page.locator(`#maps .map[data-cidr="${cidr}"]`);
const card = (page, name) => page.locator(`#pane-sc .card[data-name="${name}"]`);

/** What the page shows, for comparing two loads of the same state. */
async function signature(page) {
  return page.evaluate(() => ({
    cidrs: [...document.querySelectorAll('#pane-sc .card')].map((c) => c.innerText),
    services: [...document.querySelectorAll('#pane-svc tbody tr')].map((r) => r.innerText),
    ips: [...document.querySelectorAll('#pane-ip tbody tr')].map((r) => r.innerText),
    allocated: [...document.querySelectorAll('#maps .cell.al')].map((c) => `${c.closest('.map').dataset.cidr} ${c.dataset.ip}`),
    clock: document.getElementById('clock').textContent,
  }));
}

async function runTourStep(page, id) {
  assert.equal(await page.getAttribute('#tour', 'data-step'), id, `tour is at step ${id}`);
  const blocks = await page.locator('#term-out .blk').count();
  await page.click('#tour .tour-run');
  await page.waitForSelector('html:not([data-busy])');
  // The Run button turns into Next once the step's commands have run.
  await page.waitForSelector('#tour .tour-next.primary');
  // (The first step starts a new cluster, which clears the terminal.)
  if (id !== 'intro') assert.ok((await page.locator('#term-out .blk').count()) > blocks, `step ${id} printed something`);
}

async function nextTourStep(page) {
  await page.click('#tour .tour-next');
}

let shared = null; // the tour's page, reused by the reload and share tests

test('time to interactive, then the whole guided tour', async () => {
  const { page, problems } = await open();
  shared = { page, problems };

  // navigation start -> first command accepted (performance.now() counts from navigation start).
  await type(page, 'kubectl get servicecidr');
  const { tti, marks } = await page.evaluate(() => ({
    tti: window.__firstCommandAt,
    marks: [...performance.getEntriesByType('mark'), { name: 'playground:ready', startTime: window.__readyAt }]
      .map((m) => `${m.name.replace('playground:', '')} ${Math.round(m.startTime)}`)
      .join(', '),
  }));
  assert.ok(tti > 0, 'the first command was accepted');
  console.log(`time to interactive (navigation start -> first command accepted): ${Math.round(tti)} ms (${marks} ms)`);

  // 0: start resets to a fresh /28 cluster.
  await runTourStep(page, 'intro');
  const m28 = mapOf(page, '10.96.0.0/28');
  assert.equal(await m28.locator('.cell').count(), 16, 'a /28 has one cell per address');
  assert.equal(await m28.locator('.cell.net').count(), 1);
  assert.equal(await m28.locator('.cell.bcast').count(), 1);
  assert.equal(await m28.locator('.cell.st').count(), 0, 'no static band in a /28');
  assert.deepEqual(await m28.locator('.cell.al').evaluateAll((cs) => cs.map((c) => c.dataset.ip)), ['10.96.0.1', '10.96.0.10']);
  await nextTourStep(page);

  await runTourStep(page, 'default-cidr');
  assert.match(await lastOutput(page), /kubernetes\s+10\.96\.0\.0\/28\s+\d+s/);
  await nextTourStep(page);

  await runTourStep(page, 'kubernetes-svc');
  assert.match(await lastOutput(page), /kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/);
  await nextTourStep(page);

  await runTourStep(page, 'ipaddress');
  assert.match(await lastOutput(page), /10\.96\.0\.1\s+services\/default\/kubernetes/);
  await nextTourStep(page);

  // Fill the /28: 12 addresses, then "range is full".
  await runTourStep(page, 'fill');
  const fill = await lastOutput(page);
  const got = fill.match(/^10\.96\.0\.\d+$/gm) ?? [];
  assert.equal(got.length, 12, `twelve Services got an address:\n${fill}`);
  const errLine = page.locator('#term-out .blk').last().locator('.line.err');
  assert.match(await errLine.last().innerText(), /error: failed to create ClusterIP service: Internal error occurred: failed to allocate a serviceIP: range is full/);
  await page.waitForSelector('#notice:not([hidden])');
  assert.match(await page.innerText('#notice'), /range is full/i);
  assert.equal(await m28.locator('.cell.al').count(), 14, 'every usable address of the /28 is taken');
  await shot(page, 'tour-range-full');
  await nextTourStep(page);

  // Add 10.96.0.0/24: its map appears, sharing the /28's cells.
  await runTourStep(page, 'add-cidr');
  assert.match(await lastOutput(page), /servicecidr\.networking\.k8s\.io\/newcidr1 created/);
  const m24 = mapOf(page, '10.96.0.0/24');
  await m24.waitFor();
  assert.equal(await m24.locator('.cell').count(), 256, 'a /24 has one cell per address');
  assert.equal(await m24.locator('.cell.st').count(), 16, 'static band .1-.16');
  assert.equal(await m24.locator('.cell.sh').count(), 16, 'the /28 part is shared with kubernetes');
  assert.equal(await m28.locator('.cell.sh').count(), 16, 'the whole /28 lies inside newcidr1');
  assert.equal(await m24.locator('.cell.al').count(), 14, 'the /28 allocations show in the /24 map too');
  await nextTourStep(page);

  // More Services: addresses from the /24's dynamic band.
  await runTourStep(page, 'more');
  const more = (await lastOutput(page)).match(/^10\.96\.0\.\d+$/gm) ?? [];
  assert.equal(more.length, 4);
  for (const ip of more) {
    const last = Number(ip.split('.')[3]);
    assert.ok(last >= 17 && last <= 254, `${ip} is in the dynamic band of the /24`);
    assert.equal(await m24.locator(`.cell.al.dy[data-ip="${ip}"]`).count(), 1, `${ip} is drawn as allocated`);
  }
  assert.equal(await m24.locator('.cell.al').count(), 18);
  await shot(page, 'tour-24-cells');
  await nextTourStep(page);

  // Delete newcidr1: Terminating, and exactly test-13..16's IPs block it.
  await runTourStep(page, 'delete-cidr');
  assert.match(await lastOutput(page), /servicecidr\.networking\.k8s\.io "newcidr1" deleted/);
  const c1 = card(page, 'newcidr1');
  await c1.locator('.terminating').waitFor();
  assert.equal(await c1.locator('.badge.term').innerText(), 'Terminating');
  const blocking = await c1.locator('.blocking li code').allInnerTexts();
  assert.deepEqual([...blocking].sort(), [...more].sort(), 'the badge lists the IPs only newcidr1 contains');
  assert.match(await c1.innerText(), /False \(Terminating\)/);
  assert.equal(await m24.locator('.chip.term').count(), 1, 'the map is marked Terminating too');
  await shot(page, 'tour-terminating');
  await nextTourStep(page);

  await runTourStep(page, 'yaml');
  const yaml = await lastOutput(page);
  assert.match(yaml, /deletionTimestamp: "/);
  assert.match(yaml, /- networking\.k8s\.io\/service-cidr-finalizer/);
  assert.match(yaml, /reason: Terminating/);
  await nextTourStep(page);

  await runTourStep(page, 'delete-svcs');
  const dels = await lastOutput(page);
  for (let i = 13; i <= 16; i++) assert.match(dels, new RegExp(`service "test-${i}" deleted`));
  assert.equal(await c1.locator('.blocking li').count(), 0, 'nothing blocks any more');
  assert.equal(await c1.count(), 1, 'but the grace period still holds it');
  await nextTourStep(page);

  // +10 s: the finalizer goes and newcidr1 is gone.
  await runTourStep(page, 'grace');
  assert.equal(await c1.count(), 0, 'newcidr1 card is gone');
  assert.equal(await m24.count(), 0, 'newcidr1 map is gone');
  const gone = page.locator('#term-out .blk').last();
  assert.match(await gone.locator('.line.err').innerText(), /Error from server \(NotFound\): servicecidrs\.networking\.k8s\.io "newcidr1" not found/);
  assert.match(await page.innerText('#clock'), /^T\+00:00:1\d/, 'the clock moved by the 10 s step');
  await nextTourStep(page);
  assert.equal(await page.getAttribute('#tour', 'data-step'), 'done');

  // The UI speaks Japanese too.
  await page.selectOption('#lang', 'ja');
  assert.equal(await page.getAttribute('html', 'lang'), 'ja');
  assert.match(await page.innerText('#tour-h'), /ガイドツアー/);
  assert.match(await page.innerText('#tour h3'), /完了/);
  await shot(page, 'tour-ja');
  await page.selectOption('#lang', 'en');
  assert.match(await page.innerText('#tour-h'), /Guided tour/);

  assert.deepEqual(problems, []);
});

test('a reload keeps the state', async () => {
  assert.ok(shared, 'runs after the tour');
  const { page, problems } = shared;
  const before = await signature(page);
  assert.ok(before.services.length > 10);
  await page.reload();
  await ready(page);
  assert.deepEqual(await signature(page), before);
  // The transcript is replayed too.
  assert.match(await page.innerText('#term-out'), /range is full/);
  assert.deepEqual(problems, []);
});

test('a shared link reproduces the state in a fresh browser context', async () => {
  const { page, problems } = shared;
  const before = await signature(page);
  await page.click('#btn-share');
  await page.waitForFunction(() => document.getElementById('share-url').value !== '');
  const url = await page.inputValue('#share-url');
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/#s=[A-Za-z0-9_-]+$/);
  assert.ok(url.length < 4000, `the link stays short (${url.length} chars)`);
  const fresh = await open(url);
  assert.deepEqual(await signature(fresh.page), before);
  assert.equal(await fresh.page.evaluate(() => location.hash), '', 'the state moved into local storage');
  await fresh.page.reload();
  await ready(fresh.page);
  assert.deepEqual(await signature(fresh.page), before);
  assert.deepEqual(fresh.problems, []);
  await fresh.context.close();
  assert.deepEqual(problems, []);
  await shared.page.context().close();
});

test('markup in names and values is shown as text and runs nothing', async () => {
  const { page, problems, context } = await open();
  const evil = '<img src=x onerror=alert(1)>';
  await type(page, `cat <<'EOF' | kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: IPAddress
metadata:
  name: 10.96.0.7
spec:
  parentRef:
    group: ""
    resource: services
    namespace: default
    name: "${evil}"
EOF`);
  await type(page, `cat <<'EOF' | kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: annotated
  annotations:
    note: "<script>window.__xss = 1</script>${evil}"
spec:
  ports:
  - port: 80
EOF`);
  // Invalid names come back inside error messages.
  const bad = await type(page, `kubectl create service clusterip '<b>bold</b>' --tcp 80`);
  assert.match(bad, /<b>bold<\/b>/);
  assert.match(await type(page, 'kubectl get service annotated -o yaml'), /<script>window\.__xss = 1<\/script>/);

  const row = page.locator('#pane-ip tbody tr[data-name="10.96.0.7"]');
  assert.match(await row.innerText(), /services\/default\/<img src=x onerror=alert\(1\)>/);
  // Hovering the map cell shows the parentRef as text as well.
  await mapOf(page, '10.96.0.0/28').locator('[data-ip="10.96.0.7"]').hover();
  assert.match(await page.innerText('#tooltip'), /<img src=x onerror=alert\(1\)>/);
  await page.waitForTimeout(300);
  assert.equal(await page.locator('img, b, script:not([type="module"])').count(), 0, 'no element was created from the markup');
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(problems, []);
  await context.close();
});

test('keyboard: terminal history and completion, map cells, time controls', async () => {
  const { page, problems, context } = await open();
  // Completion of resources, then of object names.
  await page.fill('#term-input', 'kubectl get servicec');
  await page.press('#term-input', 'Tab');
  assert.equal(await page.inputValue('#term-input'), 'kubectl get servicecidr');
  assert.match(await page.innerText('#term-suggest'), /servicecidrs/);
  await page.fill('#term-input', 'kubectl get servicecidrs kub');
  await page.press('#term-input', 'Tab');
  assert.equal(await page.inputValue('#term-input'), 'kubectl get servicecidrs kubernetes ');
  await page.fill('#term-input', 'kubectl delete servicecidr kubernetes --wa');
  await page.press('#term-input', 'Tab');
  assert.equal(await page.inputValue('#term-input'), 'kubectl delete servicecidr kubernetes --wait=false ');
  await page.fill('#term-input', 'kubectl get svc -o ya');
  await page.press('#term-input', 'Tab');
  assert.equal(await page.inputValue('#term-input'), 'kubectl get svc -o yaml ');
  await page.fill('#term-input', 'kubectl describe ipaddress 10.96.0.1');
  await page.press('#term-input', 'Tab');
  assert.match(await page.inputValue('#term-input'), /^kubectl describe ipaddress 10\.96\.0\.1/);

  // History.
  await type(page, 'kubectl get ipaddress');
  await type(page, 'kubectl get service kubernetes');
  await page.press('#term-input', 'ArrowUp');
  assert.equal(await page.inputValue('#term-input'), 'kubectl get service kubernetes');
  await page.press('#term-input', 'ArrowUp');
  assert.equal(await page.inputValue('#term-input'), 'kubectl get ipaddress');
  await page.press('#term-input', 'ArrowDown');
  await page.press('#term-input', 'ArrowDown');
  assert.equal(await page.inputValue('#term-input'), '');

  // Errors are coloured.
  await type(page, 'kubectl get widgets');
  assert.match(await page.locator('#term-out .blk').last().locator('.line.err').innerText(), /the server doesn't have a resource type "widgets"/);

  // Map cells: arrow keys move, the info line names the IP, IPAddress and Service.
  const grid = mapOf(page, '10.96.0.0/28').locator('.grid');
  await grid.locator('[tabindex="0"]').focus();
  await page.keyboard.press('ArrowRight');
  const info = mapOf(page, '10.96.0.0/28').locator('.cellinfo');
  assert.match(await info.innerText(), /^10\.96\.0\.1 .*IPAddress 10\.96\.0\.1 → services\/default\/kubernetes.*Service default\/kubernetes/);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.ip), '10.96.0.1');
  await page.keyboard.press('End');
  assert.match(await info.innerText(), /^10\.96\.0\.15 .*broadcast/);

  // Buttons reach the time controls by keyboard; +10 s moves the clock.
  await page.focus('#btn-adv10');
  await page.keyboard.press('Enter');
  assert.match(await page.innerText('#clock'), /^T\+00:00:10/);
  assert.match(await page.innerText('#term-out'), /clock \+10 s/);
  // A command that waits (sleep) moves the clock too, and says so.
  await type(page, 'sleep 5');
  assert.match(await page.innerText('#clock'), /^T\+00:00:15/);
  assert.match(await page.locator('#term-out .blk.note').last().innerText(), /the clock moved 5 s while this ran/);

  // Pause: a new ServiceCIDR waits for Step to get its finalizer and Ready condition.
  await page.click('#btn-pause');
  assert.equal(await page.getAttribute('#btn-pause', 'aria-pressed'), 'true');
  await page.fill('#cidr-name', 'held');
  await page.fill('#cidr-cidrs', '10.200.0.0/24');
  await page.click('#form-cidr button[type="submit"]');
  const held = card(page, 'held');
  await held.waitFor();
  assert.match(await held.innerText(), /no condition yet/);
  assert.match(await held.innerText(), /Finalizers\s+none/);
  // The button printed the kubectl equivalent and ran it.
  assert.match(await page.locator('#term-out .blk').last().innerText(), /\$ cat <<EOF \| kubectl apply -f -[\s\S]*name: held[\s\S]*servicecidr\.networking\.k8s\.io\/held created/);
  await page.click('#btn-step');
  assert.match(await held.innerText(), /True/);
  assert.match(await held.innerText(), /networking\.k8s\.io\/service-cidr-finalizer/);
  await page.click('#btn-pause');
  assert.equal(await page.getAttribute('#btn-pause', 'aria-pressed'), 'false');

  // Every control has an accessible name.
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, textarea, [role="grid"]')]
      .filter((e) => !(e.getAttribute('aria-label') || e.textContent.trim() || e.labels?.length || e.id === 'share-url'))
      .map((e) => e.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unnamed, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('scenarios', async () => {
  const { page, problems, context } = await open();
  const scenario = async (id) => {
    await page.click(`#scenarios [data-scenario="${id}"]`);
    await page.waitForSelector('html:not([data-busy])');
    await page.waitForSelector('#notice:not([hidden])');
  };

  await scenario('exhaust');
  assert.match(await page.innerText('#term-out'), /range is full/);
  assert.equal(await mapOf(page, '10.96.0.0/24').locator('.cell.al').count(), 18);
  await shot(page, 'scenario-exhaust');

  await scenario('blocked');
  const extra = card(page, 'extra');
  assert.deepEqual(await extra.locator('.blocking li code').allInnerTexts(), ['10.100.0.20', '10.100.0.21']);
  // The badge suggests a range that would cover them and fills the form with it.
  assert.match(await extra.innerText(), /e\.g\. one for 10\.100\.0\.16\/29/);
  await extra.locator('.cover button').click();
  assert.equal(await page.inputValue('#cidr-cidrs'), '10.100.0.16/29');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cidr-name');
  await page.click('#pane-svc [aria-label="Delete service default/web"]');
  await page.click('#pane-svc [aria-label="Delete service default/api"]');
  assert.match(await page.innerText('#term-out'), /\$ kubectl delete service web\s/);
  assert.equal(await extra.locator('.blocking li').count(), 0);
  await page.click('#btn-adv10');
  assert.equal(await extra.count(), 0, 'extra is gone after the grace period');

  await scenario('overlay');
  const small = card(page, 'small');
  assert.equal(await small.locator('.blocking li').count(), 0, 'big covers every IP of small');
  assert.equal(await mapOf(page, '10.100.0.0/24').locator('.cell.sh').count(), 16);
  await page.click('#btn-adv10');
  assert.equal(await small.count(), 0);
  assert.equal(await mapOf(page, '10.100.0.0/24').locator('.cell.al').count(), 3, 'the Services keep their IPs');

  await scenario('ds-single');
  assert.match(await page.innerText('#term-out'), /this cluster is not configured for dual-stack services/);
  assert.match(await page.locator('#pane-svc tr[data-key="default/maybe"]').innerText(), /PreferDualStack/);

  await scenario('ds-dual');
  const both = await page.locator('#pane-svc tr[data-key="default/both"] td.ips code').allInnerTexts();
  assert.equal(both.length, 2, 'one address per family');
  const v6 = both.find((ip) => ip.includes(':'));
  const heat = mapOf(page, 'fd00:10:96::/112');
  assert.equal(await heat.locator('.grid.buckets .cell').count(), 256, 'a /112 is drawn as a heat map');
  assert.equal(await heat.locator('.cell.al').count(), 1);
  await heat.locator('.cell.al').click();
  assert.equal(await heat.locator('.grid:not(.buckets) .cell').count(), 256, 'one bucket zooms to one cell per address');
  assert.equal(await heat.locator(`.cell.al[data-ip="${v6}"]`).count(), 1);
  await shot(page, 'scenario-dual-stack');
  await page.keyboard.press('Escape');
  assert.equal(await heat.locator('.grid.buckets .cell').count(), 256, 'Escape zooms out');

  await scenario('bands');
  const m = mapOf(page, '10.96.0.0/24');
  assert.equal(await m.locator('.cell.al.st[data-ip="10.96.0.5"]').count(), 1, 'the pinned IP is in the static band');
  assert.equal(await m.locator('.cell.al.dy').count(), 3, 'dynamic picks land in the upper band');
  assert.match(await page.innerText('#term-out'), /provided IP is already allocated/);

  await scenario('leak');
  const leaked = page.locator('#pane-ip tr[data-name="10.96.0.200"]');
  assert.match(await leaked.innerText(), /Service missing/);
  await page.click('#btn-adv60');
  assert.equal(await leaked.count(), 0, 'the repair loop deleted the leaked IPAddress');
  assert.match(await page.innerText('#event-log'), /appears to have leaked: cleaning up/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('dark theme and a laptop-sized window', async () => {
  const { page, problems, context } = await open(base, { viewport: { width: 1280, height: 720 }, colorScheme: 'dark' });
  await page.click('#scenarios [data-scenario="exhaust"]');
  await page.waitForSelector('html:not([data-busy])');
  await page.waitForSelector('#notice:not([hidden])');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(15, 18, 22)', 'dark background');
  // Nothing overflows the window sideways.
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 1280, `page is ${wide}px wide`);
  await shot(page, 'dark-1280');
  await page.click('#btn-theme');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(245, 246, 248)');
  assert.deepEqual(problems, []);
  await context.close();
});

test('settings restart the cluster; a bad range is refused with the apiserver message', async () => {
  const { page, problems, context } = await open();
  await type(page, 'kubectl create service clusterip before --tcp 80');
  await page.click('#btn-settings');
  assert.equal(await page.getAttribute('#btn-settings', 'aria-expanded'), 'true');
  await page.fill('#set-range', 'garbage');
  await page.click('#settings-form button[type="submit"]');
  assert.match(await page.innerText('#notice'), /service-cluster-ip-range/);
  assert.equal(await page.locator('#pane-svc tr[data-key="default/before"]').count(), 1, 'a refused setting changes nothing');
  await page.fill('#set-range', '10.96.0.0/24,fd00:10:96::/112');
  await page.fill('#set-seed', '42');
  await page.click('#settings-form button[type="submit"]');
  assert.equal(await page.locator('#pane-svc tr[data-key="default/before"]').count(), 0, 'a new cluster starts empty');
  assert.deepEqual(await card(page, 'kubernetes').locator('.chip.cidr').allInnerTexts(), ['10.96.0.0/24', 'fd00:10:96::/112']);
  assert.match(await page.innerText('#term-out'), /--service-cluster-ip-range=10\.96\.0\.0\/24,fd00:10:96::\/112, seed 42/);
  // Reset goes back to the defaults.
  await page.click('#btn-reset');
  assert.deepEqual(await card(page, 'kubernetes').locator('.chip.cidr').allInnerTexts(), ['10.96.0.0/28']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a ServiceCIDR blocked by 3 000 IPs: the true count, a folded list, a range that covers them all', async () => {
  const { page, problems, context } = await open();
  await type(page, 'kubectl create -f - <<EOF\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: big\nspec:\n  cidrs: [10.100.0.0/20]\nEOF');
  await page.waitForSelector('html:not([data-busy])');
  // The /28 fills up first or not (the allocator picks a ready CIDR at random); either way
  // 3 000 Services need the /20 for most of them.
  const output = async (cmd) => {
    await type(page, cmd);
    return page.locator('#term-out .blk:not(.note)').last().locator('.output').innerText();
  };
  assert.equal((await output('for i in $(seq 1 3000); do kubectl create service clusterip "s-$i" --tcp 80 -o name; done | wc -l')).trim(), '3000');
  await type(page, 'kubectl delete servicecidr big --wait=false');
  const inBig = JSON.parse(await output(`kubectl get ipaddress -o json | jq -c '[.items[].metadata.name | select(startswith("10.100."))]'`));
  assert.ok(inBig.length > 2900, `${inBig.length} IPs in the /20`);
  const c = card(page, 'big');
  await c.locator('.terminating').waitFor();
  // The count is every blocking IP, not the 256 listed.
  assert.match(await c.locator('.why').innerText(), new RegExp(`blocked by ${inBig.length} IPAddress`));
  const details = c.locator('details.blocking-list');
  assert.equal(await details.getAttribute('open'), null, 'the long list starts folded');
  assert.equal(await details.locator('summary').innerText(), `The first 256 of ${inBig.length}`);
  assert.equal(await details.locator('li').count(), 256);
  // The suggestion is computed from all of them: every blocking IP is a usable address of it.
  const cover = (await c.locator('.cover').innerText()).match(/e\.g\. one for ([\d.]+\/\d+)/)[1];
  const [net, len] = cover.split('/');
  const v = (ip) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const lo = v(net);
  const hi = lo + 2 ** (32 - Number(len)) - 1;
  const outside = inBig.filter((ip) => !(v(ip) > lo && v(ip) < hi));
  assert.deepEqual(outside, [], `every blocking IP lies inside ${cover}`);
  await shot(page, 'terminating-3000');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a CIDR no allocator serves is drawn without cells, and says why', async () => {
  const { page, problems, context } = await open();
  await type(page, 'kubectl create -f - <<EOF\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: v6\nspec:\n  cidrs: [fd00:1::/112]\nEOF');
  const m = mapOf(page, 'fd00:1::/112');
  await m.waitFor();
  assert.equal(await m.locator('.cell').count(), 0, 'an IPv6 CIDR on an IPv4-only cluster allocates nothing');
  assert.match(await m.innerText(), /no allocator/);
  assert.match(await m.locator('.map-meta').innerText(), /IPv6 CIDR on an IPv4-only cluster/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Japanese: a banner shown in English follows a switch to Japanese', async () => {
  const { page, problems, context } = await open();
  await type(page, 'for i in $(seq 1 20); do kubectl create service clusterip "f-$i" --tcp 80; done');
  assert.match(await page.innerText('#notice'), /The range is full/);
  await page.click('#btn-adv10');
  await page.selectOption('#lang', 'ja');
  assert.match(await page.innerText('#notice'), /範囲が満杯です/);
  // The terminal's own words follow too; what the commands printed stays as printed.
  assert.match(await page.locator('#term-out .blk.note').last().innerText(), /時計を \+10 秒/);
  assert.match(await page.locator('#term-out .exit').last().innerText(), /終了ステータス 1/);
  assert.match(await page.locator('#term-out .blk:not(.note)').last().innerText(), /range is full/);
  await shot(page, 'ja-range-full');
  assert.deepEqual(problems, []);
  await context.close();
});
