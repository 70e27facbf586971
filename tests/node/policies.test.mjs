// ValidatingAdmissionPolicy through the JS API (issue #13): the CEL module
// (servicecidr-sim/cel, a second wasm module) plugged into a Cluster with
// setPolicyEvaluator, and the en page's allowed-ranges sample applied with kubectl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Cluster } = require('../../pkg/node/servicecidr_sim.js');
const cel = require('../../pkg/cel/node/servicecidr_admission_wasm.js');
const SAMPLE = readFileSync(new URL('../../crates/admission/tests/data/vap-servicecidr-default.yaml', import.meta.url), 'utf8');
const NOW = '2026-11-27T10:45:53Z';

const cidr = (name, cidrs) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name }, spec: { cidrs } });

test('without the CEL module a policy is refused with 503, not stored unenforced', () => {
  const c = new Cluster({ serviceClusterIPRange: '10.96.0.0/28', seed: 1, now: NOW });
  const o = c.kubectl('apply -f -', SAMPLE);
  assert.equal(o.exitCode, 1);
  assert.match(o.stderr, /needs the CEL admission module/);
});

test("the en page's allowed-ranges policy admits 10.96.1.0/24 and denies 172.20.0.0/16", () => {
  const c = new Cluster({ serviceClusterIPRange: '10.96.0.0/28', seed: 1, now: NOW });
  c.setPolicyEvaluator(cel);
  const o = c.kubectl('apply -f -', SAMPLE);
  assert.equal(
    o.stdout,
    'validatingadmissionpolicy.admissionregistration.k8s.io/servicecidrs.default created\n' +
      'validatingadmissionpolicybinding.admissionregistration.k8s.io/servicecidrs-default-binding created\n',
    o.stderr,
  );
  assert.equal(c.create(cidr('newcidr1', ['10.96.1.0/24'])).metadata.name, 'newcidr1');
  c.create(cidr('dual', ['2001:db8:0:0:ffff::/80', '10.96.0.0/20']));
  assert.throws(
    () => c.create(cidr('outside', ['172.20.0.0/16'])),
    (e) =>
      e.code === 422 &&
      e.reason === 'Invalid' &&
      e.message ===
        "servicecidrs.networking.k8s.io \"outside\" is forbidden: ValidatingAdmissionPolicy 'servicecidrs.default' with binding 'servicecidrs-default-binding' denied request: failed expression: object.spec.cidrs.all(newCIDR, variables.allowed.exists(allowedCIDR, cidr(allowedCIDR).containsCIDR(newCIDR)))",
  );
  // The audit action is recorded in the trace.
  assert.ok(c.trace().some((t) => t.source === 'admission' && /servicecidrs-default-binding/.test(t.message)));
});

test('setPolicyEvaluator refuses an object without the entry points', () => {
  const c = new Cluster({ seed: 1, now: NOW });
  assert.throws(() => c.setPolicyEvaluator({}), (e) => e.code === 400 && /no function admit/.test(e.message));
});
