// The official client libraries against `servicecidr-sim apiserver`: the Python client
// (`kubernetes`, pinned in pkg-scripts/setup) and @kubernetes/client-node (devDependency).
// Both create, list, get, patch and delete Services, ServiceCIDRs and IPAddresses, watch a
// ServiceCIDR go through Terminating (ADDED, MODIFIED, DELETED), and get upstream's Status in
// their errors for NotFound (404) and a full range (500).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { ROOT, startServer } from './harness.mjs';

const SERVER = ['--service-cluster-ip-range', '10.96.0.0/28', '--seed', '3', '--version', '1.33'];
const RANGE_FULL_MESSAGE = 'Internal error occurred: failed to allocate a serviceIP: range is full';

/** client-node's models are class instances; compare their JSON. */
const plain = (v) => JSON.parse(JSON.stringify(v));

const pythonHasClient = spawnSync('python3', ['-c', 'import kubernetes'], { timeout: 30_000 }).status === 0;

test('Python client: CRUD, watch through Terminating, Status in ApiException', { skip: !pythonHasClient && 'pip package kubernetes missing (pkg-scripts/setup)', timeout: 120_000 }, async () => {
  const srv = await startServer(SERVER);
  try {
    const r = spawnSync('python3', [path.join(ROOT, 'tests/realclients/python_client.py'), srv.kubeconfig], {
      encoding: 'utf8', timeout: 90_000, killSignal: 'SIGKILL', env: { ...srv.env(), PYTHONPATH: process.env.PYTHONPATH ?? '', PATH: process.env.PATH },
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.match(out.service_ip, /^10\.96\.0\.\d+$/);
    assert.deepEqual(out.service_names, ['kubernetes', 'py-web']);
    assert.equal(out.service_get, 80);
    assert.deepEqual(out.service_patched_labels, { x: 'y' });
    // `group` is omitempty upstream: the core group's empty name is not sent.
    assert.deepEqual(out.ipaddress_parent, { group: null, resource: 'services', namespace: 'default', name: 'py-web' });
    assert.equal(out.ipaddress_count, 3);
    assert.deepEqual(out.ipaddress_patched_labels, { by: 'python' });
    assert.deepEqual(out.servicecidr_get, ['10.97.0.0/24']);
    assert.deepEqual(out.terminating_reason, ['Terminating']);
    const types = out.watch.map((e) => e[0]);
    assert.equal(types[0], 'ADDED', JSON.stringify(out.watch));
    assert.equal(types.at(-1), 'DELETED', JSON.stringify(out.watch));
    assert.ok(out.watch.some(([t, reasons, deleting]) => t === 'MODIFIED' && deleting && reasons.includes('Terminating')), JSON.stringify(out.watch));
    assert.equal(out.not_found.status, 404);
    assert.deepEqual(out.not_found.body, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'services "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'services' }, code: 404,
    });
    assert.equal(out.range_full.status, 500);
    assert.equal(out.range_full.body.reason, 'InternalError');
    assert.equal(out.range_full.body.message, RANGE_FULL_MESSAGE);
    assert.equal(out.after_delete, false);
  } finally {
    await srv.stop();
  }
});

test('@kubernetes/client-node: CRUD, watch through Terminating, Status in ApiException', { timeout: 120_000 }, async () => {
  const srv = await startServer(SERVER);
  try {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(srv.kubeconfig);
    // client-node refuses plain http unless the cluster says skipTLSVerify (its own rule).
    kc.loadFromOptions({
      clusters: kc.clusters.map((c) => ({ ...c, skipTLSVerify: true })),
      users: kc.users, contexts: kc.contexts, currentContext: kc.currentContext,
    });
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const net = kc.makeApiClient(k8s.NetworkingV1Api);
    const ns = 'default';

    const svc = await core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'js-web' }, spec: { ports: [{ port: 80 }] } } });
    assert.match(svc.spec.clusterIP, /^10\.96\.0\.\d+$/);
    const list = await core.listNamespacedService({ namespace: ns });
    assert.deepEqual(list.items.map((s) => s.metadata.name).sort(), ['js-web', 'kubernetes']);
    assert.equal((await core.readNamespacedService({ name: 'js-web', namespace: ns })).spec.ports[0].port, 80);
    const patched = await core.patchNamespacedService(
      { name: 'js-web', namespace: ns, body: { metadata: { labels: { x: 'y' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(plain(patched.metadata.labels), { x: 'y' });

    const ip = await net.readIPAddress({ name: svc.spec.clusterIP });
    assert.deepEqual(plain(ip.spec.parentRef), { resource: 'services', namespace: ns, name: 'js-web' });
    assert.equal((await net.listIPAddress()).items.length, 3);
    await net.createIPAddress({ body: { metadata: { name: '10.96.0.12' }, spec: { parentRef: { group: '', resource: 'services', namespace: ns, name: 'js-none' } } } });
    const ipp = await net.patchIPAddress({ name: '10.96.0.12', body: { metadata: { labels: { by: 'js' } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    assert.deepEqual(plain(ipp.metadata.labels), { by: 'js' });
    await net.deleteIPAddress({ name: '10.96.0.12' });

    // Watch one ServiceCIDR through Terminating.
    const seen = [];
    const rv = (await net.listServiceCIDR()).metadata.resourceVersion;
    let deleted;
    let watchEnd;
    const gone = new Promise((resolve) => { deleted = resolve; });
    const w = await new k8s.Watch(kc).watch('/apis/networking.k8s.io/v1/servicecidrs', { resourceVersion: rv, timeoutSeconds: 25 }, (type, obj) => {
      if (obj.metadata?.name !== 'js-extra') return;
      seen.push([type, (obj.status?.conditions ?? []).map((c) => c.reason), Boolean(obj.metadata.deletionTimestamp)]);
      if (type === 'DELETED') deleted();
    }, (e) => { watchEnd = e; deleted(); });
    await net.createServiceCIDR({ body: { metadata: { name: 'js-extra' }, spec: { cidrs: ['10.97.0.0/24'] } } });
    assert.deepEqual((await net.readServiceCIDR({ name: 'js-extra' })).spec.cidrs, ['10.97.0.0/24']);
    await net.patchServiceCIDR({ name: 'js-extra', body: { metadata: { labels: { by: 'js' } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'js-held' }, spec: { clusterIP: '10.97.0.5', ports: [{ port: 80 }] } } });
    await net.deleteServiceCIDR({ name: 'js-extra' });
    const terminating = await net.readServiceCIDR({ name: 'js-extra' });
    assert.deepEqual(terminating.status.conditions.map((c) => c.reason), ['Terminating']);
    await core.deleteNamespacedService({ name: 'js-held', namespace: ns });
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    w.abort();
    assert.equal(seen[0]?.[0], 'ADDED', `${JSON.stringify(seen)} ${watchEnd}`);
    assert.equal(seen.at(-1)?.[0], 'DELETED', JSON.stringify(seen));
    assert.ok(seen.some(([t, reasons, deleting]) => t === 'MODIFIED' && deleting && reasons.includes('Terminating')), JSON.stringify(seen));

    // Errors carry upstream's Status.
    const err = await core.readNamespacedService({ name: 'nope', namespace: ns }).catch((e) => e);
    assert.ok(err instanceof k8s.ApiException, String(err));
    assert.equal(err.code, 404);
    assert.deepEqual(JSON.parse(err.body), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'services "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'services' }, code: 404,
    });
    let full;
    for (let i = 0; i < 20 && !full; i++) {
      full = await core.createNamespacedService({ namespace: ns, body: { metadata: { name: `js-fill-${i}` }, spec: { ports: [{ port: 80 }] } } }).then(() => undefined, (e) => e);
    }
    assert.ok(full instanceof k8s.ApiException, String(full));
    assert.equal(full.code, 500);
    const status = JSON.parse(full.body);
    assert.deepEqual([status.reason, status.message, status.code], ['InternalError', RANGE_FULL_MESSAGE, 500]);

    await core.deleteNamespacedService({ name: 'js-web', namespace: ns });
    assert.ok(!(await core.listNamespacedService({ namespace: ns })).items.some((s) => s.metadata.name === 'js-web'));
  } finally {
    await srv.stop();
  }
});
