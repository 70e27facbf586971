// The playground's pure modules (completion, state encoding, parentRef text) in Node,
// without a browser. Address math (parsing, band split, covering range) is the core's
// alone now: tests/range_view.rs, tests/controller_servicecidr.rs and crates/core/src/net.rs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completions, heredocOpen, splitLines } from '../../www/js/terminal.js';
import { parentRefText } from '../../www/js/rangemap.js';
import { decodeHash, encodeState, validState } from '../../www/js/persist.js';

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
  // A script stopped with Ctrl-C keeps the steps it ran; anything else there is refused.
  assert.deepEqual(validState({ ...state, log: [['run', 'x', null, { steps: 12 }]] }).log, [['run', 'x', undefined, { steps: 12 }]]);
  for (const bad of [{ steps: 0 }, { steps: 1.5 }, { steps: '3' }, {}, 'x']) {
    assert.equal(validState({ ...state, log: [['run', 'x', null, bad]] }), null, JSON.stringify(bad));
  }
  const frag = await encodeState(state);
  assert.match(frag, /^s=[A-Za-z0-9_-]+$/);
  const back = await decodeHash(`#${frag}`);
  assert.deepEqual(back.settings, state.settings);
  assert.deepEqual(back.log.map((e) => e.filter((x) => x !== undefined)), state.log);
  assert.equal(await decodeHash('#s=AAAA'), null, 'garbage decodes to nothing');
  assert.equal(await decodeHash('#other'), null);
});
