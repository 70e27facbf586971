// Issue #15 on the JS API (the built pkg/node): the seven illustrative steps of "Kubernetes
// Default Service CIDR Reconfiguration" on a cluster with a few dozen Services across
// namespaces, checked against the whole watch() history (no IP ever held twice), and
// planRangeChange on each of the page's four categories, executed with runPlanStep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { ipsHeldTwice } from './held-once.mjs';

const require = createRequire(import.meta.url);
const { Cluster } = require('../../pkg/node/servicecidr_sim.js');

const NOW = '2026-11-01T08:00:00Z';
const NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** 36 Services over the four namespaces, a third of them PreferDualStack on a dual-stack cluster. */
function cluster(range, count = 36) {
  const c = new Cluster({ serviceClusterIPRange: range, seed: 15, now: NOW });
  for (let i = 0; i < count; i++) {
    const spec = { ports: [{ port: 80 }], selector: { app: `app-${i}` } };
    if (range.includes(',') && i % 3 === 0) spec.ipFamilyPolicy = 'PreferDualStack';
    c.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: `app-${i}`, namespace: NAMESPACES[i % 4] }, spec });
  }
  return c;
}

/** The manifest a person re-applies to recreate a Service: no ClusterIPs, no server fields. */
function recreation(svc) {
  const { clusterIP, clusterIPs, ipFamilies, ipFamilyPolicy, ...spec } = svc.spec;
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, labels: svc.metadata.labels }, spec };
}

const inRange = (prefix) => (ip) => ip.startsWith(prefix);

test('the seven illustrative steps: every Service moves to the new range, the old `kubernetes` ServiceCIDR goes, no IP is ever held twice', () => {
  // 1. kube-apiserver with the initial range; 2. Services that take IPs from it.
  const c = cluster('10.96.0.0/24');
  const oldCidr = c.get('servicecidrs', 'kubernetes');
  const services = c.list('services');
  assert.equal(services.length, 38, '36, kubernetes and kube-dns');
  // 3. A new ServiceCIDR as the temporary target.
  c.create({ apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name: 'new-cidr' }, spec: { cidrs: ['10.97.0.0/24'] } });
  // 4. Mark `kubernetes` for deletion: it stays, terminating, and allocates nothing more.
  c.delete('servicecidrs', 'kubernetes');
  c.settle();
  assert.ok(c.get('servicecidrs', 'kubernetes').metadata.deletionTimestamp);
  // 5. Recreate every Service but kubernetes.default: the new ones land in 10.97.0.0/24.
  for (const svc of services.filter((s) => !(s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes'))) {
    c.delete('services', svc.metadata.name, svc.metadata.namespace);
    const got = c.create(recreation(svc));
    assert.match(got.spec.clusterIP, /^10\.97\.0\./, `${svc.metadata.namespace}/${svc.metadata.name}`);
  }
  // 6. A kube-apiserver with the new flags beside the old one, then the old one stops.
  assert.equal(c.startApiserver({ name: 'kube-apiserver-new', serviceClusterIPRange: '10.97.0.0/24' }).state, 'Running');
  assert.deepEqual(c.apiservers().map((a) => `${a.name} ${a.state}`), ['kube-apiserver Running', 'kube-apiserver-new Running']);
  assert.deepEqual(c.stopApiserver('kube-apiserver').map((a) => `${a.name} ${a.state}`), ['kube-apiserver-new Running', 'kube-apiserver Stopped']);
  // 7. Delete kubernetes.default: the new kube-apiserver recreates it in the new range.
  c.delete('services', 'kubernetes', 'default');
  c.settle();
  const after = c.list('services');
  assert.equal(after.length, 38);
  for (const s of after) assert.ok(s.spec.clusterIPs.every(inRange('10.97.0.')), `${s.metadata.name} ${s.spec.clusterIPs}`);
  assert.equal(c.get('services', 'kubernetes', 'default').spec.clusterIP, '10.97.0.1');
  // The old `kubernetes` ServiceCIDR is gone: deleted (the history says so), and the one of
  // that name now is the new apiserver's, built from its flags.
  const history = c.watch();
  assert.ok(history.some((e) => e.type === 'DELETED' && e.object.kind === 'ServiceCIDR' && e.object.metadata.uid === oldCidr.metadata.uid));
  const now = c.get('servicecidrs', 'kubernetes');
  assert.notEqual(now.metadata.uid, oldCidr.metadata.uid);
  assert.deepEqual(now.spec.cidrs, ['10.97.0.0/24']);
  assert.ok(!c.list('ipaddresses').some((ip) => ip.metadata.name.startsWith('10.96.')));
  const { problems, checked } = ipsHeldTwice(history);
  assert.deepEqual(problems, []);
  assert.ok(checked > 4 * 38, `the history holds every Service and IPAddress change (${checked})`);
  assert.equal(c.events().filter((e) => e.reportingController === 'ipallocator-repair-controller').length, 0);
});

test('the no-IP-held-twice check fails on a history where two Services hold one IP', () => {
  const svc = (name, ip, rv) => ({ type: 'ADDED', object: { kind: 'Service', metadata: { name, namespace: 'default', resourceVersion: rv }, spec: { clusterIPs: [ip] } } });
  assert.deepEqual(ipsHeldTwice([svc('a', '10.0.0.1', '1'), svc('b', '10.0.0.1', '2')]).problems, ['rv 2: 10.0.0.1 held by default/a and default/b']);
});

/** Runs a plan step by step; every step answers its changes. */
function run(c, plan) {
  for (const step of plan.steps) {
    const changes = c.runPlanStep(step);
    assert.ok(Array.isArray(changes), step.description);
  }
}

/** The state the plan predicted: `kubernetes` holds the proposed flags; every Service to recreate holds IPs in them. */
function assertReached(c, plan, families) {
  assert.deepEqual(c.get('servicecidrs', 'kubernetes').spec.cidrs, plan.serviceClusterIPRange.split(','), plan.category);
  const prefixes = families.map((f) => inRange(f));
  for (const r of plan.recreate) {
    const s = c.get('services', r.name, r.namespace);
    for (const ip of s.spec.clusterIPs) assert.ok(prefixes.some((p) => p(ip)), `${r.namespace}/${r.name} ${ip}`);
  }
  for (const s of c.list('services')) {
    for (const ip of s.spec.clusterIPs) assert.ok(prefixes.some((p) => p(ip)), `${s.metadata.name} keeps ${ip}`);
  }
  assert.deepEqual(c.apiservers().filter((a) => a.state === 'Running').map((a) => a.serviceClusterIPRange), [plan.serviceClusterIPRange]);
  assert.deepEqual(ipsHeldTwice(c.watch()).problems, []);
  assert.equal(c.events().filter((e) => e.reportingController === 'ipallocator-repair-controller').length, 0, 'nothing leaked or doubled');
}

test('planRangeChange: extend adds a ServiceCIDR and restarts nothing', () => {
  const c = cluster('10.96.0.0/26');
  const plan = c.planRangeChange({ serviceClusterIPRange: '10.96.0.0/24' });
  assert.equal(plan.category, 'extend');
  assert.deepEqual(plan.recreate, []);
  assert.deepEqual(plan.steps.map((s) => s.action), ['createServiceCidr']);
  run(c, plan);
  assert.deepEqual(c.get('servicecidrs', 'reconfigure-target').spec.cidrs, ['10.96.0.0/24']);
  // The extension allocates: 38 + 64 Services do not fit the old /26.
  for (let i = 0; i < 30; i++) c.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: `more-${i}`, namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
  assert.equal(c.list('services').length, 68);
});

test('planRangeChange: single to dual-stack restarts with the secondary added and recreates nothing', () => {
  const c = cluster('10.96.0.0/24');
  const plan = c.planRangeChange({ serviceClusterIPRange: '10.96.0.0/24,fd00::/112' });
  assert.equal(plan.category, 'singleToDual');
  assert.deepEqual(plan.recreate, []);
  assert.ok(plan.steps.some((s) => s.action === 'restartApiserver' && s.serviceClusterIPRange === '10.96.0.0/24,fd00::/112'));
  run(c, plan);
  assertReached(c, plan, ['10.96.0.', 'fd00::']);
  const dual = c.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'dual', namespace: 'default' }, spec: { ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] } });
  assert.equal(dual.spec.clusterIPs.length, 2);
});

test('planRangeChange: dual to single-stack recreates the Services of the dropped family first', () => {
  const c = cluster('10.96.0.0/24,fd00::/112');
  const plan = c.planRangeChange({ serviceClusterIPRange: '10.96.0.0/24' });
  assert.equal(plan.category, 'dualToSingle');
  const dual = c.list('services').filter((s) => s.spec.clusterIPs.length === 2).map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort();
  assert.equal(dual.length, 12);
  assert.deepEqual(plan.recreate.map((r) => `${r.namespace}/${r.name}`).sort(), dual);
  assert.ok(plan.recreate.every((r) => r.singleStack));
  const actions = plan.steps.map((s) => s.action);
  assert.ok(actions.lastIndexOf('recreateService') < actions.indexOf('restartApiserver'), actions.join(' '));
  run(c, plan);
  assertReached(c, plan, ['10.96.0.']);
});

test('planRangeChange: replacing the primary recreates every Service, kubernetes.default last', () => {
  const c = cluster('10.96.0.0/24');
  const plan = c.planRangeChange({ serviceClusterIPRange: '10.100.0.0/24' });
  assert.equal(plan.category, 'replacePrimary');
  assert.equal(plan.recreate.length, 37, '36 and kube-dns; kubernetes.default is step 7');
  assert.ok(!plan.recreate.some((r) => r.name === 'kubernetes'));
  run(c, plan);
  assertReached(c, plan, ['10.100.0.']);
  assert.equal(c.get('services', 'kubernetes', 'default').spec.clusterIP, '10.100.0.1');
  assert.throws(() => c.get('servicecidrs', 'reconfigure-target'), (e) => e.code === 404);
});
