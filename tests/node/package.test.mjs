// The npm package as a user gets it: `npm pack` of the built pkg/, installed offline (it has
// no dependencies) into an empty project in a temp dir, then every entry point used from
// there — require and import of the Node build, the web build, the <servicecidr-example>
// element, and the servicecidr-sim command (check-docs, apiserver) through npx.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGE = join(ROOT, 'tests', 'fixtures', 'extend-service-ip-ranges.ja.fixed.md');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let tmp; // the temp dir this file made (removed after), never anything above it
let dir; // the user's project inside it
test.before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'servicecidr-sim-pack-'));
  const packed = join(tmp, 'packed');
  mkdirSync(packed);
  execFileSync(NPM, ['pack', join(ROOT, 'pkg'), '--pack-destination', packed, '--silent'], { stdio: 'pipe', timeout: 60_000, cwd: tmp });
  const tarball = join(packed, readdirSync(packed).find((f) => f.endsWith('.tgz')));
  const project = join(tmp, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "name": "user-project", "private": true }\n');
  execFileSync(NPM, ['install', '--offline', '--no-audit', '--no-fund', '--silent', tarball], { cwd: project, stdio: 'pipe', timeout: 120_000 });
  dir = project;
});
test.after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Runs a script file in the project (so 'servicecidr-sim' resolves from its node_modules). */
function node(file, source) {
  writeFileSync(join(dir, file), source);
  const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${file}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

const RUN = `
const c = new Cluster({ serviceClusterIPRange: '10.96.0.0/28', seed: 1, now: '2024-01-01T00:00:00Z' });
console.log(c.kubectl('get servicecidr').stdout.split('\\n')[1]);`;

test('require(): the Node build, ready on load', () => {
  const out = node('require.cjs', `const { Cluster } = require('servicecidr-sim');${RUN}`);
  assert.match(out, /^kubernetes\s+10\.96\.0\.0\/28\s+0s$/m);
});

test('import: the Node build from an ES module', () => {
  const out = node('import.mjs', `import { Cluster } from 'servicecidr-sim';${RUN}`);
  assert.match(out, /^kubernetes\s+10\.96\.0\.0\/28/m);
});

test("'servicecidr-sim/web': the browser build, initialised from the packaged .wasm", () => {
  const out = node('web.mjs', `
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import init, { Cluster } from 'servicecidr-sim/web';
await init({ module_or_path: readFileSync(fileURLToPath(import.meta.resolve('servicecidr-sim/web/servicecidr_sim_bg.wasm'))) });
${RUN}`);
  assert.match(out, /^kubernetes\s+10\.96\.0\.0\/28/m);
});

test("'servicecidr-sim/embed': the element loads the package's web build beside it, nothing else", () => {
  // A browser's globals, as far as the module touches them at load; fetch serves file: URLs
  // (a CDN would serve the same relative paths of the package).
  const out = node('embed.mjs', `
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const defined = [];
globalThis.HTMLElement = class {};
globalThis.customElements = { get: () => undefined, define: (name) => defined.push(name) };
globalThis.fetch = async (url) => new Response(readFileSync(fileURLToPath(url)), { headers: { 'Content-Type': 'application/wasm' } });
const embed = await import('servicecidr-sim/embed');
console.log('defined', defined.join(','));
const { Cluster } = await embed.loadSimulator();
${RUN}`);
  assert.match(out, /^defined servicecidr-example$/m);
  assert.match(out, /^kubernetes\s+10\.96\.0\.0\/28/m);
});

test("'servicecidr-sim/embed': the CEL module is found beside the web build (../cel/web/), as a CDN copy serves it", () => {
  const out = node('embed-cel.mjs', `
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
globalThis.HTMLElement = class {};
globalThis.customElements = { get: () => undefined, define: () => {} };
const fetched = [];
globalThis.fetch = async (url) => {
  fetched.push(String(url).split('node_modules/').pop());
  return new Response(readFileSync(fileURLToPath(url)), { headers: { 'Content-Type': 'application/wasm' } });
};
const embed = await import('servicecidr-sim/embed');
const { Cluster } = await embed.loadSimulator();
const cel = await embed.loadPolicyEvaluator();
console.log('fetched', fetched.join(' '));
const c = new Cluster({ serviceClusterIPRange: '10.96.0.0/12', seed: 1, now: '2024-01-01T00:00:00Z' });
c.setPolicyEvaluator(cel);
const policy = readFileSync(${JSON.stringify(fileURLToPath(new URL('../../crates/admission/tests/data/vap-servicecidr-default.yaml', import.meta.url)))}, 'utf8');
console.log(c.kubectl('apply -f -', policy).stdout.trim().split('\\n').length, 'applied');
const o = c.kubectl('apply -f -', 'apiVersion: networking.k8s.io/v1\\nkind: ServiceCIDR\\nmetadata:\\n  name: outside\\nspec:\\n  cidrs: [172.20.0.0/16]\\n');
console.log(o.stderr.trim());`);
  assert.match(out, /^fetched servicecidr-sim\/web\/servicecidr_sim_bg\.wasm servicecidr-sim\/cel\/web\/servicecidr_admission_wasm_bg\.wasm$/m);
  assert.match(out, /^2 applied$/m);
  assert.match(out, /^The servicecidrs "outside" is invalid: : ValidatingAdmissionPolicy 'servicecidrs.default' with binding 'servicecidrs-default-binding' denied request: failed expression: /m);
});

test('npx servicecidr-sim check-docs PAGE.md', () => {
  const r = spawnSync('npx', ['--offline', 'servicecidr-sim', 'check-docs', PAGE], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /OK \(10 shell block\(s\), 10 command\(s\) run, 10 output block\(s\) compared\)/);
});

test('npx servicecidr-sim: usage, and unknown commands fail', () => {
  const help = spawnSync('npx', ['--offline', 'servicecidr-sim', '--help'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /apiserver/);
  assert.match(help.stdout, /check-docs/);
  const bad = spawnSync('npx', ['--offline', 'servicecidr-sim', 'frobnicate'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command 'frobnicate'/);
});

test('npx servicecidr-sim apiserver --port 0: serves /version and /healthz', async () => {
  // Its own process group: npx runs the server as a child of its own, and both must stop.
  const child = spawn('npx', ['--offline', 'servicecidr-sim', 'apiserver', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const group = (signal) => { try { process.kill(-child.pid, signal); } catch { /* already gone */ } };
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const killer = setTimeout(() => group('SIGKILL'), 30_000);
  try {
    let out = '';
    const url = await new Promise((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /serving the Kubernetes API at (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      exited.then((code) => reject(new Error(`exited ${code} before listening: ${out}`)));
    });
    const version = await fetch(`${url}/version`);
    assert.equal(version.status, 200);
    assert.match((await version.json()).gitVersion, /^v1\.\d+\.\d+/);
    assert.equal(await (await fetch(`${url}/healthz`)).text(), 'ok');
  } finally {
    clearTimeout(killer);
    group('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    group('SIGKILL');
    child.stdout.destroy();
    child.stderr.destroy();
  }
});
