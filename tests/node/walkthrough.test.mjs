// The "Extend Service IP Ranges" docs walk-through, replayed through the JS API on
// pkg/node (build first: pkg-scripts/build). Expected values are upstream behaviour
// (shared reference: upstream-behavior.md §3-§5, §12).
import test from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../pkg/node/servicecidr_sim.js';

const NOW = '2023-10-12T15:11:07Z';
const FINALIZER = 'networking.k8s.io/service-cidr-finalizer';
const ORPHAN_MESSAGE =
  'There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR';

// What `kubectl create service clusterip NAME --tcp 80` sends.
const service = (name) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, labels: { app: name } },
  spec: {
    ports: [{ name: '80', protocol: 'TCP', port: 80, targetPort: 80 }],
    selector: { app: name },
    type: 'ClusterIP',
  },
});

const serviceCIDR = (name, cidrs) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'ServiceCIDR',
  metadata: { name },
  spec: { cidrs },
});

const lastOctet = (ip) => {
  const m = /^10\.96\.0\.(\d+)$/.exec(ip);
  assert.ok(m, `${ip} is in 10.96.0.0/24`);
  return Number(m[1]);
};

const isStatusError = (code, reason, message) => (e) => {
  assert.ok(e instanceof Error, 'an Error is thrown');
  assert.equal(e.code, code);
  assert.equal(e.reason, reason);
  if (message !== undefined) assert.equal(e.message, message);
  assert.equal(e.status.kind, 'Status');
  assert.equal(e.status.code, code);
  assert.equal(e.status.reason, reason);
  assert.equal(e.status.message, e.message);
  return true;
};

test('docs walk-through: fill a /28, extend it, delete the extension', async (t) => {
  const c = new Cluster({ serviceClusterIPRange: '10.96.0.0/28', seed: 2023, now: NOW });

  await t.test('the default objects hold .1 (kubernetes) and .10 (kube-dns)', () => {
    assert.deepEqual(c.get('servicecidr', 'kubernetes').spec.cidrs, ['10.96.0.0/28']);
    assert.equal(c.get('service', 'kubernetes', 'default').spec.clusterIP, '10.96.0.1');
    assert.equal(c.get('service', 'kube-dns', 'kube-system').spec.clusterIP, '10.96.0.10');
    const ip = c.get('ipaddress', '10.96.0.1');
    assert.deepEqual(ip.spec.parentRef, { resource: 'services', namespace: 'default', name: 'kubernetes' });
  });

  const first = [];
  await t.test('12 dynamic Services take the 12 free addresses of the /28', () => {
    for (let i = 1; i <= 12; i++) {
      const svc = c.create(service(`test-${i}`));
      assert.equal(svc.spec.clusterIPs.length, 1);
      assert.equal(svc.spec.clusterIPs[0], svc.spec.clusterIP);
      first.push(svc.spec.clusterIP);
    }
    const octets = first.map(lastOctet).sort((a, b) => a - b);
    assert.deepEqual(octets, [2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14]);
    for (const ip of first) {
      const obj = c.get('ipaddress', ip);
      assert.equal(obj.metadata.labels['ipaddress.kubernetes.io/managed-by'], 'ipallocator.k8s.io');
      assert.equal(obj.metadata.labels['ipaddress.kubernetes.io/ip-family'], 'IPv4');
    }
  });

  await t.test('the 13th fails: 500 range is full, and nothing is stored', () => {
    assert.throws(
      () => c.create(service('test-13')),
      isStatusError(500, 'InternalError', 'Internal error occurred: failed to allocate a serviceIP: range is full'),
    );
    assert.throws(() => c.get('service', 'test-13', 'default'), isStatusError(404, 'NotFound'));
  });

  await t.test('kubectl says the same', () => {
    const r = c.kubectl('create service clusterip test-13 --tcp 80');
    assert.equal(r.exitCode, 1);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      'error: failed to create ClusterIP service: Internal error occurred: failed to allocate a serviceIP: range is full\n',
    );
  });

  await t.test('a new ServiceCIDR newcidr1 10.96.0.0/24 becomes Ready with the finalizer', () => {
    const created = c.create(serviceCIDR('newcidr1', ['10.96.0.0/24']));
    assert.equal(created.metadata.name, 'newcidr1');
    assert.equal(created.apiVersion, 'networking.k8s.io/v1');
    assert.equal(created.kind, 'ServiceCIDR');
    const sc = c.get('servicecidr', 'newcidr1');
    assert.deepEqual(sc.metadata.finalizers, [FINALIZER]);
    assert.deepEqual(sc.status.conditions, [
      {
        type: 'Ready',
        status: 'True',
        lastTransitionTime: NOW,
        reason: '',
        message: 'Kubernetes Service CIDR is ready',
      },
    ]);
  });

  const second = [];
  await t.test('4 more Services land in the /24 dynamic band 10.96.0.17-10.96.0.254', () => {
    for (let i = 13; i <= 16; i++) second.push(c.create(service(`test-${i}`)).spec.clusterIP);
    assert.equal(new Set(second).size, 4);
    for (const ip of second) {
      const o = lastOctet(ip);
      assert.ok(o >= 17 && o <= 254, `${ip} in the dynamic band`);
    }
  });

  await t.test('deleting newcidr1 leaves it terminating, held by its finalizer', () => {
    const left = c.delete('servicecidr', 'newcidr1');
    assert.equal(left.metadata.deletionTimestamp, NOW);
    assert.equal(left.metadata.deletionGracePeriodSeconds, 0);
    assert.deepEqual(left.metadata.finalizers, [FINALIZER]);
    const sc = c.get('servicecidr', 'newcidr1');
    assert.equal(sc.metadata.deletionTimestamp, NOW);
    assert.deepEqual(sc.metadata.finalizers, [FINALIZER]);
    const ready = sc.status.conditions.find((x) => x.type === 'Ready');
    assert.equal(ready.status, 'False');
    assert.equal(ready.reason, 'Terminating');
    assert.equal(ready.message, ORPHAN_MESSAGE);
  });

  await t.test('a terminating ServiceCIDR hands out nothing: range is full again', () => {
    assert.throws(
      () => c.create(service('test-17')),
      isStatusError(500, 'InternalError', 'Internal error occurred: failed to allocate a serviceIP: range is full'),
    );
  });

  await t.test('deleting the 4 Services frees the addresses', () => {
    for (let i = 13; i <= 16; i++) {
      const gone = c.delete('service', `test-${i}`, 'default');
      assert.equal(gone.metadata.name, `test-${i}`);
    }
    for (const ip of second) assert.throws(() => c.get('ipaddress', ip), isStatusError(404, 'NotFound'));
  });

  await t.test('the finalizer goes only after the 10 s deletion grace; then newcidr1 is gone', () => {
    // Clock is manual and has not moved: the controller waits out the grace period.
    assert.deepEqual(c.get('servicecidr', 'newcidr1').metadata.finalizers, [FINALIZER]);
    c.settle();
    assert.throws(
      () => c.get('servicecidr', 'newcidr1'),
      isStatusError(404, 'NotFound', 'servicecidrs.networking.k8s.io "newcidr1" not found'),
    );
    const r = c.kubectl('get servicecidr newcidr1');
    assert.equal(r.exitCode, 1);
    assert.equal(r.stderr, 'Error from server (NotFound): servicecidrs.networking.k8s.io "newcidr1" not found\n');
  });

  await t.test('the first 12 Services kept their addresses throughout', () => {
    for (let i = 1; i <= 12; i++) {
      assert.equal(c.get('service', `test-${i}`, 'default').spec.clusterIP, first[i - 1]);
    }
  });

  await t.test('a bad CIDR is 422 Invalid with details.causes', () => {
    const detail = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
    assert.throws(
      () => c.create(serviceCIDR('bad', ['garbage'])),
      (e) => {
        isStatusError(
          422,
          'Invalid',
          `ServiceCIDR.networking.k8s.io "bad" is invalid: spec.cidrs[0]: Invalid value: "garbage": ${detail}`,
        )(e);
        assert.deepEqual(e.status.details, {
          name: 'bad',
          group: 'networking.k8s.io',
          kind: 'ServiceCIDR',
          causes: [
            { reason: 'FieldValueInvalid', message: `Invalid value: "garbage": ${detail}`, field: 'spec.cidrs[0]' },
          ],
        });
        return true;
      },
    );
    assert.throws(() => c.get('servicecidr', 'bad'), isStatusError(404, 'NotFound'));
  });
});

test('same seed and clock: the walk-through allocates the same addresses', () => {
  const run = () => {
    const c = new Cluster({ serviceClusterIPRange: '10.96.0.0/28', seed: 99, now: NOW });
    const ips = [];
    for (let i = 1; i <= 12; i++) ips.push(c.create(service(`test-${i}`)).spec.clusterIP);
    c.create(serviceCIDR('newcidr1', ['10.96.0.0/24']));
    for (let i = 13; i <= 16; i++) ips.push(c.create(service(`test-${i}`)).spec.clusterIP);
    return { ips, table: c.kubectl('get services').stdout, trace: c.trace() };
  };
  const a = run();
  const b = run();
  assert.deepEqual(a, b);
  assert.equal(a.ips.length, 16);
});
