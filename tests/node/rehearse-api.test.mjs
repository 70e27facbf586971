// The JS API of issue #15 (Cluster.fromObjects, apiservers, capacity, planRangeChange,
// runPlanStep): the binding converts and delegates; these pin the conversions, the typed
// argument objects and their errors. The behaviour itself is tested natively
// (tests/rehearse_*.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Cluster } = require('../../pkg/node/servicecidr_sim.js');

const NOW = '2026-01-01T00:00:00Z';
const cluster = () => {
  const c = new Cluster({ serviceClusterIPRange: '10.96.0.0/24', seed: 7, now: NOW });
  for (const name of ['a', 'b', 'c']) {
    c.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
  }
  return c;
};

test('fromObjects takes kubectl JSON, YAML, a List object or an array, and reports what it took', () => {
  const c = cluster();
  const json = c.kubectl('get services,servicecidrs,ipaddresses -A -o json').stdout;
  const yaml = c.kubectl('get services,servicecidrs,ipaddresses -A -o yaml').stdout;
  const opts = { serviceClusterIPRange: '10.96.0.0/24', now: NOW };
  const expected = { services: 5, serviceCIDRs: 1, ipAddresses: 5, other: 0, skipped: [] };
  for (const input of [json, yaml, JSON.parse(json), JSON.parse(json).items]) {
    const d = Cluster.fromObjects(input, opts);
    const { resourceVersion, ...counts } = d.importReport;
    assert.deepEqual(counts, expected);
    const rvs = JSON.parse(json).items.map((o) => +o.metadata.resourceVersion);
    assert.equal(resourceVersion, String(Math.max(...rvs)));
    assert.deepEqual(d.list('services').map((s) => s.metadata.uid), c.list('services').map((s) => s.metadata.uid));
  }
  assert.equal(new Cluster().importReport, null);
});

test('fromObjects lists what it cannot take and refuses what is not objects', () => {
  const d = Cluster.fromObjects([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' } }], {});
  assert.equal(d.importReport.skipped.length, 1);
  assert.equal(d.importReport.skipped[0].kind, 'Pod');
  assert.throws(() => Cluster.fromObjects('a: [', {}), (e) => e.code === 400 && /error parsing import/.test(e.message));
  assert.throws(() => Cluster.fromObjects(42, {}), (e) => e.code === 400);
});

test('apiserver flags are typed objects: unknown and misplaced members are refused, nothing changes', () => {
  const c = cluster();
  const before = JSON.stringify(c.snapshot());
  assert.throws(() => c.restartApiserver({ serviceClusterIPRange: '10.96.0.0/24', name: 'x' }), /name is not one of its flags/);
  assert.throws(() => c.startApiserver({ serviceClusterIPRange: '10.96.0.0/24' }), /name is required/);
  assert.throws(() => c.startApiserver({ name: 'b', serviceClusterIPRange: '10.96.0.0/24', version: '1.33' }), /version is not one of its flags/);
  assert.throws(() => c.planRangeChange({ serviceClusterIPRange: '10.96.0.0/24', extra: 1 }), (e) => e.code === 400 && /unknown field `extra`/.test(e.message));
  assert.throws(() => c.planRangeChange({}), /missing field `serviceClusterIPRange`/);
  assert.equal(JSON.stringify(c.snapshot()), before);
});

test('a second apiserver starts and stops by name; capacity reports every ServiceCIDR', () => {
  const c = cluster();
  const second = c.startApiserver({ name: 'new', serviceClusterIPRange: '10.96.0.0/24' });
  assert.equal(second.state, 'Running');
  assert.deepEqual(c.apiservers().map((a) => a.name), ['kube-apiserver', 'new']);
  const left = c.stopApiserver('kube-apiserver');
  assert.deepEqual(left.filter((a) => a.state === 'Running').map((a) => a.name), ['new']);
  const [cap] = c.capacity();
  assert.equal(cap.name, 'kubernetes');
  assert.equal(cap.size, '254');
  assert.equal(BigInt(cap.staticUsed) + BigInt(cap.dynamicUsed), 5n);
});

test('a plan runs step by step and each step answers its changes', () => {
  const c = cluster();
  const plan = c.planRangeChange({ serviceClusterIPRange: '10.100.0.0/24' });
  assert.equal(plan.category, 'replacePrimary');
  const seen = new Set();
  for (const step of JSON.parse(JSON.stringify(plan.steps))) {
    const changes = c.runPlanStep(step);
    for (const ch of changes) assert.ok(['ADDED', 'MODIFIED', 'DELETED'].includes(ch.type));
    if (step.action === 'createServiceCidr') assert.ok(changes.some((ch) => ch.object.metadata.name === step.name));
    seen.add(step.action);
  }
  assert.ok(seen.has('startApiserver') && seen.has('recreateService'));
  for (const s of c.list('services')) assert.match(s.spec.clusterIP, /^10\.100\.0\./);
  assert.throws(() => c.runPlanStep({ action: 'reboot', description: '', command: '' }), (e) => e.code === 400);
});
