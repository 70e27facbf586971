// snapshot({ compact: true }) on pkg/node (issue #14): small enough for localStorage and a
// share link at 10^4 Services, and a restored copy continues exactly as the original.
import test from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { Cluster } from '../../pkg/node/servicecidr_sim.js';

const NOW = '2024-01-01T00:00:00Z';
const svc = (name) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { ports: [{ port: 80 }] },
});
/** The full snapshot without the trace, which the compact form leaves out. */
const state = (c) => {
  const { trace, ...rest } = c.snapshot();
  return JSON.stringify(rest);
};

test('10^4 Services: the compact snapshot is at most 40 B per Service gzip and restores exactly', () => {
  const N = 10_000;
  const a = new Cluster({ seed: 5, now: NOW, serviceClusterIPRange: '10.96.0.0/16' });
  for (let i = 0; i < N; i++) a.create(svc(`s-${i}`));
  const text = JSON.stringify(a.snapshot({ compact: true }));
  const perService = gzipSync(text, { level: 9 }).length / N;
  assert.ok(perService <= 40, `compact snapshot: ${perService.toFixed(1)} B per Service gzip`);
  const full = JSON.stringify(a.snapshot());
  assert.ok(text.length * 10 < full.length, `compact ${text.length} B vs full ${full.length} B`);

  const b = Cluster.restore(JSON.parse(text));
  assert.equal(state(b), state(a));
  assert.deepEqual(b.trace(), []);
  // Exact continuation: same ClusterIP, uid, resourceVersion and timestamps next.
  for (let i = 0; i < 5; i++) assert.deepEqual(b.create(svc(`next-${i}`)), a.create(svc(`next-${i}`)));
  a.advance(61);
  b.advance(61);
  assert.equal(state(b), state(a));
  // The old forms still work: no options, and { compact: false }, give the full snapshot.
  assert.equal(JSON.stringify(a.snapshot({ compact: false })), JSON.stringify(a.snapshot()));
  a.free();
  b.free();
});

test('a compact snapshot of hand-made state round-trips too', () => {
  const a = new Cluster({ seed: 9, now: NOW, serviceClusterIPRange: '10.96.0.0/24' });
  for (let i = 0; i < 10; i++) a.create(svc(`a${i}`));
  a.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IPAddress',
    metadata: { name: '10.96.0.99' },
    spec: { parentRef: { resource: 'services', namespace: 'default', name: 'ghost' } },
  });
  const s = a.get('svc', 'a2');
  s.metadata.labels = { relabelled: 'yes' };
  a.update(s);
  a.delete('svc', 'a5');
  const b = Cluster.restore(JSON.parse(JSON.stringify(a.snapshot({ compact: true }))));
  assert.equal(state(b), state(a));
  assert.deepEqual(b.create(svc('later')), a.create(svc('later')));
});

test('a broken compact snapshot is refused with a 400', () => {
  const a = new Cluster({ seed: 1, now: NOW });
  const snap = a.snapshot({ compact: true });
  snap.ipAddressSlots = [7];
  assert.throws(() => Cluster.restore(snap), (e) => e.code === 400 && /compact snapshot/.test(e.message));
});
