// ValidatingAdmissionPolicies in the pages (issue #13), in headless Chromium: the CEL module
// (www/cel/web/, a second wasm module) is not fetched at first paint and is fetched on the
// first policy; the Policies scenario walks the en page's section; the policy pane draws the
// core's decisions; reload, shared links and another release replay a log that holds
// policies with the evaluator in place; the embed runs the section's commands.
// Screenshots (en and ja, light and dark) go to tests/e2e/screenshots/policies-*.tmp.png.
//   node --test tests/e2e/policies.test.mjs      (after pkg-scripts/build)

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SHOTS, launch } from './harness.mjs';

const SAMPLE = readFileSync(new URL('../../crates/admission/tests/data/vap-servicecidr-default.yaml', import.meta.url), 'utf8');
const CEL = 'servicecidr_admission_wasm';
// Upstream's denial, as kubectl prints it (the en page: 172.20.0.0/16 is not allowed).
const DENIED = (name) =>
  `The servicecidrs "${name}" is invalid: : ValidatingAdmissionPolicy 'servicecidrs.default' with binding 'servicecidrs-default-binding' denied request: failed expression: object.spec.cidrs.all(newCIDR, variables.allowed.exists(allowedCIDR, cidr(allowedCIDR).containsCIDR(newCIDR)))`;

let browser;
let base;
let close;

before(async () => ({ browser, base, close } = await launch()));
after(() => close?.());

/** A fresh context whose page records errors and every URL it fetched. */
async function open(t, path = '', { colorScheme = 'light', locale = 'en-US', context: ctx } = {}) {
  const context = ctx ?? (await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme, locale }));
  if (!ctx) t.after(() => context.close());
  await context.route((u) => !u.href.startsWith(base), (route) => route.abort());
  const page = await context.newPage();
  const problems = [];
  const fetched = [];
  page.on('request', (r) => fetched.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(base + path);
  return { context, page, problems, fetched };
}

const ready = (page) => page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
const celFetched = (fetched) => fetched.filter((u) => u.includes(CEL));

async function type(page, cmd) {
  const n = await page.locator('#term-out .blk:not(.note)').count();
  await page.fill('#term-input', cmd);
  await page.press('#term-input', 'Enter');
  await page.waitForFunction((k) => document.querySelectorAll('#term-out .blk:not(.note)').length > k && !document.querySelector('#term-out .blk.running'), n, { timeout: 30_000 });
  return page.locator('#term-out .blk:not(.note)').last().innerText();
}

async function runScenario(page) {
  await page.click('#scenarios [data-scenario="policies"]');
  await page.waitForSelector('#notice:not([hidden])');
  await page.waitForSelector('html:not([data-busy])', { timeout: 30_000 });
}

/** The terminal's command blocks: [command line, output] of each. */
async function blocks(page) {
  return page.$$eval('#term-out .blk:not(.note)', (bs) =>
    bs.map((b) => [b.querySelector('.cmdline')?.textContent ?? '', b.querySelector('.output')?.textContent ?? '']),
  );
}

/** What the policy pane shows: the policies line and each decision's fields. */
async function pane(page) {
  return page.evaluate(() => ({
    hidden: document.querySelector('#pane-vap').closest('section').hidden,
    policies: [...document.querySelectorAll('#pane-vap .vap-list li')].map((li) => li.textContent),
    decisions: [...document.querySelectorAll('#pane-vap .vap-item')].map((li) => ({
      policy: li.dataset.policy,
      binding: li.dataset.binding,
      name: li.dataset.name,
      refused: li.classList.contains('refused'),
      badges: [...li.querySelectorAll('.vap-head .badge')].map((b) => b.textContent),
      fields: Object.fromEntries([...li.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])),
    })),
  }));
}

test('the CEL module is not fetched at first paint, and is fetched by the first policy', async (t) => {
  const { page, problems, fetched } = await open(t);
  await ready(page);
  await type(page, 'kubectl get servicecidr');
  assert.deepEqual(celFetched(fetched), [], 'no CEL at first paint or for a plain command');
  assert.equal(await page.getAttribute('html', 'data-cel'), null);
  assert.equal(await pane(page).then((p) => p.hidden), true, 'no policy, no pane');

  const out = await type(page, `cat <<'EOF' | kubectl apply -f -\n${SAMPLE}EOF`);
  assert.match(out, /validatingadmissionpolicy.admissionregistration.k8s.io\/servicecidrs.default created/);
  assert.match(out, /validatingadmissionpolicybinding.admissionregistration.k8s.io\/servicecidrs-default-binding created/);
  assert.equal(await page.getAttribute('html', 'data-cel'), 'ready');
  const cel = celFetched(fetched);
  assert.ok(cel.some((u) => u.endsWith('/cel/web/servicecidr_admission_wasm.js')), cel.join('\n'));
  assert.ok(cel.some((u) => u.endsWith('/cel/web/servicecidr_admission_wasm_bg.wasm')), cel.join('\n'));
  // Once: a second policy command fetches nothing more.
  await type(page, 'kubectl get validatingadmissionpolicies');
  assert.equal(celFetched(fetched).length, cel.length);
  assert.deepEqual(problems, []);
});

test('the Policies scenario walks the page section; the pane names policy, binding, message, user and request', async (t) => {
  const { context, page, problems, fetched } = await open(t);
  await ready(page);
  assert.deepEqual(celFetched(fetched), []);
  await runScenario(page);
  const bs = await blocks(page);
  const find = (re) => bs.find(([cmd]) => re.test(cmd));
  assert.match(find(/kubectl apply/)[1], /servicecidrs.default created\n.*servicecidrs-default-binding created/s);
  assert.equal(find(/name: newcidr1/)[1], 'servicecidr.networking.k8s.io/newcidr1 created\n');
  assert.ok(find(/name: newcidr2/)[1].startsWith(`${DENIED('newcidr2')}\n`), find(/name: newcidr2/)[1]);
  // kubernetes went (the clause let its finalizer go) and the API server cannot bring it back.
  assert.match(find(/^\$ kubectl get servicecidr$/m)[1], /^NAME +CIDRS +AGE\ncover +10\.96\.0\.0\/24 +10s\nnewcidr1 +10\.96\.1\.0\/24 +10s\n$/);
  assert.match(find(/get servicecidr kubernetes/)[1], /Error from server \(NotFound\): servicecidrs.networking.k8s.io "kubernetes" not found/);

  const p = await pane(page);
  assert.equal(p.hidden, false);
  assert.equal(p.policies.length, 1);
  assert.match(p.policies[0], /servicecidrs\.default.*servicecidrs-default-binding.*\[Deny, Audit\]/);
  // Newest first: the API server's own CREATE of kubernetes, then the learner's 172.20.0.0/16.
  const [apiserver] = p.decisions;
  const learner = p.decisions.find((d) => d.name === 'newcidr2');
  assert.deepEqual(
    { ...apiserver, fields: undefined },
    { policy: 'servicecidrs.default', binding: 'servicecidrs-default-binding', name: 'kubernetes', refused: true, badges: ['Deny', 'Audit'], fields: undefined },
  );
  assert.equal(apiserver.fields.User, 'system:apiserver');
  assert.equal(apiserver.fields.Request, 'CREATE servicecidrs.networking.k8s.io kubernetes');
  assert.equal(apiserver.fields.Message, 'failed expression: object.spec.cidrs.all(newCIDR, variables.allowed.exists(allowedCIDR, cidr(allowedCIDR).containsCIDR(newCIDR)))');
  assert.equal(learner.fields.User, 'kubernetes-admin');
  assert.equal(learner.fields.Request, 'CREATE servicecidrs.networking.k8s.io newcidr2');
  assert.equal(learner.refused, true);
  assert.ok(!p.decisions.some((d) => d.name === 'newcidr1' || d.name === 'cover'), 'admitted requests are not listed');
  // The API server's refusal is also its Warning event.
  assert.ok(
    await page.locator('#event-log li.event.warning', { hasText: 'KubernetesDefaultServiceCIDRError' }).count(),
    'KubernetesDefaultServiceCIDRError event',
  );
  await page.locator('#pane-vap').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}policies-scenario-en-light.tmp.png`, fullPage: true });
  await page.locator('#pane-vap').screenshot({ path: `${SHOTS}policies-pane-en-light.tmp.png` });

  // Reload: the saved log holds policies, so the CEL module loads before the replay and the
  // replay answers as the first run did (the denial, never the core's 503).
  await page.reload();
  await ready(page);
  assert.equal(await page.getAttribute('html', 'data-cel'), 'ready');
  const again = await blocks(page);
  assert.deepEqual(again.map(([c, o]) => [c, o.replace(/\(exit status 1\)|終了ステータス 1/, '')]), bs.map(([c, o]) => [c, o.replace(/\(exit status 1\)|終了ステータス 1/, '')]));
  assert.ok(!again.some(([, o]) => /needs the CEL admission module/.test(o)));
  assert.deepEqual((await pane(page)).decisions, p.decisions);

  // A shared link of this state, opened in a new context, replays it the same way.
  await page.click('#btn-share');
  await page.waitForSelector('#share:not([hidden])');
  const url = await page.inputValue('#share-url');
  assert.match(url, /#s=/);
  const other = await open(t, url.slice(base.length));
  await ready(other.page);
  assert.equal(await other.page.getAttribute('html', 'data-cel'), 'ready');
  assert.deepEqual((await pane(other.page)).decisions.map((d) => d.name), p.decisions.map((d) => d.name));

  // Another release replays the same log on a new cluster, evaluator included.
  await page.selectOption('#version', '1.33.11');
  await page.waitForFunction(() => /v1\.33\.11/.test(document.getElementById('version-badge').textContent));
  assert.deepEqual((await pane(page)).decisions.map((d) => d.name), p.decisions.map((d) => d.name));
  assert.deepEqual(problems, []);
  assert.deepEqual(other.problems, []);
  void context;
});

for (const [scheme, lang] of [['dark', 'en'], ['light', 'ja'], ['dark', 'ja']]) {
  test(`the Policies scenario and its pane, ${lang}, ${scheme}`, async (t) => {
    const { page, problems } = await open(t, '', { colorScheme: scheme, locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
    await ready(page);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    await runScenario(page);
    const p = await pane(page);
    assert.equal(p.decisions[0].name, 'kubernetes');
    if (lang === 'ja') {
      assert.equal(await page.textContent('#vap-h'), 'アドミッションポリシー (1)');
      assert.equal(p.decisions[0].fields['ユーザー'], 'system:apiserver');
      assert.match(await page.textContent('#notice'), /exclude-default-servicecidr/);
    }
    await page.screenshot({ path: `${SHOTS}policies-scenario-${lang}-${scheme}.tmp.png`, fullPage: true });
    await page.locator('#pane-vap').screenshot({ path: `${SHOTS}policies-pane-${lang}-${scheme}.tmp.png` });
    assert.deepEqual(problems, []);
  });
}

test('the embed runs the section: CEL is fetched only when a policy command runs', async (t) => {
  for (const lang of ['en', 'ja']) {
    const { page, problems, fetched } = await open(t, `embed-demo.html?lang=${lang}`);
    await page.waitForFunction(() => document.getElementById('s1').transcript?.length === 1, null, { timeout: 30_000 });
    assert.deepEqual(celFetched(fetched), [], 'the autorun example needs no CEL');
    await page.locator('#p2').scrollIntoViewIfNeeded();
    await page.locator('#p2 button.run').click();
    await page.waitForFunction(() => document.getElementById('p2').transcript?.length === 4, null, { timeout: 30_000 });
    const p1 = await page.evaluate(() => document.getElementById('p1').transcript);
    assert.equal(p1[0].output, 'validatingadmissionpolicy.admissionregistration.k8s.io/servicecidrs.default created\nvalidatingadmissionpolicybinding.admissionregistration.k8s.io/servicecidrs-default-binding created\n');
    const p2 = await page.evaluate(() => document.getElementById('p2').transcript);
    assert.deepEqual(p2.map((e) => e.exitCode), [0, 0, 1, 0]);
    assert.equal(p2[0].output, 'servicecidr.networking.k8s.io/newcidr1 created\n');
    assert.equal(p2[1].output, 'servicecidr.networking.k8s.io/newcidr2 created\n');
    assert.equal(p2[2].output, `${DENIED('newcidr3')}\n`);
    assert.match(p2[3].output, /^NAME +CIDRS +AGE\nkubernetes +10\.96\.0\.0\/12 .*\nnewcidr1 +10\.96\.1\.0\/24 .*\nnewcidr2 +2001:db8:0:0:ffff::\/80,10\.96\.0\.0\/20 /);
    const cel = celFetched(fetched);
    assert.ok(cel.some((u) => u.endsWith('/cel/web/servicecidr_admission_wasm_bg.wasm')), cel.join('\n'));
    await page.locator('#p1').screenshot({ path: `${SHOTS}policies-embed-p1-${lang}.tmp.png` });
    await page.locator('#p2').screenshot({ path: `${SHOTS}policies-embed-p2-${lang}.tmp.png` });
    assert.deepEqual(problems, []);
  }
});

test("a policy reached by other words gets the core's 503, which changed nothing; the module then loads and the next try passes", async (t) => {
  const { page, problems, fetched } = await open(t);
  await ready(page);
  // No word the page looks for: the kind and group are put together by the shell.
  const script = [
    'k=ValidatingAdmission; g=admissionregistration',
    'cat <<EOF | kubectl apply -f -',
    'apiVersion: $g.k8s.io/v1',
    'kind: ${k}Policy',
    'metadata:',
    '  name: hidden',
    'spec:',
    '  matchConstraints:',
    '    resourceRules:',
    '    - apiGroups: ["networking.k8s.io"]',
    '      apiVersions: ["v1"]',
    '      operations: ["CREATE"]',
    '      resources: ["servicecidrs"]',
    '  validations:',
    '  - expression: "false"',
    'EOF',
  ].join('\n');
  const first = await type(page, script);
  assert.match(first, /validatingadmissionpolicies needs the CEL admission module/);
  await page.waitForSelector('html[data-cel="ready"]');
  await page.waitForSelector('#term-out .blk.note:last-child');
  assert.match(await page.locator('#term-out .blk.note').last().textContent(), /loaded now: run the command again/);
  assert.ok(celFetched(fetched).length > 0);
  assert.match(await type(page, 'kubectl get validatingadmissionpolicies'), /\nNo resources found\s*$/, 'the refused request stored nothing');
  const second = await type(page, script);
  assert.match(second, /validatingadmissionpolicy.admissionregistration.k8s.io\/hidden created/);
  assert.deepEqual(problems, []);
});

test('side by side: a script that writes policies runs with the CEL module on both releases', async (t) => {
  const { page, problems, fetched } = await open(t);
  await ready(page);
  await page.click('#btn-compare');
  await page.selectOption('#cmp-a', '1.33.11');
  await page.fill('#cmp-range', '10.96.0.0/12');
  await page.fill('#cmp-script', `cat <<'EOF' | kubectl apply -f -\n${SAMPLE}EOF\nkubectl create -f - <<EOF\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: newcidr2\nspec:\n  cidrs: [172.20.0.0/16]\nEOF`);
  assert.deepEqual(celFetched(fetched), []);
  await page.click('#compare-form button[type="submit"]');
  await page.waitForSelector('#cmp-result:not([hidden])');
  for (const side of ['a', 'b']) {
    const text = await page.textContent(`#cmp-out-${side}`);
    assert.ok(text.includes(DENIED('newcidr2')), `${side}: ${text}`);
  }
  assert.deepEqual(problems, []);
});
