// `servicecidr-sim apiserver` (pkg/bin, the built package) on a free loopback port, driven by
// plain HTTP and by the real kubectl 1.33 with a fresh discovery cache. Every server is
// started by the test, talks to 127.0.0.1 only, and is stopped (SIGTERM, then SIGKILL after
// a bound) when its test ends.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'pkg', 'bin', 'servicecidr-sim.js');
const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const noKubectl = existsSync(KUBECTL) ? false : `${KUBECTL} is not installed`;

/** A temp dir for one test, removed when it ends. */
function scratch(t) {
  const dir = mkdtempSync(join(tmpdir(), 'servicecidr-sim-apiserver-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts the server; resolves once it printed its URL. */
async function serve(t, args) {
  const child = spawn(process.execPath, [BIN, 'apiserver', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  t.after(async () => {
    clearTimeout(killer);
    child.kill('SIGKILL');
    await exited;
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /serving the Kubernetes API at (http:\/\/\S+)/.exec(out);
      if (m && /export KUBECONFIG=/.test(out)) resolve(m[1]);
    });
    exited.then(({ code }) => reject(new Error(`exited ${code} before listening: ${out}${err}`)));
  });
  const kubeconfig = /^export KUBECONFIG=(\S+)$/m.exec(out)[1];
  /** SIGTERM; resolves to the exit. */
  const stop = () => {
    child.kill('SIGTERM');
    return exited;
  };
  return { url, kubeconfig, stop, stderr: () => err };
}

function kubectl(kubeconfig, cache, ...args) {
  const r = spawnSync(KUBECTL, ['--kubeconfig', kubeconfig, ...args], {
    encoding: 'utf8', timeout: 30_000, env: { ...process.env, KUBECACHEDIR: cache },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('starts, prints its URL and KUBECONFIG, answers /version and /healthz', async (t) => {
  const srv = await serve(t, []);
  assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const version = await fetch(`${srv.url}/version`);
  assert.equal(version.status, 200);
  assert.equal(version.headers.get('cache-control'), 'no-cache, private');
  assert.match((await version.json()).gitVersion, /^v1\.\d+\.\d+$/);
  const health = await fetch(`${srv.url}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(await health.text(), 'ok');
  const kc = JSON.parse(readFileSync(srv.kubeconfig, 'utf8'));
  assert.equal(kc.clusters[0].cluster.server, srv.url);
});

test('the real kubectl 1.33: get servicecidr, create service, get svc -A on a 17-day-old cluster', { skip: noKubectl }, async (t) => {
  const dir = scratch(t);
  const srv = await serve(t, ['--service-cluster-ip-range', '10.96.0.0/28', '--age', '17d', '--seed', '1', '--kubeconfig', join(dir, 'kubeconfig')]);
  const cache = join(dir, 'cache');
  let r = kubectl(srv.kubeconfig, cache, 'get', 'servicecidr');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   17d\n');
  r = kubectl(srv.kubeconfig, cache, 'create', 'service', 'clusterip', 'test-1', '--tcp', '80');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'service/test-1 created\n');
  r = kubectl(srv.kubeconfig, cache, 'get', 'svc', '-A');
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trimEnd().split('\n');
  assert.match(lines[0], /^NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
  assert.match(lines[1], /^default\s+kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+17d$/);
  assert.match(lines[2], /^default\s+test-1\s+ClusterIP\s+10\.96\.0\.\d+\s+<none>\s+80\/TCP\s+\d+s$/);
  assert.match(lines[3], /^kube-system\s+kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP\s+17d$/);
  // The range /28 holds 14 addresses: kubernetes, kube-dns, test-1 and 11 more, then full.
  for (let i = 2; i <= 12; i++) {
    r = kubectl(srv.kubeconfig, cache, 'create', 'service', 'clusterip', `test-${i}`, '--tcp', '80');
    assert.equal(r.code, 0, r.err);
  }
  r = kubectl(srv.kubeconfig, cache, 'create', 'service', 'clusterip', 'test-13', '--tcp', '80');
  assert.equal(r.code, 1);
  assert.equal(r.err, 'error: failed to create ClusterIP service: Internal error occurred: failed to allocate a serviceIP: range is full\n');
});

test('--token: requests without the bearer token get 401; health stays public; the kubeconfig carries it', async (t) => {
  const dir = scratch(t);
  const srv = await serve(t, ['--token', 's3cret', '--kubeconfig', join(dir, 'kubeconfig')]);
  const denied = await fetch(`${srv.url}/api/v1/services`);
  assert.equal(denied.status, 401);
  assert.equal((await denied.json()).reason, 'Unauthorized');
  const wrong = await fetch(`${srv.url}/healthz`, { headers: { Authorization: 'Bearer nope' } });
  assert.equal(wrong.status, 401);
  assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
  const ok = await fetch(`${srv.url}/api/v1/services`, { headers: { Authorization: 'Bearer s3cret' } });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).kind, 'ServiceList');
  assert.equal(JSON.parse(readFileSync(srv.kubeconfig, 'utf8')).users[0].user.token, 's3cret');
  // kubectl itself sends credentials only over TLS (clientcmd reads a user's auth info only
  // for a TLS transport), so over this plain-HTTP server it is refused: documented in
  // docs/DESIGN-NOTES.md; curl and the client libraries send the header.
  if (!noKubectl) {
    const r = kubectl(srv.kubeconfig, join(dir, 'cache'), 'get', 'service', 'kubernetes', '-o', 'name');
    assert.equal(r.code, 1);
    assert.match(r.err, /You must be logged in to the server/);
  }
});

test('a non-loopback --bind without --token is refused with a reason', () => {
  const r = spawnSync(process.execPath, [BIN, 'apiserver', '--port', '0', '--bind', '0.0.0.0'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--bind 0\.0\.0\.0 is not a loopback address.*--token/s);
});

test('SIGTERM saves --state; a restart restores it', async (t) => {
  const dir = scratch(t);
  const state = join(dir, 'state.json');
  const post = (url, obj) => fetch(`${url}/api/v1/namespaces/default/services`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(obj),
  });
  const first = await serve(t, ['--state', state, '--service-cluster-ip-range', '10.96.0.0/24']);
  const created = await post(first.url, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'keep' }, spec: { ports: [{ port: 80 }] } });
  assert.equal(created.status, 201);
  const ip = (await created.json()).spec.clusterIP;
  const { code } = await first.stop();
  assert.equal(code, 0, first.stderr());
  assert.ok(existsSync(state), 'state saved');
  const second = await serve(t, ['--state', state]);
  const got = await fetch(`${second.url}/api/v1/namespaces/default/services/keep`);
  assert.equal(got.status, 200);
  assert.equal((await got.json()).spec.clusterIP, ip);
  const sc = await (await fetch(`${second.url}/apis/networking.k8s.io/v1/servicecidrs/kubernetes`)).json();
  assert.deepEqual(sc.spec.cidrs, ['10.96.0.0/24'], 'the restored cluster keeps its own range');
});

/** Reads a chunked watch stream line by line until `until(event)` holds. */
function watchUntil(url, until, timeoutMs) {
  return new Promise((resolve, reject) => {
    const events = [];
    const req = http.get(url, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        buf += d;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const ev = JSON.parse(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          events.push(ev);
          if (until(ev)) {
            req.destroy();
            resolve(events);
          }
        }
      });
    });
    req.on('error', (e) => { if (!req.destroyed) reject(e); });
    setTimeout(() => { req.destroy(); reject(new Error(`no matching event in ${timeoutMs} ms: ${JSON.stringify(events)}`)); }, timeoutMs).unref();
  });
}

test('a watch stays open and receives DELETED when another request deletes the object', async (t) => {
  const srv = await serve(t, []);
  const svc = (name) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }] } });
  const base = `${srv.url}/api/v1/namespaces/default/services`;
  assert.equal((await fetch(base, { method: 'POST', body: JSON.stringify(svc('w')), headers: { 'Content-Type': 'application/json' } })).status, 201);
  const list = await (await fetch(`${base}?fieldSelector=metadata.name%3Dw`)).json();
  const seen = watchUntil(`${base}?watch=true&fieldSelector=metadata.name%3Dw&resourceVersion=${list.metadata.resourceVersion}`, (e) => e.type === 'DELETED', 10_000);
  // The watch is open before the delete arrives.
  await new Promise((r) => setTimeout(r, 300));
  const del = await fetch(`${base}/w`, { method: 'DELETE' });
  assert.equal(del.status, 200);
  const events = await seen;
  const deleted = events.at(-1);
  assert.equal(deleted.type, 'DELETED');
  assert.equal(deleted.object.metadata.name, 'w');
});

test('timers fire in real time: a deleted ServiceCIDR with no IPs goes after the 10 s grace, no request needed', async (t) => {
  const srv = await serve(t, ['--service-cluster-ip-range', '10.96.0.0/24']);
  const base = `${srv.url}/apis/networking.k8s.io/v1/servicecidrs`;
  const created = await fetch(base, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name: 'spare' }, spec: { cidrs: ['10.100.0.0/24'] } }),
  });
  assert.equal(created.status, 201);
  const rv = (await created.json()).metadata.resourceVersion;
  // Watch from the create on; then delete, and only listen.
  const gone = watchUntil(`${base}?watch=true&fieldSelector=metadata.name%3Dspare&resourceVersion=${rv}`, (e) => e.type === 'DELETED', 20_000);
  await new Promise((r) => setTimeout(r, 200));
  const started = Date.now();
  const del = await fetch(`${base}/spare`, { method: 'DELETE' });
  assert.equal(del.status, 200);
  assert.ok((await del.json()).metadata.deletionTimestamp, 'the finalizer holds it at first');
  const events = await gone;
  const waited = Date.now() - started;
  assert.equal(events.at(-1).type, 'DELETED');
  assert.ok(waited >= 9_000 && waited < 16_000, `deleted after ${waited} ms (the 10 s grace)`);
  assert.equal((await fetch(`${base}/spare`)).status, 404);
});

test('bodies above 3 MiB get 413 and the server keeps serving; garbage does not crash it', async (t) => {
  const srv = await serve(t, []);
  const big = await fetch(`${srv.url}/api/v1/namespaces/default/services`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'x'.repeat(3 * 1024 * 1024 + 10),
  });
  assert.equal(big.status, 413);
  const bad = await fetch(`${srv.url}/api/v1/namespaces/default/services`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"kind":',
  });
  assert.equal(bad.status, 400);
  const proto = await fetch(`${srv.url}/api/v1/namespaces/default/services`, {
    method: 'POST', headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' }, body: new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff]),
  });
  assert.ok(proto.status >= 400 && proto.status < 500, `truncated protobuf: ${proto.status}`);
  assert.equal((await fetch(`${srv.url}/no/such/path`)).status, 404);
  assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
});

/** The pkg's Cluster, to build exports the way a user's kubectl prints them. */
const { Cluster } = createRequire(import.meta.url)(join(ROOT, 'pkg', 'node', 'servicecidr_sim.js'));

test('--import FILE serves exactly the export, reports counts and skipped objects on stderr, and starts kube-apiserver on it', async (t) => {
  const dir = scratch(t);
  const src = new Cluster({ serviceClusterIPRange: '10.96.0.0/24', seed: 3, now: '2026-11-01T08:00:00Z' });
  for (const ns of ['default', 'kube-system']) {
    src.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { ports: [{ port: 80 }] } });
  }
  const exported = JSON.parse(src.kubectl('get services,servicecidrs,ipaddresses -A -o json').stdout);
  // A leaked IPAddress: the Service of kube-system/web went away while the apiserver was down.
  exported.items = exported.items.filter((o) => !(o.kind === 'Service' && o.metadata.namespace === 'kube-system' && o.metadata.name === 'web'));
  exported.items.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' } });
  const file = join(dir, 'export.json');
  writeFileSync(file, JSON.stringify(exported));
  const srv = await serve(t, ['--import', file, '--service-cluster-ip-range', '10.96.0.0/24', '--now', '2026-11-02T08:00:00Z']);
  const err = srv.stderr();
  assert.match(err, new RegExp(`imported ${file.replace(/[.]/g, '\\.')}: 3 Services, 1 ServiceCIDRs, 4 IPAddresses, 0 other objects \\(resourceVersion \\d+\\); skipped 1\\n`));
  assert.match(err, /\n {2}skipped v1 Pod default\/p: .+\n/);
  assert.match(err, /kube-apiserver kube-apiserver --service-cluster-ip-range=10\.96\.0\.0\/24 \(Kubernetes [\d.]+\): Running\n/);
  const web = await (await fetch(`${srv.url}/api/v1/namespaces/default/services/web`)).json();
  assert.deepEqual(web, exported.items.find((o) => o.kind === 'Service' && o.metadata.name === 'web'));
  // The first repair pass ran at start: the leaked IPAddress is reported (upstream's reason).
  const events = await (await fetch(`${srv.url}/apis/events.k8s.io/v1/events`)).json();
  assert.ok(events.items.some((e) => e.reason === 'IPAddressNotAllocated'), JSON.stringify(events.items.map((e) => e.reason)));
});

test('--import refuses an existing --state, --age and a missing file, with the reason', async (t) => {
  const dir = scratch(t);
  const state = join(dir, 'state.json');
  writeFileSync(state, '{}');
  const file = join(dir, 'export.json');
  writeFileSync(file, '{"kind":"List","apiVersion":"v1","items":[]}');
  const run = (...args) => spawnSync(process.execPath, [BIN, 'apiserver', '--port', '0', ...args], { encoding: 'utf8', timeout: 30_000 });
  const both = run('--import', file, '--state', state);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /--import builds the cluster from .*export\.json, and --state .*state\.json already holds one/);
  assert.match(run('--import', file, '--age', '17d').stderr, /an --import keeps its objects' own timestamps/);
  assert.match(run('--import', join(dir, 'none.json')).stderr, /--import .*none\.json: no such file/);
  assert.match(run('--import', state).stderr, /^apiserver: /);
});

test('restarting the process with --state and new flags is kube-apiserver restarting: single to dual-stack', async (t) => {
  const dir = scratch(t);
  const state = join(dir, 'state.json');
  const first = await serve(t, ['--state', state, '--service-cluster-ip-range', '10.96.0.0/24', '--seed', '2']);
  const created = await fetch(`${first.url}/api/v1/namespaces/default/services`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'keep' }, spec: { ports: [{ port: 80 }] } }),
  });
  const ip = (await created.json()).spec.clusterIP;
  assert.equal((await first.stop()).code, 0);
  const second = await serve(t, ['--state', state, '--service-cluster-ip-range', '10.96.0.0/24,fd00::/120']);
  assert.match(second.stderr(), /kube-apiserver kube-apiserver --service-cluster-ip-range=10\.96\.0\.0\/24,fd00::\/120 \(Kubernetes [\d.]+\): Running/);
  const sc = await (await fetch(`${second.url}/apis/networking.k8s.io/v1/servicecidrs/kubernetes`)).json();
  assert.deepEqual(sc.spec.cidrs, ['10.96.0.0/24', 'fd00::/120'], 'reference §5.1: the default ServiceCIDR is upgraded');
  const keep = await (await fetch(`${second.url}/api/v1/namespaces/default/services/keep`)).json();
  assert.equal(keep.spec.clusterIP, ip);
  assert.equal((await second.stop()).code, 0);
  // Flags kube-apiserver refuses: the process does not start, the saved state is untouched.
  const before = readFileSync(state, 'utf8');
  const bad = spawnSync(process.execPath, [BIN, 'apiserver', '--port', '0', '--state', state, '--service-cluster-ip-range', 'nope'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /apiserver: service-cluster-ip-range\[0\] is not a valid cidr/);
  assert.equal(readFileSync(state, 'utf8'), before);
});

test('/simulator/v1/apiservers: list, start a second instance, restart and stop by name; errors are Status objects', async (t) => {
  const srv = await serve(t, ['--service-cluster-ip-range', '10.96.0.0/24', '--seed', '4']);
  const call = async (method, path, body) => {
    const r = await fetch(`${srv.url}/simulator/v1/${path}`, {
      method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    assert.equal(r.headers.get('content-type'), 'application/json');
    return { status: r.status, body: await r.json() };
  };
  const names = (l) => l.items.map((a) => `${a.name} ${a.serviceClusterIPRange} ${a.state}`);
  assert.deepEqual(names((await call('GET', 'apiservers')).body), ['kube-apiserver 10.96.0.0/24 Running']);
  const started = await call('POST', 'apiservers', { name: 'new', serviceClusterIPRange: '10.97.0.0/24' });
  assert.equal(started.status, 201);
  assert.equal(started.body.state, 'Running');
  assert.equal((await call('GET', 'apiservers/new')).body.serviceClusterIPRange, '10.97.0.0/24');
  const stopped = await call('DELETE', 'apiservers/kube-apiserver');
  assert.deepEqual(names(stopped.body), ['new 10.97.0.0/24 Running', 'kube-apiserver 10.96.0.0/24 Stopped']);
  const restarted = await call('POST', 'apiservers/new/restart', { serviceClusterIPRange: '10.97.0.0/24,fd00::/120' });
  assert.equal(restarted.status, 200);
  assert.equal(restarted.body.serviceClusterIPRange, '10.97.0.0/24,fd00::/120');
  const status = (code, reason, message) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  const errors = [
    [await call('DELETE', 'apiservers/new'), 400, 'BadRequest', /is the only running instance/],
    [await call('DELETE', 'apiservers/ghost'), 404, 'NotFound', /ghost/],
    [await call('POST', 'apiservers/kube-apiserver/restart', { serviceClusterIPRange: '10.96.0.0/24' }), 400, 'BadRequest', /only the serving kube-apiserver \(new\) restarts/],
    [await call('POST', 'apiservers/new/restart', { serviceClusterIPRange: 'nope' }), 400, 'BadRequest', /not a valid cidr/],
    [await call('POST', 'apiservers', { serviceClusterIPRange: '10.98.0.0/24' }), 400, 'BadRequest', /name is required/],
    [await call('POST', 'apiservers', '{'), 400, 'BadRequest', /not JSON/],
    [await call('PUT', 'apiservers'), 405, 'MethodNotAllowed', /PUT/],
    [await call('GET', 'things'), 404, 'NotFound', /\/simulator\/v1\/things/],
    [await call('GET', 'apiservers/%E0%A4%A'), 404, 'NotFound', /%E0%A4%A/],
  ];
  for (const [got, code, reason, message] of errors) {
    assert.equal(got.status, code, JSON.stringify(got.body));
    assert.match(got.body.message, message);
    assert.deepEqual(got.body, status(code, reason, got.body.message));
  }
  // Nothing a refused call touched changed.
  assert.deepEqual(names((await call('GET', 'apiservers')).body), ['new 10.97.0.0/24,fd00::/120 Running', 'kube-apiserver 10.96.0.0/24 Stopped']);
});

test('/simulator/v1/plan and /plan/steps: a replace-primary plan computed and executed over HTTP ends where it said', async (t) => {
  const srv = await serve(t, ['--service-cluster-ip-range', '10.96.0.0/24', '--seed', '5']);
  const post = async (path, body) => {
    const r = await fetch(`${srv.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, body: await r.json() };
  };
  for (const name of ['a', 'b', 'c']) {
    assert.equal((await post('/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }] } })).status, 201);
  }
  const plan = await post('/simulator/v1/plan', { serviceClusterIPRange: '10.100.0.0/24' });
  assert.equal(plan.status, 200);
  assert.equal(plan.body.category, 'replacePrimary');
  for (const step of plan.body.steps) {
    const r = await post('/simulator/v1/plan/steps', step);
    assert.equal(r.status, 200, `${step.description}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.kind, 'WatchEventList');
    if (step.action === 'createServiceCidr') assert.ok(r.body.items.some((e) => e.type === 'ADDED' && e.object.metadata.name === step.name));
  }
  const services = await (await fetch(`${srv.url}/api/v1/services`)).json();
  for (const s of services.items) assert.match(s.spec.clusterIP, /^10\.100\.0\./, s.metadata.name);
  const sc = await (await fetch(`${srv.url}/apis/networking.k8s.io/v1/servicecidrs/kubernetes`)).json();
  assert.deepEqual(sc.spec.cidrs, ['10.100.0.0/24']);
  const bad = await post('/simulator/v1/plan/steps', { action: 'reboot', description: '', command: '' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.kind, 'Status');
});

test('--import with a policy that forbids IPAddress writes: the first repair pass fails and the start fails with upstream\'s message (kubernetes#136288)', async (t) => {
  const dir = scratch(t);
  const src = new Cluster({ serviceClusterIPRange: '10.96.0.0/24', seed: 3, now: '2026-11-01T08:00:00Z' });
  src.setPolicyEvaluator(createRequire(import.meta.url)(join(ROOT, 'pkg', 'cel', 'node', 'servicecidr_admission_wasm.js')));
  src.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
  src.create({
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'freeze-ipaddresses' },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['*'], operations: ['CREATE'], resources: ['ipaddresses'] }] },
      validations: [{ expression: 'false', message: 'IPAddresses are frozen' }],
    },
  });
  src.create({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'freeze-ipaddresses' }, spec: { policyName: 'freeze-ipaddresses', validationActions: ['Deny'] } });
  const e = JSON.parse(src.kubectl('get services,servicecidrs,ipaddresses,validatingadmissionpolicies,validatingadmissionpolicybindings -A -o json').stdout);
  // web's IPAddress is missing: the first pass must create it, and the policy refuses.
  const ip = e.items.find((o) => o.kind === 'Service' && o.metadata.name === 'web').spec.clusterIP;
  e.items = e.items.filter((o) => !(o.kind === 'IPAddress' && o.metadata.name === ip));
  const file = join(dir, 'export.json');
  writeFileSync(file, JSON.stringify(e));
  const srv = await serve(t, ['--import', file, '--service-cluster-ip-range', '10.96.0.0/24', '--now', '2026-11-02T08:00:00Z']);
  assert.match(srv.stderr(), /2 other objects .*\nkube-apiserver kube-apiserver --service-cluster-ip-range=10\.96\.0\.0\/24 \(Kubernetes [\d.]+\) failed to start: PostStartHook "start-service-ip-repair-controllers" failed: unable to perform initial IP and Port allocation check\n/);
  const list = await (await fetch(`${srv.url}/simulator/v1/apiservers`)).json();
  assert.deepEqual(list.items.map((a) => a.state), ['Failed']);
});
