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

test('blockingIPsReport: the true total beside the capped list, and a range covering all', () => {
  const c = cluster('10.100.0.0/28');
  serviceCIDR(c, 'big', '10.96.0.0/22');
  // 300 managed IPs only "big" contains: more than the default list of 256.
  for (let i = 0; i < 300; i++) ipAddress(c, `10.96.${1 + Math.floor(i / 200)}.${10 + (i % 200)}`, managed());
  const r = c.blockingIPsReport('big');
  assert.equal(r.total, 300);
  assert.equal(r.ips.length, 256, 'the list is capped at 256 by default');
  assert.deepEqual(r.ips, c.blockingIPs('big'), 'the same list blockingIPs() returns');
  assert.deepEqual(c.blockingIPsReport('big', 2).ips, ['10.96.1.10', '10.96.1.11']);
  // Lowest 10.96.1.10, highest 10.96.2.109: covered by 10.96.0.0/22, computed from all 300.
  assert.deepEqual(r.covering, ['10.96.0.0/22']);
  assert.deepEqual(Object.keys(r).sort(), ['covering', 'ips', 'total']);
  assert.throws(() => c.blockingIPsReport('nope'), (e) => e.code === 404);
  assert.throws(() => c.blockingIPsReport('big', -1), (e) => e.code === 400);
});

test('rangeView: the cells of a range map, as the allocator sees them', () => {
  const c = cluster('10.96.0.0/28');
  const [alloc] = c.allocatorState();
  assert.equal(alloc.hostBits, 4);
  const v = c.rangeView('kubernetes', '10.96.0.0/28');
  assert.equal(v.cells.length, 16);
  assert.deepEqual(v.cells.map((x) => x.roles[0]).filter((r, i, a) => a.indexOf(r) === i), ['network', 'dynamic', 'broadcast']);
  assert.deepEqual(v.cells[1], { ip: '10.96.0.1', prefix: '10.96.0.1/32', start: '1', roles: ['dynamic'], taken: 1, names: ['10.96.0.1'], shared: [] });
  assert.throws(() => c.rangeView('kubernetes', '10.96.0.0/24'), (e) => e.code === 404, 'not a CIDR of that ServiceCIDR');
  assert.throws(() => c.rangeView('kubernetes', '10.96.0.0/28', '3', 2), (e) => e.code === 400, 'blocks are aligned');
});
