// The Terminating badge lists what cluster.blockingIPs() answers: the
// service-cidr-controller's own canDelete rule. These cases pin that answer for the
// situations the page used to compute itself: managed IPs contained by this
// ServiceCIDR and by no other one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Cluster } = require('../../pkg/node/servicecidr_sim.js');

const cluster = (range = '10.96.0.0/28') =>
  new Cluster({ serviceClusterIPRange: range, seed: 1, now: '2026-01-01T00:00:00Z', kubeDNS: false });

const serviceCIDR = (c, name, ...cidrs) =>
  c.create({ apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name }, spec: { cidrs } });

const ipAddress = (c, name, labels, svc = 'x') =>
  c.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IPAddress',
    metadata: { name, labels },
    spec: { parentRef: { group: '', resource: 'services', namespace: 'default', name: svc } },
  });

const managed = (family = 'IPv4') => ({
  'ipaddress.kubernetes.io/ip-family': family,
  'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io',
});

/** The same IPAddresses the page's old unit test used. No clock moves afterwards, so the
 * repair loop never gets to collect them (their Services do not exist). */
function addIPs(c) {
  ipAddress(c, '10.96.0.2', managed()); // also in the /28: does not block
  ipAddress(c, '10.96.0.48', managed()); // only in the /24: blocks
  ipAddress(c, '10.96.0.0', managed()); // network address of the /24: never blocks
  ipAddress(c, '10.96.0.255', managed()); // IPv4 broadcast: never blocks
  ipAddress(c, '10.96.0.99', {}, 'y'); // unmanaged
  ipAddress(c, '10.96.0.77', managed('IPv6')); // wrong family label
}

test('blocking IPs: managed, contained by this ServiceCIDR and by no other', () => {
  // "kubernetes" is the default ServiceCIDR, 10.96.0.0/28, holding the kubernetes Service's 10.96.0.1.
  const c = cluster();
  serviceCIDR(c, 'newcidr1', '10.96.0.0/24');
  addIPs(c);
  assert.deepEqual(c.blockingIPs('newcidr1'), ['10.96.0.48']);
  // The smaller CIDR's IPs are all inside the bigger one.
  assert.deepEqual(c.blockingIPs('kubernetes'), []);
  assert.throws(() => c.blockingIPs('nope'), (e) => e.code === 404);
});

test('blocking IPs: alone, the /28 is blocked by its own IPs', () => {
  const c = cluster();
  addIPs(c);
  // With the kubernetes Service, its address blocks too.
  assert.deepEqual(c.blockingIPs('kubernetes'), ['10.96.0.1', '10.96.0.2']);
  // Without it (the apiserver recreates it only once the clock moves), only 10.96.0.2 does.
  c.delete('services', 'kubernetes', 'default');
  assert.deepEqual(c.blockingIPs('kubernetes'), ['10.96.0.2']);
});

// The default ServiceCIDR cannot be removed for good (the apiserver recreates it), so the
// situations without it use a cluster whose default range lies elsewhere.
test('blocking IPs: two identical ServiceCIDRs unblock each other', () => {
  const c = cluster('10.100.0.0/28');
  serviceCIDR(c, 'newcidr1', '10.96.0.0/24');
  serviceCIDR(c, 'twin', '10.96.0.0/24');
  addIPs(c);
  assert.deepEqual(c.blockingIPs('newcidr1'), []);
});

test('blocking IPs: a smaller overlapping CIDR unblocks only what it contains', () => {
  const c = cluster('10.100.0.0/28');
  serviceCIDR(c, 'newcidr1', '10.96.0.0/24');
  serviceCIDR(c, 'small', '10.96.0.32/28');
  addIPs(c);
  assert.deepEqual(c.blockingIPs('newcidr1'), ['10.96.0.2', '10.96.0.48']);
  // An address inside the small CIDR stops blocking.
  ipAddress(c, '10.96.0.40', managed());
  assert.deepEqual(c.blockingIPs('newcidr1'), ['10.96.0.2', '10.96.0.48']);
  // The small CIDR lies inside newcidr1, so nothing keeps it.
  assert.deepEqual(c.blockingIPs('small'), []);
});
