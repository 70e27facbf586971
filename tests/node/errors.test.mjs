// The shape of what Cluster throws (src/wasm.rs), on pkg/node.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../pkg/node/servicecidr_sim.js';

const NOW = '2023-10-12T15:00:00Z';

const caught = (fn) => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
};

test('every error is an Error with numeric code, string reason and the Status object', () => {
  const c = new Cluster({ seed: 1, now: NOW });
  const e = caught(() => c.get('servicecidr', 'nope'));
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'Error');
  assert.equal(typeof e.code, 'number');
  assert.equal(typeof e.reason, 'string');
  assert.equal(typeof e.status, 'object');
  assert.deepEqual(
    { kind: e.status.kind, apiVersion: e.status.apiVersion, status: e.status.status, metadata: e.status.metadata },
    { kind: 'Status', apiVersion: 'v1', status: 'Failure', metadata: {} },
  );
  assert.equal(e.status.code, e.code);
  assert.equal(e.status.reason, e.reason);
  assert.equal(e.status.message, e.message);
  assert.equal(typeof e.stack, 'string');
  // Plain JSON all the way: survives a round trip unchanged.
  assert.deepEqual(JSON.parse(JSON.stringify(e.status)), e.status);
});

test('get of a missing ServiceCIDR: 404 NotFound with the apiserver text', () => {
  const c = new Cluster({ seed: 1, now: NOW });
  const e = caught(() => c.get('servicecidr', 'nope'));
  assert.equal(e.code, 404);
  assert.equal(e.reason, 'NotFound');
  assert.equal(e.message, 'servicecidrs.networking.k8s.io "nope" not found');
  assert.deepEqual(e.status.details, { name: 'nope', group: 'networking.k8s.io', kind: 'servicecidrs' });
});

test('option of the wrong type: 400 BadRequest naming the problem', () => {
  const e = caught(() => new Cluster({ seed: 'seven' }));
  assert.ok(e instanceof Error);
  assert.equal(e.code, 400);
  assert.equal(e.reason, 'BadRequest');
  assert.match(e.message, /^invalid Cluster options: .*seven/);
  assert.equal(e.status.message, e.message);
});

test('unknown option: 400 naming it', () => {
  const e = caught(() => new Cluster({ serviceClusterIpRanges: '10.0.0.0/24' }));
  assert.equal(e.code, 400);
  assert.match(e.message, /serviceClusterIpRanges/);
});

test('every documented option is accepted', () => {
  assert.doesNotThrow(
    () =>
      new Cluster({
        serviceClusterIPRange: '10.96.0.0/16,fd00:10:96::/112',
        seed: 3,
        now: 1697122800000,
        kubeDNS: false,
        autoReconcile: false,
      }),
  );
  assert.doesNotThrow(() => new Cluster());
  assert.doesNotThrow(() => new Cluster({}));
  assert.doesNotThrow(() => new Cluster({ seed: undefined, now: undefined }));
});

test('garbage serviceClusterIPRange: a 4xx Error', () => {
  const e = caught(() => new Cluster({ serviceClusterIPRange: 'garbage' }));
  assert.ok(e instanceof Error);
  assert.ok(e.code >= 400 && e.code < 500, `code ${e.code}`);
  assert.equal(e.status.code, e.code);
});

test('bad sinceSeq / sinceResourceVersion: 400', () => {
  const c = new Cluster({ seed: 1, now: NOW });
  for (const bad of [-1, NaN, -Infinity]) assert.equal(caught(() => c.trace(bad)).code, 400);
  assert.equal(caught(() => c.watch({})).code, 400);
  assert.ok(Array.isArray(c.trace()));
  assert.ok(Array.isArray(c.watch()));
});

test('a failed call changes nothing', () => {
  const c = new Cluster({ serviceClusterIPRange: '10.96.0.0/28', seed: 1, now: NOW });
  // The trace is an audit log: it records refused requests too. Everything
  // else in the snapshot stays exactly as it was.
  const withoutTrace = (s) => {
    const { trace, traceSeq, ...rest } = s;
    return JSON.stringify(rest);
  };
  const before = withoutTrace(c.snapshot());
  const seq = c.trace().at(-1).seq;
  caught(() =>
    c.create({ apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name: 'x' }, spec: { cidrs: ['nope'] } }),
  );
  caught(() => c.get('servicecidr', 'nope'));
  caught(() => c.delete('service', 'nope', 'default'));
  assert.equal(withoutTrace(c.snapshot()), before);
  assert.notEqual(before, 'null');
  assert.deepEqual(
    c.trace(seq).map((t) => t.message),
    ['kubernetes-admin create servicecidrs x: 422', 'kubernetes-admin delete services default/nope: 404'],
  );
});
