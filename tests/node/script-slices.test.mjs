// cluster.startScript / resumeScript / cancelScript on pkg/node (issue #14): a script run a
// few steps at a time prints what run() prints and leaves the same cluster, so a page can
// paint between slices; errors are ClusterErrors with the apiserver's Status.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../pkg/node/servicecidr_sim.js';

const opts = { seed: 7, now: '2024-01-01T00:00:00Z', serviceClusterIPRange: '10.96.0.0/24' };
const SCRIPT = `for i in $(seq 1 40); do kubectl create service clusterip "s-$i" --tcp 80 -o name; done
kubectl get services -o name | wc -l
i=0; while [ $i -lt 3 ]; do i=$((i+1)); kubectl delete service "s-$i" --wait=false; done
kubectl get service s-1 || echo gone`;

/** The snapshot without the trace ring's timings, which are the same anyway. */
const state = (c) => JSON.stringify(c.snapshot());

test('slices print what run() prints and leave the same cluster', () => {
  for (const settle of [true, false]) {
    const whole = new Cluster(opts);
    const want = whole.run(SCRIPT, { settle });
    for (const maxSteps of [1, 3, 50]) {
      const parts = new Cluster(opts);
      let slice = parts.startScript(SCRIPT, { settle, maxSteps });
      const got = { stdout: '', stderr: '', output: '' };
      let slices = 0;
      for (;;) {
        slices++;
        for (const k of ['stdout', 'stderr', 'output']) got[k] += slice[k];
        assert.equal(typeof slice.steps, 'number');
        if (slice.done) break;
        assert.equal(slice.exitCode, null, 'no exit status while paused');
        slice = parts.resumeScript(maxSteps);
      }
      assert.deepEqual({ ...got, exitCode: slice.exitCode }, want, `${maxSteps}-step slices, settle ${settle}`);
      if (maxSteps < 50) assert.ok(slices > 10, `${slices} slices`);
      assert.equal(state(parts), state(whole), `${maxSteps}-step slices leave the same cluster`);
      parts.free();
    }
    whole.free();
  }
});

test('one script at a time; Ctrl-C (cancelScript) stops it where it stands', () => {
  const c = new Cluster(opts);
  const first = c.startScript('for i in $(seq 1 10); do kubectl create service clusterip "c-$i" --tcp 80 -o name; done', { maxSteps: 7 });
  assert.equal(first.done, false);
  assert.equal(first.output, 'service/c-1\nservice/c-2\nservice/c-3\n');
  // Other calls go on between slices, as another client's would.
  assert.equal(c.get('services', 'c-3', 'default').metadata.name, 'c-3');
  assert.throws(() => c.startScript('echo hi'), (e) => e.code === 400 && /already running in slices/.test(e.message));
  assert.throws(() => c.startScript('echo hi', { maxStep: 1 }), (e) => e.code === 400 && /unknown field `maxStep`/.test(e.message));
  assert.equal(c.cancelScript(), true);
  assert.equal(c.cancelScript(), false);
  assert.throws(() => c.resumeScript(), (e) => e.code === 400 && e.reason === 'BadRequest' && /no script is running/.test(e.message));
  assert.throws(() => c.resumeScript(-1), (e) => e.code === 400 && /maxSteps must be a non-negative number/.test(e.message));
  assert.equal(c.list('services', 'default').filter((s) => s.metadata.name.startsWith('c-')).length, 3);
  // Without maxSteps a script runs to its end in one call.
  const all = c.startScript('echo one; echo two');
  assert.deepEqual(all, { stdout: 'one\ntwo\n', stderr: '', output: 'one\ntwo\n', exitCode: 0, done: true, steps: 2 });
  c.free();
});
