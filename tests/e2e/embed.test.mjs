// <servicecidr-example> in headless Chromium: the demo page's walk-through (every example,
// the `after` chain), isolation between instances, lazy loading, escaping, the language
// switch, Step/Reset/editing and the playground link. Needs the built package in www/pkg
// (pkg-scripts/build). The page is served from 127.0.0.1 by a small server in this file:
// www/ at /, tests/fixtures/ at /fixtures/.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MOUNTS = [['/fixtures/', join(ROOT, 'tests', 'fixtures')], ['/', join(ROOT, 'www')]];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

function serve() {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const [prefix, dir] = MOUNTS.find(([p]) => path.startsWith(p));
    const file = normalize(join(dir, path.slice(prefix.length)));
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let server;
let browser;
let base;
test.before(async () => {
  server = await serve();
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
});
test.after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh page that records console errors, page errors, failed requests and wasm fetches. */
async function open(t, path) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  const wasmRequests = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasmRequests.push(r.url()); });
  await page.goto(base + path);
  return { page, problems, wasmRequests };
}

/** What the transcript shows: [{ command, output, failed }] read from the shadow DOM. */
function shown(page, id) {
  return page.locator(`#${id}`).evaluate((el) =>
    [...el.shadowRoot.querySelectorAll('.entry:not(.comment)')].map((e) => ({
      command: e.querySelector('.cmd').textContent,
      output: e.querySelector('.out')?.textContent ?? null,
      failed: e.classList.contains('failed'),
    })));
}

async function clickAndWait(page, id, button) {
  await page.locator(`#${id} button.${button}`).click();
  await page.waitForFunction((i) => {
    const el = document.getElementById(i);
    return el.shadowRoot.querySelector('button.reset').disabled === false && !el.shadowRoot.querySelector('.status').textContent;
  }, id, { timeout: 30_000 });
}

const IP = /^10\.96\.0\.(\d+)$/;
const octets = (lines) => lines.map((l) => {
  const m = IP.exec(l);
  assert.ok(m, `${JSON.stringify(l)} is an address of 10.96.0.0/24`);
  return Number(m[1]);
});

test('demo page: the whole walk-through runs through the `after` chain', async (t) => {
  const { page, problems } = await open(t, '/embed-demo.html');
  // Step 1 runs by itself (autorun) once visible.
  await page.waitForFunction(() => document.getElementById('s1').transcript.length === 1, null, { timeout: 30_000 });
  // Run on the last step replays every step above it first.
  await clickAndWait(page, 's7', 'run');
  const all = {};
  for (const id of ['s1', 's2', 's3', 's4', 's5', 's6', 's7']) all[id] = await shown(page, id);

  assert.deepEqual(all.s1, [{
    command: 'kubectl get servicecidr',
    output: 'NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   17d',
    failed: false,
  }]);

  assert.equal(all.s2.length, 2);
  assert.equal(all.s2[0].command, 'kubectl get service kubernetes');
  assert.equal(all.s2[0].output,
    'NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n' +
    'kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   17d');
  assert.equal(all.s2[1].output, 'NAME        PARENTREF\n10.96.0.1   services/default/kubernetes');

  // The /28: 12 addresses (all but .1 and kube-dns's .10), then the 13th is refused.
  const s3 = all.s3[0].output.split('\n');
  assert.equal(s3.length, 13);
  assert.equal(s3[12], 'error: failed to create ClusterIP service: Internal error occurred: failed to allocate a serviceIP: range is full');
  const first = octets(s3.slice(0, 12));
  assert.deepEqual([...first].sort((a, b) => a - b), [2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14]);

  assert.deepEqual(all.s4.map((e) => e.output), ['servicecidr.networking.k8s.io/newcidr1 created']);
  assert.match(all.s4[0].command, /^cat <<EOF \| kubectl apply -f -\napiVersion: networking\.k8s\.io\/v1\n[\s\S]*\nEOF$/);

  // Four more from the upper (dynamic) band of the new /24: .17 to .254.
  const second = octets(all.s5[0].output.split('\n'));
  assert.equal(new Set(second).size, 4);
  for (const o of second) assert.ok(o >= 17 && o <= 254, `10.96.0.${o} is in the dynamic band`);

  assert.equal(all.s6[0].output, 'servicecidr.networking.k8s.io "newcidr1" deleted');
  const yaml = all.s6[1].output;
  assert.match(yaml, /^apiVersion: networking\.k8s\.io\/v1\nkind: ServiceCIDR\n/);
  assert.match(yaml, /\n {2}deletionTimestamp: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\n/);
  assert.match(yaml, /\n {2}finalizers:\n {2}- networking\.k8s\.io\/service-cidr-finalizer\n/);
  assert.match(yaml, /\n {4}message: There are still IPAddresses referencing the ServiceCIDR, please remove\n {6}them or create a new ServiceCIDR\n {4}reason: Terminating\n {4}status: "False"\n {4}type: Ready$/);

  assert.deepEqual(all.s7, [
    {
      command: 'for i in $(seq 13 16); do kubectl delete service "test-$i" ; done',
      output: [13, 14, 15, 16].map((i) => `service "test-${i}" deleted`).join('\n'),
      failed: false,
    },
    {
      command: 'kubectl get servicecidr newcidr1',
      output: 'Error from server (NotFound): servicecidrs.networking.k8s.io "newcidr1" not found',
      failed: true,
    },
  ]);

  // The element's own transcript API says the same as the DOM.
  const api = await page.locator('#s3').evaluate((el) => el.transcript);
  assert.deepEqual(api.map((e) => e.output.replace(/\n$/, '')), [all.s3[0].output]);

  // Each step has its own cluster: the earlier ones did not see the later steps.
  const counts = await page.evaluate(() => ['s1', 's3', 's5', 's7'].map((id) =>
    document.getElementById(id).cluster.list('services', 'default').length));
  assert.deepEqual(counts, [1, 13, 17, 13]);

  // The range map of step 5 shows both ranges and the 16 addresses in use in the /24.
  const rows = await page.locator('#s5').evaluate((el) =>
    [...el.shadowRoot.querySelectorAll('.map .row')].map((r) => [r.dataset.name, r.dataset.cidr, r.querySelectorAll('.ip').length]));
  assert.deepEqual(rows, [['kubernetes', '10.96.0.0/28', 14], ['newcidr1', '10.96.0.0/24', 18]]);

  // The playground link (its #s= format: base64url of raw DEFLATE of JSON) carries the
  // settings and the whole log of the chain, and replaying it rebuilds the same cluster.
  const href = await page.locator('#s7').evaluate((el) => el.playgroundUrl());
  await page.waitForFunction(([id, h]) =>
    document.getElementById(id).shadowRoot.querySelector('a.playground').href === h, ['s7', href]);
  const url = new URL(href);
  assert.equal(url.pathname, '/index.html');
  assert.match(url.hash, /^#s=[A-Za-z0-9_-]+$/);
  const state = JSON.parse(inflateRawSync(Buffer.from(url.hash.slice(3), 'base64url')).toString('utf8'));
  assert.equal(state.v, 1);
  // s1's version="1.33" (the release the page's sample output is from) carries down the chain.
  assert.deepEqual(state.settings, { range: '10.96.0.0/28', seed: 2023, start: '2023-09-25T15:11:07Z', version: '1.33' });
  assert.deepEqual(state.log.slice(0, 4), [
    ['adv', 17 * 86400], ['run', 'kubectl get servicecidr'], ['settle'], ['run', 'kubectl get service kubernetes'],
  ]);
  const runs = state.log.filter((e) => e[0] === 'run').map((e) => e[1]);
  assert.equal(runs.length, 10);
  assert.equal(runs[9], 'kubectl get servicecidr newcidr1');
  assert.equal(state.log.filter((e) => e[0] === 'settle').length, 9);
  const replayed = await page.evaluate(async (st) => {
    const sim = await import('/pkg/servicecidr_sim.js');
    const c = new sim.Cluster({ serviceClusterIPRange: st.settings.range, seed: st.settings.seed, now: st.settings.start });
    for (const e of st.log) {
      if (e[0] === 'adv') c.advance(e[1]);
      else if (e[0] === 'settle') c.settle();
      else c.run(e[1]);
    }
    const names = (cl) => cl.list('ipaddresses').map((o) => o.metadata.name).join(' ');
    return [names(c), names(document.getElementById('s7').cluster)];
  }, state);
  assert.equal(replayed[0], replayed[1]);
  const s1url = new URL(await page.locator('#s1').evaluate((el) => el.playgroundUrl()));
  const s1state = JSON.parse(inflateRawSync(Buffer.from(s1url.hash.slice(3), 'base64url')).toString('utf8'));
  assert.deepEqual(s1state.log, [['adv', 17 * 86400], ['run', 'kubectl get servicecidr']]);

  assert.deepEqual(problems, []);
});

test('two examples on one page do not share state', async (t) => {
  const { page, problems } = await open(t, '/embed-demo.html');
  await page.locator('#free-a').scrollIntoViewIfNeeded();
  await clickAndWait(page, 'free-a', 'run');
  await clickAndWait(page, 'free-b', 'run');
  const a = await shown(page, 'free-a');
  const b = await shown(page, 'free-b');
  // Same name in both: a shared cluster would answer AlreadyExists the second time.
  assert.equal(a[0].output, 'service/web created');
  assert.equal(b[0].output, 'service/web created');
  assert.match(a[1].output, /^NAME\s+CIDRS\s+AGE\nkubernetes\s+10\.96\.0\.0\/24\s+0s$/);
  const ips = b[1].output.split('\n');
  assert.match(ips[0], /^NAME\s+PARENTREF$/);
  assert.deepEqual(ips.slice(1).map((l) => l.split(/\s+/)[1]).sort(),
    ['services/default/kubernetes', 'services/default/web', 'services/kube-system/kube-dns'],
    'nothing of free-a');
  const webs = await page.evaluate(() => ['free-a', 'free-b'].map((id) =>
    document.getElementById(id).cluster.list('services', 'default').map((s) => s.metadata.name).sort()));
  assert.deepEqual(webs, [['kubernetes', 'web'], ['kubernetes', 'web']]);
  // Deleting in one leaves the other alone.
  await page.evaluate(() => document.getElementById('free-a').cluster.delete('service', 'web', 'default'));
  const left = await page.evaluate(() => document.getElementById('free-b').cluster.get('service', 'web', 'default').metadata.name);
  assert.equal(left, 'web');
  assert.deepEqual(problems, []);
});

test('Step, Reset, editing and the language switch', async (t) => {
  const { page, problems } = await open(t, '/embed-demo.html');
  await page.locator('#free-b').scrollIntoViewIfNeeded();
  await clickAndWait(page, 'free-b', 'step');
  let entries = await shown(page, 'free-b');
  assert.equal(entries[0].output, 'service/web created');
  assert.equal(entries[1].output, null, 'the second command has not run yet');
  await clickAndWait(page, 'free-b', 'reset');
  entries = await shown(page, 'free-b');
  assert.deepEqual(entries.map((e) => e.output), [null, null]);
  // Editing replaces the script; Run runs the new one in a fresh cluster.
  await page.locator('#free-b textarea').fill('kubectl create service clusterip api --tcp 443\nkubectl get service api -o jsonpath={.spec.ports[0].port}');
  await clickAndWait(page, 'free-b', 'run');
  entries = await shown(page, 'free-b');
  assert.deepEqual(entries.map((e) => e.output), ['service/api created', '443']);
  // Language switch: labels of every example follow.
  assert.equal(await page.locator('#s1 button.run').textContent(), 'Run');
  await page.locator('.langs button[data-lang="ja"]').click();
  assert.equal(await page.locator('#s1 button.run').textContent(), '実行');
  assert.equal(await page.locator('#s1 button.reset').textContent(), 'リセット');
  assert.equal(await page.locator('#s1 a.playground').textContent(), 'プレイグラウンドで開く');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
  assert.ok(await page.locator('h1 [data-l="ja"]').isVisible());
  assert.ok(!(await page.locator('h1 [data-l="en"]').isVisible()));
  assert.deepEqual(problems, []);
});

test('the wasm loads lazily, once, and user text is never parsed as HTML', async (t) => {
  const { page, problems, wasmRequests } = await open(t, '/fixtures/embed-lazy.html');
  await page.waitForTimeout(500);
  assert.deepEqual(wasmRequests, [], 'nothing is fetched while no example is visible');
  await page.locator('#far-a').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => ['far-a', 'far-b'].every((id) => document.getElementById(id).transcript.length === 1), null, { timeout: 30_000 });
  assert.equal(wasmRequests.length, 1, 'one fetch for all examples');
  assert.ok(wasmRequests[0].endsWith('/pkg/servicecidr_sim_bg.wasm'), wasmRequests[0]);
  // Same seed, same script, separate clusters: both succeed.
  assert.equal((await shown(page, 'far-a'))[0].output, 'service/same created');
  assert.equal((await shown(page, 'far-b'))[0].output, 'service/same created');
  // The script and the error that echoes it stay text.
  await clickAndWait(page, 'markup', 'run');
  const [entry] = await shown(page, 'markup');
  assert.equal(entry.command, 'kubectl get service "<img src=x onerror=window.pwned=1>"');
  assert.match(entry.output, /<img src=x onerror=window\.pwned=1>/);
  const imgs = await page.locator('#markup').evaluate((el) => el.shadowRoot.querySelectorAll('img').length);
  assert.equal(imgs, 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(problems, []);
});

test('"Open in playground" opens the playground on the example\'s state', async (t) => {
  const { page, problems } = await open(t, '/embed-demo.html');
  await clickAndWait(page, 's6', 'run');
  const href = await page.locator('#s6').evaluate((el) => el.playgroundUrl());
  await page.waitForFunction(([id, h]) =>
    document.getElementById(id).shadowRoot.querySelector('a.playground').href === h, ['s6', href]);
  const expected = await page.evaluate(() => document.getElementById('s6').cluster.list('ipaddresses').map((o) => o.metadata.name).sort());
  const pg = await open(t, new URL(href).pathname + new URL(href).hash);
  await pg.page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 30_000 });
  assert.notEqual(await pg.page.locator('#notice').textContent(), 'That link does not hold a valid state; showing your own.');
  // The replayed terminal ends with the example's last command and its output.
  const term = await pg.page.locator('#term-out').textContent();
  assert.ok(term.includes('kubectl get servicecidr newcidr1 -o yaml'), term.slice(-400));
  assert.ok(term.includes('reason: Terminating'), term.slice(-400));
  // Its IPAddress pane lists exactly the example's addresses.
  const rows = await pg.page.evaluate(() =>
    [...document.querySelectorAll('#pane-ip tbody tr')].map((r) => r.innerText.trim().split(/\s+/)[0]));
  assert.deepEqual(rows.sort(), expected);
  assert.deepEqual([...problems, ...pg.problems], []);
});

test('the version attribute: each example runs on its release, names it, and hands it on', async (t) => {
  const { page, problems } = await open(t, '/fixtures/embed-versions.html');
  const release = (id) => page.locator(`#${id}`).evaluate((el) => {
    const r = el.shadowRoot.querySelector('.release');
    return r.hidden ? null : r.textContent;
  });
  // Before any run: the attribute as written.
  assert.equal(await release('v133'), 'Kubernetes 1.33');
  assert.equal(await release('vdefault'), null, 'no attribute, no label');
  for (const id of ['v133', 'v136', 'vdefault', 'v133-next']) await clickAndWait(page, id, 'run');
  // kubectl 1.33 does not name the namespace in its delete line; 1.34 and later do (PR #126619).
  assert.equal((await shown(page, 'v133'))[1].output, 'service "web" deleted');
  assert.equal((await shown(page, 'v136'))[1].output, 'service "web" deleted from default namespace');
  assert.equal(await release('v133'), 'Kubernetes 1.33.11');
  assert.equal(await page.locator('#v133').evaluate((el) => el.version), '1.33.11');
  assert.equal(await page.locator('#v136').evaluate((el) => el.version), '1.36.0');
  assert.match((await shown(page, 'vdefault'))[0].output, /Server Version: v1\.37\.0/);
  // A continued example runs on its predecessor's release.
  assert.match((await shown(page, 'v133-next'))[0].output, /Server Version: v1\.33\.11/);
  assert.equal(await release('v133-next'), 'Kubernetes 1.33.11');
  // The playground link carries the release.
  const href = await page.locator('#v133').evaluate((el) => el.playgroundUrl());
  const b64 = new URL(href).hash.slice(3).replace(/-/g, '+').replace(/_/g, '/');
  const state = JSON.parse(inflateRawSync(Buffer.from(b64, 'base64')).toString('utf8'));
  assert.equal(state.settings.version, '1.33');
  const pg = await open(t, new URL(href).pathname + new URL(href).hash);
  await pg.page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 30_000 });
  assert.equal(await pg.page.inputValue('#version'), '1.33');
  assert.equal(await pg.page.textContent('#version-badge'), 'Kubernetes v1.33.11');
  assert.ok((await pg.page.locator('#term-out').textContent()).includes('service "web" deleted'));
  // A release the core does not model: the run fails with the core's message, nothing else breaks.
  await page.locator('#v128 button.run').click();
  await page.waitForFunction(() => /not a modelled Kubernetes release/.test(document.getElementById('v128').shadowRoot.textContent), null, { timeout: 30_000 });
  assert.equal(await page.locator('#v128').evaluate((el) => el.version), null);
  assert.deepEqual([...problems, ...pg.problems], []);
});
