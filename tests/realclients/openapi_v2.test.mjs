// `/openapi/v2` against the real kubectl: 1.33 validates the items of a `kind: List` file
// against it (not against v3), and 1.27/1.28 read only v2, as gnostic protobuf, for
// validation (the fieldValidation query-parameter check) and for strategic merge patches.
// Without it all of these needed --validate=false.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bash, haveKubectl, startServer } from './harness.mjs';

const SDK = '/usr/lib/google-cloud-sdk/bin';
const SERVER = ['--service-cluster-ip-range', '10.96.0.0/24', '--seed', '5', '--version', '1.33'];

const SVC = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    targetPort: 8080
`;
const CIDR = `apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: extra
spec:
  cidrs:
  - 10.97.0.0/24
`;

// Recorded from the real binaries against this server: 1.33 checks List items itself against
// the v2 schema; 1.27/1.28 find fieldValidation on the PATCH operation and leave the check to
// the server's strict decoding.
const TYPO_LIST_133 = 'error: error validating "typo.json": error validating data: ValidationError(Service.spec): unknown field "prots" in io.k8s.api.core.v1.ServiceSpec; if you choose to ignore these errors, turn validation off with --validate=false\n';
const TYPO_APPLY_OLD = 'Error from server (BadRequest): error when creating "typo.yaml": ServiceCIDR in version "v1" cannot be handled as a ServiceCIDR: strict decoding error: unknown field "spec.cidrz"\n';

const run = (srv, bin, script) => bash(script, srv.env(bin), { timeoutMs: 60_000 });

test('kubectl 1.33 creates from a kind: List file (kubectl get -o json output, renamed)', { skip: !haveKubectl(`${SDK}/kubectl.1.33`), timeout: 120_000 }, async () => {
  const srv = await startServer(SERVER);
  try {
    const bin = `${SDK}/kubectl.1.33`;
    let r = run(srv, bin, 'kubectl create service clusterip web-1 --tcp 80 && kubectl create service clusterip web-2 --tcp 81:8081 && kubectl get svc -o json > list.json');
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(fs.readFileSync(path.join(srv.dir, 'list.json'), 'utf8'));
    assert.equal(list.kind, 'List');
    // What a user does to copy them: new names, no server-owned fields.
    list.items = list.items.filter((s) => s.metadata.name !== 'kubernetes').map((s) => {
      const { uid, resourceVersion, creationTimestamp, managedFields, ...meta } = s.metadata;
      const { clusterIP, clusterIPs, ...spec } = s.spec;
      return { ...s, metadata: { ...meta, name: meta.name.replace('web', 'copy') }, spec, status: undefined };
    });
    fs.writeFileSync(path.join(srv.dir, 'copy.json'), JSON.stringify(list, null, 2));
    r = run(srv, bin, 'kubectl create -f copy.json');
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'service/copy-1 created\nservice/copy-2 created\n');
    assert.equal(r.code, 0);
    r = run(srv, bin, "kubectl get svc copy-2 -o jsonpath='{.spec.ports[0].targetPort}'");
    assert.equal(r.stdout, '8081');

    // A typo in a List item: kubectl validates the item against the v2 schema itself.
    list.items = [{ ...list.items[0], metadata: { name: 'copy-3' }, spec: { ...list.items[0].spec, prots: [] } }];
    fs.writeFileSync(path.join(srv.dir, 'typo.json'), JSON.stringify(list));
    r = run(srv, bin, 'kubectl create -f typo.json');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, TYPO_LIST_133);
  } finally {
    await srv.stop();
  }
});

for (const v of ['1.27', '1.28']) {
  const bin = `${SDK}/kubectl.${v}`;
  test(`kubectl ${v} applies a Service and a ServiceCIDR with validation (protobuf /openapi/v2)`, { skip: !haveKubectl(bin), timeout: 120_000 }, async () => {
    const srv = await startServer(SERVER);
    try {
      fs.writeFileSync(path.join(srv.dir, 'svc.yaml'), SVC);
      fs.writeFileSync(path.join(srv.dir, 'cidr.yaml'), CIDR);
      let r = run(srv, bin, 'kubectl apply -f svc.yaml && kubectl apply -f cidr.yaml');
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, 'service/web created\nservicecidr.networking.k8s.io/extra created\n');
      // Re-apply with a change: a strategic merge patch computed from the v2 schema.
      fs.writeFileSync(path.join(srv.dir, 'svc.yaml'), SVC.replace('port: 80', 'port: 81'));
      r = run(srv, bin, "kubectl apply -f svc.yaml -v=8 2>&1 | grep -o 'Content-Type: application/[a-z-]*patch+json'; kubectl apply -f svc.yaml; kubectl get svc web -o jsonpath='{.spec.ports[*].port}'");
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, 'Content-Type: application/strategic-merge-patch+json\nservice/web unchanged\n81');
      // A typo'd field: kubectl sees fieldValidation on the PATCH operation in v2 and
      // leaves the check to the server (strict decoding error).
      fs.writeFileSync(path.join(srv.dir, 'typo.yaml'), CIDR.replace('cidrs:', 'cidrz:').replace('extra', 'typo'));
      r = run(srv, bin, 'kubectl apply -f typo.yaml');
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, TYPO_APPLY_OLD);
    } finally {
      await srv.stop();
    }
  });
}
