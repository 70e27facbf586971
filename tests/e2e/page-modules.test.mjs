// The playground's pure modules (address math, band split, covering range,
// completion, state encoding) in Node, without a browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandOffset, containsServiceIP, coveringCIDR, describePrefix, formatIP, parseCIDR, parseIP } from '../../www/js/ip.js';
import { completions, heredocOpen, splitLines } from '../../www/js/terminal.js';
import { parentRefText } from '../../www/js/rangemap.js';
import { decodeHash, encodeState, validState } from '../../www/js/persist.js';

const canon = (s) => {
  const p = parseIP(s);
  return p && formatIP(p.family, p.value);
};

test('IP parsing and canonical formatting (RFC 5952 for IPv6)', () => {
  assert.equal(canon('10.96.0.1'), '10.96.0.1');
  assert.equal(canon('2001:db8:0:0:0::1'), '2001:db8::1');
  assert.equal(canon('2001:DB8::1'), '2001:db8::1');
  assert.equal(canon('1:0:0:1:0:0:0:1'), '1:0:0:1::1', 'the first of two equal zero runs is not shortened');
  assert.equal(canon('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1', 'a single zero group stays');
  assert.equal(canon('::'), '::');
  assert.equal(canon('fd00:10:96::ffff'), 'fd00:10:96::ffff');
  for (const bad of ['10.96.0', '10.96.0.256', '1::2::3', 'x', '1.2.3.4.5', '12345::']) assert.equal(parseIP(bad), null, bad);
});

test('CIDRs are masked and sized with BigInt', () => {
  const p = parseCIDR('10.96.0.5/28');
  assert.equal(p.text, '10.96.0.0/28');
  assert.equal(p.size, 16n);
  assert.equal(parseCIDR('fd00::/64').size, 1n << 64n);
  assert.equal(parseCIDR('10.0.0.0/33'), null);
});

test('band offset = clamp(2^hostbits/16, 16, 256), 0 for 16 addresses or fewer', () => {
  const off = (c) => bandOffset(parseCIDR(c).size);
  assert.equal(off('10.0.0.0/32'), 0n);
  assert.equal(off('10.0.0.0/28'), 0n);
  assert.equal(off('10.0.0.0/27'), 16n);
  assert.equal(off('10.0.0.0/24'), 16n);
  assert.equal(off('10.0.0.0/22'), 64n);
  assert.equal(off('10.0.0.0/20'), 256n);
  assert.equal(off('10.0.0.0/8'), 256n);
  assert.equal(off('fd00::/124'), 0n);
  assert.equal(off('fd00::/122'), 16n);
  assert.equal(off('fd00::/118'), 64n);
  assert.equal(off('fd00::/64'), 256n);
  const d = describePrefix(parseCIDR('10.96.0.0/24'));
  assert.equal(formatIP('IPv4', d.staticEnd), '10.96.0.16');
  assert.equal(formatIP('IPv4', d.lastUsable), '10.96.0.254');
  const v6 = describePrefix(parseCIDR('fd00::/120'));
  assert.equal(formatIP('IPv6', v6.lastUsable), 'fd00::ff', 'IPv6 keeps its all-ones address');
  assert.equal(describePrefix(parseCIDR('fd00::/48')).allocates, false, 'no allocator below /64');
});

test('containment excludes the network address and the IPv4 broadcast only', () => {
  const p = describePrefix(parseCIDR('10.96.0.0/24'));
  const v = (s) => parseIP(s).value;
  assert.equal(containsServiceIP(p, 'IPv4', v('10.96.0.0')), false);
  assert.equal(containsServiceIP(p, 'IPv4', v('10.96.0.255')), false);
  assert.equal(containsServiceIP(p, 'IPv4', v('10.96.0.254')), true);
  const q = describePrefix(parseCIDR('fd00::/120'));
  assert.equal(containsServiceIP(q, 'IPv6', parseIP('fd00::ff').value), true);
  assert.equal(containsServiceIP(q, 'IPv6', parseIP('fd00::').value), false);
});

test('parentRef text as kubectl prints it', () => {
  assert.equal(parentRefText({ resource: 'services', namespace: 'default', name: 'kubernetes' }), 'services/default/kubernetes');
  assert.equal(parentRefText({ group: 'gateway.networking.k8s.io', resource: 'Gateway', namespace: 'ns', name: 'gw' }), 'gateway.gateway.networking.k8s.io/ns/gw');
  assert.equal(parentRefText(undefined), '<none>');
});

test('here-documents keep Enter as a new line until their end marker', () => {
  assert.equal(heredocOpen('cat <<EOF | kubectl apply -f -\nkind: X'), true);
  assert.equal(heredocOpen('cat <<EOF | kubectl apply -f -\nkind: X\nEOF'), false);
  assert.equal(heredocOpen("cat <<'END' | kubectl apply -f -\nEOF"), true);
  assert.equal(heredocOpen('cat <<-EOF\n\tx\n\tEOF'), false);
  assert.equal(heredocOpen('kubectl get svc'), false);
});

test('stderr lines are found in the interleaved output, in order', () => {
  const lines = splitLines('10.96.0.2\nerror: range is full\n10.96.0.3\n', 'error: range is full\n');
  assert.deepEqual(lines, [
    { text: '10.96.0.2', err: false },
    { text: 'error: range is full', err: true },
    { text: '10.96.0.3', err: false },
  ]);
  assert.deepEqual(splitLines('', ''), []);
});

test('completion: commands, verbs, resources, flags, output formats and names', () => {
  const names = (kind, ns) => ({ sc: ['kubernetes', 'newcidr1'], ip: ['10.96.0.1'], svc: ns === 'kube-system' ? ['kube-dns'] : ['kubernetes', 'test-1'] })[kind];
  const c = (line) => completions(line, names);
  assert.ok(c('kub').includes('kubectl'));
  assert.ok(c('kubectl ').includes('get'));
  assert.ok(c('kubectl get ').includes('servicecidrs'));
  assert.deepEqual(c('kubectl get servicecidr '), ['kubernetes', 'newcidr1']);
  assert.deepEqual(c('kubectl delete svc -n kube-system '), ['kube-dns']);
  assert.deepEqual(c('kubectl get svc '), ['kubernetes', 'test-1']);
  assert.ok(c('kubectl get svc -o ').includes('yaml'));
  assert.ok(c('kubectl delete servicecidr x --').includes('--wait=false'));
  assert.ok(c('kubectl create ').includes('service'));
  assert.ok(c('kubectl create service ').includes('clusterip'));
  assert.deepEqual(c('kubectl get ip/'), ['ip/10.96.0.1']);
  assert.ok(c('for i in 1 2; do kubectl get ').includes('services'), 'only the current command counts');
  assert.ok(c('kubectl get svc | ').includes('jq'));
});

test('state: only well-formed logs are accepted, and the URL form round-trips', async () => {
  const state = { v: 1, settings: { range: '10.96.0.0/28', seed: 1, start: '2026-01-01T00:00:00Z' }, log: [['run', 'kubectl get svc'], ['adv', 10], ['settle'], ['pause', true], ['step'], ['run', 'x', 'from a button']] };
  assert.deepEqual(validState(state).log.length, 6);
  assert.equal(validState({ ...state, v: 2 }), null);
  assert.equal(validState({ ...state, log: [['rm', '-rf']] }), null);
  assert.equal(validState({ ...state, log: [['adv', -5]] }), null);
  assert.equal(validState({ ...state, settings: { range: 5 } }), null);
  const frag = await encodeState(state);
  assert.match(frag, /^s=[A-Za-z0-9_-]+$/);
  const back = await decodeHash(`#${frag}`);
  assert.deepEqual(back.settings, state.settings);
  assert.deepEqual(back.log.map((e) => e.filter((x) => x !== undefined)), state.log);
  assert.equal(await decodeHash('#s=AAAA'), null, 'garbage decodes to nothing');
  assert.equal(await decodeHash('#other'), null);
});

test('the smallest range that covers blocking addresses', () => {
  const ips = (...xs) => xs.map(parseIP);
  assert.equal(coveringCIDR(ips('10.96.0.82', '10.96.0.21', '10.96.0.137', '10.96.0.211')), '10.96.0.0/24');
  assert.equal(coveringCIDR(ips('10.96.0.21', '10.96.0.82')), '10.96.0.0/25');
  assert.equal(coveringCIDR(ips('10.100.0.20', '10.100.0.21')), '10.100.0.16/29');
  assert.equal(coveringCIDR(ips('10.96.0.5')), '10.96.0.4/30', 'one address needs a /30: not network, not broadcast');
  assert.equal(coveringCIDR(ips('10.96.0.128', '10.96.0.127')), '10.96.0.0/24', 'an address on a boundary widens the range');
  assert.equal(coveringCIDR(ips('fd00::1')), 'fd00::/127', 'IPv6 keeps its all-ones address, so /127 holds ::1');
  assert.equal(coveringCIDR([]), null);
});
