// Differential: the real kubectl 1.33 over HTTP against `servicecidr-sim apiserver`, and the
// in-box `cluster.kubectl()` on an identically made cluster (same seed, range, release, start
// time and age), run the same corpus of command lines in the same order; stdout, stderr and
// the exit code must agree once volatile fields are normalised (timestamps, uids,
// resourceVersions, ages: the server's clock runs at real speed, the in-box one does not).
//
// Where they still differ for a reason, the line is listed in KNOWN with that reason (the same
// list is in docs/DESIGN-NOTES.md, "Real clients").

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { KUBECTLS, ROOT, haveKubectl, startServer } from './harness.mjs';

const require = createRequire(import.meta.url);
const NOW = '2026-11-10T10:34:06Z';
const AGE_S = 17 * 86400;
const SEED = 7;
const RANGE = '10.96.0.0/24';
const VERSION = '1.33';

const svc = (name, port) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  selector:
    app: ${name}
  ports:
  - port: ${port}
`;
const cidr = (name, c) => `apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: ${name}
spec:
  cidrs:
  - ${c}
`;

// [argv, stdin?]: run in this order on both sides.
const CORPUS = [
  [['get', 'servicecidr']],
  [['get', 'servicecidrs', '-o', 'wide']],
  [['get', 'servicecidr', 'kubernetes', '-o', 'yaml']],
  [['get', 'servicecidr', 'kubernetes', '-o', 'json']],
  [['get', 'servicecidr', 'kubernetes', '-o', 'jsonpath={.spec.cidrs[0]}']],
  [['get', 'servicecidr', '-o', 'name']],
  [['get', 'servicecidr', '--show-labels']],
  [['get', 'services', '-A']],
  [['get', 'svc', '-n', 'kube-system']],
  [['get', 'ipaddresses']],
  [['get', 'ipaddress', '-o', 'wide']],
  [['get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}']],
  [['get', 'svc', '-l', 'component=apiserver']],
  [['get', 'svc', '-l', 'component=apiserver', '--show-labels']],
  [['create', 'service', 'clusterip', 'web', '--tcp', '80']],
  [['create', 'service', 'clusterip', 'web', '--tcp', '80']],
  [['create', 'service', 'clusterip', 'web2', '--tcp', '80:8080', '--clusterip', '10.96.0.50']],
  [['create', 'service', 'clusterip', 'headless', '--clusterip', 'None', '--tcp', '80']],
  [['create', 'service', 'nodeport', 'np', '--tcp', '80']],
  [['create', 'service', 'loadbalancer', 'lb', '--tcp', '443']],
  [['create', 'service', 'externalname', 'ext', '--external-name', 'example.com']],
  [['create', 'service', 'clusterip', 'dry', '--tcp', '80', '--dry-run=server', '-o', 'yaml']],
  [['create', 'service', 'clusterip', 'web3', '--tcp', '80', '--clusterip', '10.200.0.1']],
  [['create', 'service', 'clusterip', 'Bad_Name', '--tcp', '80']],
  [['get', 'svc']],
  [['get', 'svc', '-o', 'wide']],
  [['get', 'svc', 'web', '-o', 'yaml']],
  [['get', 'svc', 'web', '-o', 'json']],
  [['get', 'ipaddress', '-o', 'name']],
  [['get', 'ipaddress', '10.96.0.50', '-o', 'yaml']],
  [['describe', 'svc', 'web']],
  [['describe', 'servicecidr', 'kubernetes']],
  [['describe', 'ipaddress', '10.96.0.1']],
  [['label', 'svc', 'web', 'tier=frontend']],
  [['label', 'svc', 'web', 'tier=backend']],
  [['label', 'svc', 'web', 'tier=backend', '--overwrite']],
  [['get', 'svc', '-l', 'tier=backend']],
  [['get', 'svc', '--show-labels']],
  [['get', 'svc', '-L', 'tier,app', '-L', 'example.com/team', '--show-labels']],
  [['get', 'svc', '-A', '-o', 'wide', '-L', 'tier']],
  [['get', 'ipaddress', '-L', 'ipaddress.kubernetes.io/managed-by', '--show-labels']],
  [['annotate', 'svc', 'web', 'note=hello']],
  [['annotate', 'svc', 'web', 'note-']],
  [['patch', 'svc', 'web', '-p', '{"metadata":{"labels":{"p":"1"}}}']],
  [['patch', 'svc', 'web', '--type=merge', '-p', '{"spec":{"ports":[{"port":81}]}}']],
  [['patch', 'svc', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/ports/0/port","value":82}]']],
  [['patch', 'svc', 'web', '--type=json', '-p', '[bad']],
  [['patch', 'svc', 'nosuch', '-p', '{}']],
  [['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].port}']],
  [['get', 'svc', 'web', '-o', 'go-template={{.metadata.name}} {{.spec.type}}']],
  [['get', 'svc', '-o', 'go-template={{range .items}}{{.metadata.name}} {{end}}']],
  [['apply', '-f', '-'], svc('app1', 80)],
  [['apply', '-f', '-'], svc('app1', 8080)],
  [['apply', '-f', '-'], svc('app1', 8080)],
  [['get', 'svc', 'app1', '-o', 'jsonpath={.spec.ports[0].port}']],
  [['apply', '--server-side', '-f', '-'], cidr('extra', '10.97.0.0/24')],
  [['apply', '--server-side', '-f', '-'], cidr('extra', '10.97.0.0/24')],
  [['create', '-f', '-'], cidr('extra2', '10.98.0.0/24')],
  [['create', '-f', '-'], cidr('extra2', '10.98.0.0/24')],
  [['get', 'servicecidrs']],
  [['get', 'servicecidr', 'extra', '-o', 'jsonpath={.status.conditions[0].reason}']],
  [['delete', 'servicecidr', 'extra2', '--wait=false']],
  [['delete', 'svc', 'ext']],
  [['delete', 'svc', 'np', '--wait=false']],
  [['delete', 'svc', 'lb', '--wait=false']],
  [['wait', '--for=delete', 'svc/lb', '--timeout=5s']],
  [['delete', 'svc', 'nosuch']],
  [['delete', 'svc', 'nosuch', '--ignore-not-found']],
  [['get', 'svc', 'nosuch']],
  [['get', 'nosuchkind']],
  [['get', 'all']],
  [['get', 'all,servicecidr', '-A', '-o', 'name']],
  [['get', 'api-extensions']],
  [['api-versions']],
  [['api-versions', 'x']],
  [['get', 'foos.networking.k8s.io']],
  [['get', 'Foo.Bar.baz']],
  [['delete', 'widgets.x', 'y']],
  [['get', 'servicecidrs.v1.networking.k8s.io']],
  [['get', 'svc', '-o', 'badformat']],
  [['get', 'svc', '-A', '-o', 'custom-columns=NS:.metadata.namespace,NAME:.metadata.name,PORTS:.spec.ports[*].port']],
  [['get', 'svc', '-o', 'custom-columns=L:.metadata.labels,P:{.spec.ports[0]},X:.nope', '--sort-by=.metadata.name']],
  [['get', 'svc,servicecidr', '-o', 'custom-columns=KIND:.kind,NAME:.metadata.name', '--no-headers']],
  [['get', 'ipaddress', '-o', 'custom-columns=IP:.metadata.name,PARENT:.spec.parentRef.name']],
  [['get', 'svc', '-o', 'custom-columns=A:.spec.ports[5].port']],
  [['get', 'svc', '-o', 'custom-columns=NAME']],
  [['explain', 'service.spec.clusterIP']],
  [['explain', 'servicecidr.spec']],
  [['explain', 'ipaddress']],
  [['api-resources']],
  [['api-resources', '--api-group=networking.k8s.io']],
  [['api-resources', '-o', 'name']],
  [['get', 'svc', '-A', '-o', 'name']],
  [['get', 'ipaddresses']],
  [['delete', 'svc', 'web', 'web2', 'headless', 'app1']],
  [['get', 'ipaddresses']],
  [['get', 'svc']],
];

/** Volatile fields to placeholders; column runs of spaces to one (ages change widths). */
function normalise(text) {
  return text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uid>')
    .replace(/("?resourceVersion"?:\s*)"\d+"/g, '$1"<rv>"')
    .replace(/(^|\s)(\d+[smhd](\d+[smh])?|<unknown>)(?=\s|$)/gm, '$1<age>')
    .replace(/(\S) {2,}/g, '$1 ');
}

/** One shell word for the in-box kubectl's line parser. */
function quote(a) {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/** Lines the two sides are known to print differently, and why (DESIGN-NOTES "Real clients"). */
const KNOWN = new Map([
  ['describe svc web', 'the server serves no EndpointSlices (discovery.k8s.io), so the real kubectl finds none and prints `Endpoints: <none>`; the in-box describe prints the empty slice a real cluster has for a selector without pods'],
  ['api-resources', 'the in-box kubectl lists its own kinds (crates/kubectl/src/cmd/info.rs KINDS), the real one what discovery serves: also configmaps, namespaces and the admissionregistration.k8s.io policies'],
  ['api-resources -o name', 'as api-resources'],
]);

test('real kubectl 1.33 over HTTP = in-box kubectl, line by line', { skip: !haveKubectl(KUBECTLS['1.33']), timeout: 180_000 }, async () => {
  assert.ok(CORPUS.length >= 60, `corpus of ${CORPUS.length}`);
  const srv = await startServer([
    '--seed', String(SEED), '--now', NOW, '--age', '17d',
    '--service-cluster-ip-range', RANGE, '--version', VERSION,
  ]);
  const { Cluster } = require(path.join(ROOT, 'pkg/node/servicecidr_sim.js'));
  const cluster = new Cluster({
    seed: SEED, now: Date.parse(NOW) - AGE_S * 1000, serviceClusterIPRange: RANGE, version: VERSION,
  });
  cluster.advance(AGE_S);
  const start = Date.now();
  const diffs = [];
  try {
    const env = srv.env(KUBECTLS['1.33']);
    for (const [argv, stdin] of CORPUS) {
      const line = argv.map(quote).join(' ');
      const real = spawnSync(KUBECTLS['1.33'], argv, {
        env, cwd: srv.dir, input: stdin ?? '', encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL',
      });
      // The in-box cluster's clock follows the wall clock too, so deletions' grace periods
      // and the like line up.
      const behind = Date.parse(NOW) + (Date.now() - start) - cluster.now();
      if (behind > 0) cluster.advance(behind / 1000);
      const box = cluster.kubectl(line, stdin);
      const a = { stdout: normalise(real.stdout), stderr: normalise(real.stderr), code: real.status };
      const b = { stdout: normalise(box.stdout), stderr: normalise(box.stderr), code: box.exitCode };
      if (JSON.stringify(a) !== JSON.stringify(b) && !KNOWN.has(line)) diffs.push({ line, real: a, inbox: b });
    }
  } finally {
    await srv.stop();
  }
  if (diffs.length) {
    const show = diffs.map((d) => `$ kubectl ${d.line}\n--- real kubectl 1.33\n${JSON.stringify(d.real, null, 1)}\n+++ in-box\n${JSON.stringify(d.inbox, null, 1)}`).join('\n\n');
    assert.fail(`${diffs.length} of ${CORPUS.length} lines differ:\n${show}`);
  }
});
