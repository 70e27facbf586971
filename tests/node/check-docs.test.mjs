// pkg-scripts/check-docs on the Extend Service IP Ranges pages (shared reference copies) and on
// variants of the corrected Japanese page with one thing broken at a time. Needs the built
// package (pkg-scripts/build): the script runs the pages in pkg/node's simulated cluster.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'pkg-scripts', 'check-docs');
// The shared reference sits beside the repo (a CI clone gets a copy of shared/ next to it).
const REFERENCE = [
  join(ROOT, '..', 'shared', 'reference'),
  join(ROOT, '..', '..', 'shared', 'reference'),
  '/work/shared/reference',
].find((d) => existsSync(join(d, 'extend-service-ip-ranges.en.md')));
const EN = REFERENCE && join(REFERENCE, 'extend-service-ip-ranges.en.md');
const JA = REFERENCE && join(REFERENCE, 'extend-service-ip-ranges.ja.md');
const FIXED_JA = join(ROOT, 'tests', 'fixtures', 'extend-service-ip-ranges.ja.fixed.md');
const noReference = REFERENCE ? false : 'shared/reference not found beside the repo';

function checkDocs(...args) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function json(...args) {
  const r = checkDocs('--json', ...args);
  assert.ok(r.out, `no JSON output; stderr: ${r.err}`);
  return { code: r.code, report: JSON.parse(r.out) };
}

const ids = (report) => report.drifts.map((d) => d.id);

/** A copy of the corrected ja page with one edit, in a temp dir removed after the test. */
function variant(t, from, to, count = 1) {
  const text = readFileSync(FIXED_JA, 'utf8');
  assert.equal(text.split(from).length - 1, count, `the fixture contains ${JSON.stringify(from)} ${count} time(s)`);
  const dir = mkdtempSync(join(tmpdir(), 'check-docs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'page.md');
  writeFileSync(file, text.split(from).join(to));
  return file;
}

test('the corrected Japanese page passes (exit 0)', () => {
  const r = checkDocs(FIXED_JA);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /OK \(10 shell block\(s\), 10 command\(s\) run, 10 output block\(s\) compared\)/);
});

test('settings come from the page: the range and AGE of its first servicecidr table', () => {
  const { code, report } = json(FIXED_JA);
  assert.equal(code, 0);
  assert.equal(report.settings.range, '10.96.0.0/28');
  assert.equal(report.settings.age, '17d');
  assert.equal(report.compared, 10);
});

test('the Japanese page: every known drift, each with what upstream does, exit 1', { skip: noReference }, () => {
  const r = checkDocs(JA);
  assert.equal(r.code, 1, r.out + r.err);
  const { report } = json(JA);
  assert.deepEqual(ids(report).sort(), [
    'condition-reason',
    'delete-wait',
    'heredoc-typo',
    'last-applied-annotation',
    'manifest-api-version',
    'output-api-version',
  ]);
  // The two drifts named in the project's issue, with readable messages.
  assert.match(r.out, /drift \[condition-reason\] after `kubectl get servicecidr newcidr1 -o yaml`\n {2}- {5}reason: OrphanIPAddress\n {2}\+ {5}reason: Terminating\n {2}upstream: .*reason `Terminating`/);
  assert.match(r.out, /drift \[output-api-version\][^\n]*\n {2}- apiVersion: networking\.k8s\.io\/v1beta1\n {2}\+ apiVersion: networking\.k8s\.io\/v1\n {2}upstream: .*networking\.k8s\.io\/v1/);
  // The ones found besides, each pointing at the page line.
  // Each with what the block as written does in the simulated shell and cluster (+ lines).
  assert.match(r.out, /extend-service-ip-ranges\.ja\.md:88: drift \[heredoc-typo\] in `cat <EOF \| kubectl apply -f -`\n {2}\+ bash: line 1: EOF: No such file or directory\n {2}\+ error: no objects passed to apply\n(?: {2}\+ .*\n)* {2}upstream: `<EOF` redirects standard input from a file named EOF; a here-document needs `<<EOF`/);
  assert.match(r.out, /ja\.md:89: drift \[manifest-api-version\][^\n]*\n {2}upstream: the manifest says `apiVersion: networking\.k8s\.io\/v1beta1`/);
  assert.match(r.out, /ja\.md:121: drift \[delete-wait\] in `kubectl delete servicecidr newcidr1`\n {2}\+ servicecidr\.networking\.k8s\.io "newcidr1" deleted\n {2}\+ error: timed out waiting for the condition on servicecidrs\/newcidr1\n {2}upstream: `kubectl delete` waits .*networking\.k8s\.io\/service-cidr-finalizer/);
  assert.match(r.out, /\n {2}\+ {5}kubectl\.kubernetes\.io\/last-applied-configuration: \|\n/);
  assert.match(r.out, /6 drift\(s\) found/);
});

test('the English page: only the drifts upstream code proves', { skip: noReference }, () => {
  const { code, report } = json(EN);
  assert.equal(code, 1);
  assert.deepEqual(ids(report).sort(), ['condition-reason', 'last-applied-annotation']);
  const r = checkDocs(EN, '--ignore', 'condition-reason,last-applied-annotation');
  assert.equal(r.code, 0, r.out + r.err);
});

test('a wrong deterministic value is drift: the kubernetes Service has network+1', (t) => {
  const file = variant(t, 'kubernetes   ClusterIP   10.96.0.1    <none>', 'kubernetes   ClusterIP   10.96.0.2    <none>');
  const { code, report } = json(file);
  assert.equal(code, 1);
  assert.deepEqual(ids(report), ['output']);
  assert.deepEqual(report.drifts[0].page, ['kubernetes   ClusterIP   10.96.0.2    <none>        443/TCP   17d']);
  assert.match(report.drifts[0].sim[0], /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s/);
});

test('a dynamic address is matched by band: the new /24 allocates from its upper band', (t) => {
  // 10.96.0.5 sits in the new /24's static band (and in the full /28): not where upstream picks.
  const file = variant(t, '10.96.0.48\n10.96.0.200', '10.96.0.5\n10.96.0.200');
  const { code, report } = json(file);
  assert.equal(code, 1);
  assert.deepEqual(ids(report), ['output']);
  assert.deepEqual(report.drifts[0].page, ['10.96.0.5']);
});

test('any other address of the right band passes', (t) => {
  const file = variant(t, '10.96.0.48\n10.96.0.200', '10.96.0.250\n10.96.0.17');
  assert.equal(json(file).code, 0);
});

test('one page address cannot stand for two simulated ones', (t) => {
  const file = variant(t, '10.96.0.48\n10.96.0.200', '10.96.0.48\n10.96.0.48');
  const { code, report } = json(file);
  assert.equal(code, 1);
  assert.deepEqual(ids(report), ['address-mapping']);
});

test('timestamps, uids and resourceVersions compare by shape, not value', (t) => {
  let file = variant(t, 'resourceVersion: "1133"', 'resourceVersion: "7"');
  assert.equal(json(file).code, 0);
  file = variant(t, 'deletionTimestamp: "2023-10-12T15:12:45Z"', 'deletionTimestamp: "1999-01-01T00:00:00Z"');
  assert.equal(json(file).code, 0);
  file = variant(t, 'deletionTimestamp: "2023-10-12T15:12:45Z"', 'deletionTimestamp: "yesterday"');
  assert.deepEqual(ids(json(file).report), ['output']);
  file = variant(t, 'uid: 5ffd8afe-c78f-4e60-ae76-cec448a8af40', 'uid: not-a-uid');
  assert.deepEqual(ids(json(file).report), ['output']);
});

test('--range overrides the page and the result shows it', () => {
  const { code, report } = json(FIXED_JA, '--range', '10.96.0.0/24');
  assert.equal(report.settings.range, '10.96.0.0/24');
  assert.equal(code, 1, 'a /24 cluster does not run out after 12 Services');
});

test('the corrected page passes whatever the seed: random addresses compare by band', () => {
  const seen = new Set();
  for (const seed of ['2', '3', '99']) {
    const { code, report } = json(FIXED_JA, '--seed', seed);
    assert.equal(code, 0, `seed ${seed}: ${JSON.stringify(report.drifts)}`);
    assert.equal(report.settings.seed, Number(seed));
    seen.add(seed);
  }
  assert.equal(seen.size, 3);
});

test('front matter settings are used, and options win over them', (t) => {
  const file = variant(t, 'content_type: task\n', 'content_type: task\nservicecidr-sim:\n  range: 10.96.0.0/24\n  seed: 7\n');
  let { report } = json(file);
  assert.equal(report.settings.range, '10.96.0.0/24');
  assert.equal(report.settings.seed, 7);
  ({ report } = json(file, '--range', '10.96.0.0/28'));
  assert.equal(report.settings.range, '10.96.0.0/28');
});

test('usage errors exit 2', () => {
  assert.equal(checkDocs().code, 2);
  assert.equal(checkDocs('/nonexistent/page.md').code, 2);
  assert.equal(checkDocs(FIXED_JA, '--seed', 'x').code, 2);
  assert.equal(checkDocs(FIXED_JA, '--bogus').code, 2);
});

// The splitter check-docs and the element share: one entry per top-level command, so a
// transcript can pair each command with its output.
test('shell blocks split into top-level commands', async () => {
  const { splitCommands } = await import('../../www/embed/shell.js');
  const texts = (s) => splitCommands(s).map((c) => (c.comment ? `#${c.text}` : c.text));
  assert.deepEqual(texts('kubectl get servicecidr\n\nkubectl get service kubernetes\n'),
    ['kubectl get servicecidr', 'kubectl get service kubernetes']);
  const loop = 'for i in $(seq 1 13); do kubectl create service clusterip "test-$i" --tcp 80 -o json | jq -r .spec.clusterIP; done';
  assert.deepEqual(texts(loop), [loop]);
  const heredoc = 'cat <<EOF | kubectl apply -f -\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nEOF';
  assert.deepEqual(texts(`${heredoc}\necho after`), [heredoc, 'echo after']);
  assert.deepEqual(texts("cat <<'END'\ndone\nfi\nEND\necho x"), ["cat <<'END'\ndone\nfi\nEND", 'echo x']);
  assert.deepEqual(texts('cat <<-EOF\n\tkind: X\n\tEOF\necho x'), ['cat <<-EOF\n\tkind: X\n\tEOF', 'echo x']);
  assert.deepEqual(texts('for i in 1 2\ndo\n  echo $i\ndone\necho done'), ['for i in 1 2\ndo\n  echo $i\ndone', 'echo done']);
  assert.deepEqual(texts('if true; then\n  echo a\nfi'), ['if true; then\n  echo a\nfi']);
  assert.deepEqual(texts('kubectl get svc \\\n  -o wide\necho b'), ['kubectl get svc \\\n  -o wide', 'echo b']);
  assert.deepEqual(texts('echo "one\ntwo"\necho three'), ['echo "one\ntwo"', 'echo three']);
  assert.deepEqual(texts('# a comment\necho "# not one" # trailing'), ['## a comment', 'echo "# not one" # trailing']);
  // `cat <EOF` is not a here-document: a real shell runs the next lines as commands.
  assert.deepEqual(texts('cat <EOF | kubectl apply -f -\nkind: X\nEOF'), ['cat <EOF | kubectl apply -f -', 'kind: X', 'EOF']);
});

test('--version: the English page against 1.37 also drifts on kubectl 1.34+ delete lines', { skip: noReference }, () => {
  const { code, report } = json(EN, '--version', '1.37');
  assert.equal(code, 1);
  assert.equal(report.settings.version, '1.37');
  assert.deepEqual(ids(report).sort(), ['condition-reason', 'last-applied-annotation', 'output']);
  const r = checkDocs(EN, '--version', '1.37');
  assert.match(r.out, /\n {2}\+ service "test-13" deleted from default namespace\n/);
});

test('--version: an unknown release is a usage error naming the modelled ones', { skip: noReference }, () => {
  const r = checkDocs(EN, '--version', '1.28');
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(r.err, /1\.29, 1\.30/);
});
