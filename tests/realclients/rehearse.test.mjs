// Issue #15 over HTTP with the REAL kubectl 1.33 and real bash: the seven illustrative steps
// of "Kubernetes Default Service CIDR Reconfiguration" (step 6 through the simulator's
// /simulator/v1/apiservers endpoint, by curl, as the README documents it), checked against
// the watch streams; and `servicecidr-sim apiserver --import` of a realistic export, read
// back by kubectl with the first repair pass's events. One server per scenario, killed by PID.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { KUBECTLS, ROOT, haveKubectl, startServer, bash } from './harness.mjs';
import { ipsHeldTwice } from '../node/held-once.mjs';

const KUBECTL = KUBECTLS['1.33'];
const skip = !haveKubectl(KUBECTL) && `${KUBECTL} missing`;
const NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const { Cluster } = createRequire(import.meta.url)(path.join(ROOT, 'pkg/node/servicecidr_sim.js'));

/** Runs a script that must succeed; answers its stdout. */
function run(script, env, what = script) {
  const r = bash(script, env);
  assert.deepEqual([r.code, r.stderr, r.timedOut], [0, '', false], `${what}\n${r.stdout}`);
  return r.stdout;
}

/** Every event of a watch from `rv` until its timeout, as real kubectl --raw prints the stream. */
function watchFrom(env, apiPath, rv) {
  const out = run(`kubectl get --raw '${apiPath}?watch=true&resourceVersion=${rv}&timeoutSeconds=1'`, env);
  return out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

test('the seven illustrative steps with real kubectl 1.33 and curl: all Services move, the old ServiceCIDR goes, no IP held twice', { skip, timeout: 120_000 }, async () => {
  const srv = await startServer(['--service-cluster-ip-range', '10.96.0.0/24', '--version', '1.33', '--seed', '1']);
  try {
    const env = srv.env(KUBECTL);
    // 1. The kube-apiserver runs with the initial range. What exists before step 2 seeds the history.
    // (--raw: the server's List carries its resourceVersion; kubectl's -o json List does not.)
    const start = JSON.parse(run('kubectl get --raw /api/v1/services', env));
    const startIPs = JSON.parse(run('kubectl get --raw /apis/networking.k8s.io/v1/ipaddresses', env));
    const rv0 = start.metadata.resourceVersion;
    assert.equal(startIPs.metadata.resourceVersion, rv0);
    const oldUid = run("kubectl get servicecidr kubernetes -o jsonpath='{.metadata.uid}'", env);
    assert.match(oldUid, /^[0-9a-f-]{36}$/);
    // 2. Services in four namespaces take IPs from it.
    const services = Array.from({ length: 36 }, (_, i) => ({
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: `app-${i}`, namespace: NAMESPACES[i % 4] },
      spec: { ports: [{ port: 80 }], selector: { app: `app-${i}` } },
    }));
    // A stream of objects, not a List: kubectl validates a List against /openapi/v2, which
    // this server does not serve (DESIGN-NOTES, "Real clients").
    fs.writeFileSync(path.join(srv.dir, 'services.json'), services.map((s) => JSON.stringify(s)).join('\n'));
    assert.equal(run('kubectl create -f services.json', env).split('\n').filter(Boolean).length, 36);
    // 3. A new ServiceCIDR as the temporary target.
    assert.equal(run(`kubectl create -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: new-cidr
spec:
  cidrs:
  - 10.97.0.0/24
EOF`, env), 'servicecidr.networking.k8s.io/new-cidr created\n');
    // 4. Mark `kubernetes` for deletion: it stays, terminating, while IPs are in it.
    assert.equal(run('kubectl delete servicecidr kubernetes --wait=false', env), 'servicecidr.networking.k8s.io "kubernetes" deleted\n');
    assert.match(run("kubectl get servicecidr kubernetes -o jsonpath='{.metadata.deletionTimestamp}'", env), /^\d{4}-/);
    // 5. Recreate every Service but kubernetes.default: they land in the new range.
    run(`kubectl get services -A -o json | jq '.items[] | select((.metadata.namespace == "default" and .metadata.name == "kubernetes") | not)
      | del(.metadata.uid, .metadata.resourceVersion, .metadata.creationTimestamp, .spec.clusterIP, .spec.clusterIPs)' > recreate.json
      kubectl delete -f recreate.json >/dev/null && kubectl create -f recreate.json >/dev/null`, env);
    const moved = JSON.parse(run('kubectl get services -A -o json', env)).items;
    assert.equal(moved.length, 38, '36, kube-dns and kubernetes');
    for (const s of moved.filter((x) => x.metadata.name !== 'kubernetes')) assert.match(s.spec.clusterIP, /^10\.97\.0\./, s.metadata.name);
    // 6. A kube-apiserver with the new flags beside the old one, then the old one stops.
    const api = `URL=$(kubectl config view -o jsonpath='{.clusters[0].cluster.server}')\n`;
    const started = JSON.parse(run(`${api}curl -sf -X POST "$URL/simulator/v1/apiservers" -H 'Content-Type: application/json' -d '{"name":"kube-apiserver-new","serviceClusterIPRange":"10.97.0.0/24"}'`, env));
    assert.deepEqual([started.name, started.serviceClusterIPRange, started.state], ['kube-apiserver-new', '10.97.0.0/24', 'Running']);
    const left = JSON.parse(run(`${api}curl -sf -X DELETE "$URL/simulator/v1/apiservers/kube-apiserver"`, env));
    assert.deepEqual(left.items.map((a) => `${a.name} ${a.state}`), ['kube-apiserver-new Running', 'kube-apiserver Stopped']);
    // 7. Delete kubernetes.default: the new kube-apiserver recreates it in the new range. The
    // old ServiceCIDR loses its last IP and goes (10 s after step 4's delete, the
    // controller's grace); the new apiserver then creates `kubernetes` from its flags.
    assert.equal(run('kubectl delete service kubernetes', env), 'service "kubernetes" deleted\n');
    run(`for i in $(seq 1 60); do
      uid=$(kubectl get servicecidr kubernetes -o jsonpath='{.metadata.uid}' 2>/dev/null)
      [ -n "$uid" ] && [ "$uid" != "${oldUid}" ] && exit 0
      sleep 0.5
    done; exit 1`, env, 'the old `kubernetes` ServiceCIDR is replaced within 30 s');
    const after = JSON.parse(run('kubectl get services -A -o json', env)).items;
    assert.equal(after.length, 38);
    for (const s of after) assert.ok(s.spec.clusterIPs.every((ip) => ip.startsWith('10.97.0.')), `${s.metadata.name} ${s.spec.clusterIPs}`);
    assert.equal(run("kubectl get service kubernetes -o jsonpath='{.spec.clusterIP}'", env), '10.97.0.1');
    const cidr = JSON.parse(run('kubectl get servicecidr kubernetes -o json', env));
    assert.notEqual(cidr.metadata.uid, oldUid);
    assert.deepEqual(cidr.spec.cidrs, ['10.97.0.0/24']);
    assert.equal(run("kubectl get ipaddresses -o json | jq '[.items[].metadata.name | select(startswith(\"10.96.\"))] | length'", env), '0\n');
    // The watch streams from before step 2: the old ServiceCIDR was DELETED, and at no
    // resourceVersion did two Services, or an IPAddress and another Service, share an IP.
    const cidrEvents = watchFrom(env, '/apis/networking.k8s.io/v1/servicecidrs', rv0);
    assert.ok(cidrEvents.some((e) => e.type === 'DELETED' && e.object.metadata.uid === oldUid), JSON.stringify(cidrEvents.map((e) => e.type)));
    const seed = [...start.items.map((o) => ({ ...o, kind: 'Service' })), ...startIPs.items.map((o) => ({ ...o, kind: 'IPAddress' }))]
      .map((object) => ({ type: 'ADDED', object }));
    const stream = [...watchFrom(env, '/api/v1/services', rv0), ...watchFrom(env, '/apis/networking.k8s.io/v1/ipaddresses', rv0)]
      .sort((a, b) => Number(a.object.metadata.resourceVersion) - Number(b.object.metadata.resourceVersion));
    const { problems, checked } = ipsHeldTwice([...seed, ...stream]);
    assert.deepEqual(problems, []);
    assert.ok(checked > 4 * 38, `the streams hold every change (${checked})`);
  } finally {
    await srv.stop();
  }
});

/**
 * A realistic export (tests/rehearse_import.rs's shape): 212 Services over four namespaces
 * and four ServiceCIDRs, one terminating, printed by kubectl a day before the import; then
 * edited into what a real cluster can hold: a leaked IPAddress (its Service went while the
 * apiserver was down), a Service IP without IPAddress, a Service IP in no ServiceCIDR.
 */
function realisticExport() {
  const c = new Cluster({ serviceClusterIPRange: '10.96.0.0/20', seed: 15, now: '2026-11-01T08:00:00Z', version: '1.33' });
  for (const [name, cidr] of [['extra-a', '10.100.0.0/24'], ['extra-b', '10.101.0.0/25'], ['old-range', '10.102.0.0/28']]) {
    c.create({ apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name }, spec: { cidrs: [cidr] } });
  }
  c.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy', namespace: 'default' }, spec: { clusterIP: '10.102.0.5', ports: [{ port: 443 }] } });
  // Pinned ones first, so dynamic picks cannot take their addresses.
  const pinned = (i) => i % 3 === 1 || (i % 3 === 2 && i < 150);
  const all = Array.from({ length: 210 }, (_, i) => i);
  for (const i of [...all.filter(pinned), ...all.filter((i) => !pinned(i))]) {
    const name = `app-${String(i).padStart(3, '0')}`;
    const spec = { ports: [{ port: 80, targetPort: 8080 }], selector: { app: name } };
    if (i % 3 === 1) spec.clusterIP = `10.100.0.${10 + Math.floor(i / 3)}`;
    else if (i % 3 === 2 && i < 150) spec.clusterIP = `10.101.0.${10 + Math.floor(i / 3)}`;
    c.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NAMESPACES[i % 4], labels: { app: name } }, spec });
  }
  c.delete('servicecidrs', 'old-range');
  c.advance(60);
  const e = JSON.parse(c.kubectl('get services,servicecidrs,ipaddresses -A -o json').stdout);
  const find = (kind, ns, name) => e.items.find((o) => o.kind === kind && (o.metadata.namespace ?? '') === ns && o.metadata.name === name);
  const gone = find('Service', 'kube-public', 'app-002');
  const leakedIP = gone.spec.clusterIP;
  e.items = e.items.filter((o) => o !== gone);
  const missingIP = find('Service', 'default', 'app-004').spec.clusterIP;
  e.items = e.items.filter((o) => !(o.kind === 'IPAddress' && o.metadata.name === missingIP));
  const outside = structuredClone(find('Service', 'kube-system', 'app-001'));
  outside.metadata.name = 'outside';
  outside.metadata.uid = '0c3f7d0e-15aa-4c3e-9a4e-000000000015';
  outside.spec.clusterIP = '10.200.0.7';
  outside.spec.clusterIPs = ['10.200.0.7'];
  e.items.push(outside);
  return { e, leakedIP, missingIP };
}

const order = { Service: 0, ServiceCIDR: 1, IPAddress: 2 };
const byKey = (a, b) => {
  const k = (o) => [order[o.kind], o.metadata.namespace ?? '', o.metadata.name].join('\u0000');
  return k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0;
};

test('--import of a realistic export: real kubectl 1.33 reads it back exactly, and the first repair pass emits upstream\'s events', { skip, timeout: 120_000 }, async () => {
  const { e, leakedIP, missingIP } = realisticExport();
  assert.ok(e.items.filter((o) => o.kind === 'Service').length >= 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realclients-import-'));
  const file = path.join(dir, 'export.json');
  fs.writeFileSync(file, JSON.stringify(e, null, 2));
  let srv;
  try {
    srv = await startServer(['--import', file, '--service-cluster-ip-range', '10.96.0.0/20', '--version', '1.33', '--now', '2026-11-02T08:00:00Z', '--seed', '15']);
    const env = srv.env(KUBECTL);
    assert.match(srv.stderr(), /imported .*export\.json: 213 Services, 4 ServiceCIDRs, \d+ IPAddresses, 0 other objects \(resourceVersion \d+\); skipped 0\n/);
    assert.match(srv.stderr(), /kube-apiserver kube-apiserver --service-cluster-ip-range=10\.96\.0\.0\/20 \(Kubernetes 1\.33\.\d+\): Running\n/);
    const got = JSON.parse(run('kubectl get services,servicecidrs,ipaddresses -A -o json', env));
    // What the first repair pass changed: the missing IPAddress exists now, for its Service;
    // the leaked one is gone. Everything else is the export, field for field.
    const repaired = got.items.find((o) => o.kind === 'IPAddress' && o.metadata.name === missingIP);
    assert.deepEqual(repaired?.spec.parentRef, { resource: 'services', namespace: 'default', name: 'app-004' });
    const want = e.items.filter((o) => !(o.kind === 'IPAddress' && o.metadata.name === leakedIP)).sort(byKey);
    assert.deepEqual(got.items.filter((o) => o !== repaired).sort(byKey), want);
    assert.equal(got.items.length, e.items.length, 'one IPAddress created, one deleted');
    // The terminating ServiceCIDR is still terminating: legacy holds 10.102.0.5.
    assert.match(run("kubectl get servicecidr old-range -o jsonpath='{.metadata.deletionTimestamp}'", env), /^2026-11-01T/);
    // Reference §6: every Service judged, then every managed IPAddress; exactly three Warnings.
    const events = JSON.parse(run('kubectl get events.v1.events.k8s.io -A -o json', env)).items
      .filter((ev) => ev.reportingController === 'ipallocator-repair-controller')
      .map((ev) => [ev.type, ev.reason, ev.action, ev.regarding.name, ev.note])
      .sort();
    assert.deepEqual(events, [
      ['Warning', 'ClusterIPNotAllocated', 'ClusterIPAllocation', 'app-004', `Cluster IP [IPv4]: ${missingIP} is not allocated; repairing`],
      ['Warning', 'ClusterIPOutOfRange', 'ClusterIPAllocation', 'outside', 'Cluster IP [IPv4]: 10.200.0.7 is not within any configured Service CIDR; please recreate service'],
      ['Warning', 'IPAddressNotAllocated', 'IPAddressAllocation', leakedIP, `IPAddress: ${leakedIP} for Service kube-public/app-002 appears to have leaked: cleaning up`],
    ]);
    // The same events through core/v1, as `kubectl get events -A` shows them.
    const table = run('kubectl get events -A --field-selector type=Warning -o custom-columns=NS:.metadata.namespace,REASON:.reason,OBJECT:.involvedObject.name --no-headers', env);
    assert.deepEqual(table.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' ')).sort(), [
      `default ClusterIPNotAllocated app-004`,
      `default IPAddressNotAllocated ${leakedIP}`,
      `kube-system ClusterIPOutOfRange outside`,
    ].sort());
  } finally {
    await srv?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
