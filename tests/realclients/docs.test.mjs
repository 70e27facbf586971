// The "Extend Service IP Ranges" page (en and ja), every shell block run by REAL bash with the
// REAL kubectl (1.29, 1.31, 1.33 and the /usr/bin/kubectl dispatcher) against
// `servicecidr-sim apiserver --service-cluster-ip-range 10.96.0.0/28 --age 17d --version 1.33`,
// asserting what tests/docs_en.rs and tests/docs_ja.rs assert of the in-box run (with
// upstream's `reason: Terminating`, the last-applied annotation, and the ja page's `cat <EOF`
// failing as it does in bash).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KUBECTLS, haveKubectl, startServer, bash } from './harness.mjs';

// The page's shell blocks, verbatim (as tests/common/mod.rs and tests/docs_*.rs hold them).
const GET_SERVICECIDR = 'kubectl get servicecidr\n';
const GET_SERVICE = 'kubectl get service kubernetes\n';
const GET_IPADDRESS = 'kubectl get ipaddress 10.96.0.1\n';
const CREATE_1_13 = 'for i in $(seq 1 13); do kubectl create service clusterip "test-$i" --tcp 80 -o json | jq -r .spec.clusterIP; done\n';
const CREATE_13_16 = 'for i in $(seq 13 16); do kubectl create service clusterip "test-$i" --tcp 80 -o json | jq -r .spec.clusterIP; done\n';
const GET_YAML = 'kubectl get servicecidr newcidr1 -o yaml\n';
const DELETE_SERVICES = 'for i in $(seq 13 16); do kubectl delete service "test-$i" ; done\n';
const GET_NEWCIDR = 'kubectl get servicecidr newcidr1\n';
const APPLY_EN = 'cat <<EOF | kubectl apply -f -\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: newcidr1\nspec:\n  cidrs:\n  - 10.96.0.0/24\nEOF\n';
const DELETE_NO_WAIT = 'kubectl delete servicecidr newcidr1 --wait=false\n';
const APPLY_JA = 'cat <EOF | kubectl apply -f -\napiVersion: networking.k8s.io/v1beta1\nkind: ServiceCIDR\nmetadata:\n  name: newcidr1\nspec:\n  cidrs:\n  - 10.96.0.0/24\nEOF\n';
const DELETE_JA = 'kubectl delete servicecidr newcidr1\n';

const RANGE_FULL = 'error: failed to create ClusterIP service: Internal error occurred: failed to allocate a serviceIP: range is full\n';
const NOT_FOUND = 'Error from server (NotFound): servicecidrs.networking.k8s.io "newcidr1" not found\n';
const TABLE_SERVICECIDR = 'NAME         CIDRS          AGE\nkubernetes   10.96.0.0/28   17d\n';
const TABLE_SERVICE = 'NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nkubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   17d\n';
const TABLE_IPADDRESS = 'NAME        PARENTREF\n10.96.0.1   services/default/kubernetes\n';
const SERVER = ['--service-cluster-ip-range', '10.96.0.0/28', '--age', '17d', '--version', '1.33', '--seed', '1'];

const ipv4 = (s) => {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s.trim());
  assert.ok(m, `not an IPv4 address: ${JSON.stringify(s)}`);
  return ((+m[1] << 24) >>> 0) + (+m[2] << 16) + (+m[3] << 8) + +m[4];
};

function ok(r, want, what) {
  assert.deepEqual({ stdout: r.stdout, stderr: r.stderr, code: r.code }, { stdout: want, stderr: '', code: 0 }, what);
}
function fails(r, stderr, what) {
  assert.deepEqual({ stdout: r.stdout, stderr: r.stderr, code: r.code }, { stdout: '', stderr, code: 1 }, what);
}

function firstSteps(env) {
  ok(bash(GET_SERVICECIDR, env), TABLE_SERVICECIDR, 'get servicecidr');
  ok(bash(GET_SERVICE, env), TABLE_SERVICE, 'get service');
  ok(bash(GET_IPADDRESS, env), TABLE_IPADDRESS, 'get ipaddress');
  const r = bash(CREATE_1_13, env);
  const got = r.stdout.trim().split('\n').map(ipv4);
  assert.equal(got.length, 12, r.stdout + r.stderr);
  const want = [2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14].map((i) => ipv4('10.96.0.0') + i);
  assert.deepEqual([...got].sort((a, b) => a - b), want);
  assert.equal(r.stderr, RANGE_FULL);
  assert.equal(r.code, 0, "the loop's status is the last jq's");
}

function newRangeAddresses(env) {
  const r = bash(CREATE_13_16, env);
  const got = r.stdout.trim().split('\n').map(ipv4);
  assert.equal(new Set(got).size, 4, r.stdout + r.stderr);
  for (const ip of got) assert.ok(ip >= ipv4('10.96.0.17') && ip <= ipv4('10.96.0.254'), r.stdout);
  assert.deepEqual([r.stderr, r.code], ['', 0]);
}

/** The terminating ServiceCIDR as kubectl prints it; volatile fields from the live object. */
function terminatingYaml(env, manifestVersion) {
  const live = JSON.parse(bash('kubectl get servicecidr newcidr1 -o json', env).stdout);
  const m = live.metadata;
  return `apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"networking.k8s.io/${manifestVersion}","kind":"ServiceCIDR","metadata":{"annotations":{},"name":"newcidr1"},"spec":{"cidrs":["10.96.0.0/24"]}}
  creationTimestamp: "${m.creationTimestamp}"
  deletionGracePeriodSeconds: 0
  deletionTimestamp: "${m.deletionTimestamp}"
  finalizers:
  - networking.k8s.io/service-cidr-finalizer
  name: newcidr1
  resourceVersion: "${m.resourceVersion}"
  uid: ${m.uid}
spec:
  cidrs:
  - 10.96.0.0/24
status:
  conditions:
  - lastTransitionTime: "${live.status.conditions[0].lastTransitionTime}"
    message: There are still IPAddresses referencing the ServiceCIDR, please remove
      them or create a new ServiceCIDR
    reason: Terminating
    status: "False"
    type: Ready
`;
}

const deleted = (i) => `service "test-${i}" deleted\n`;

/** After the last Service goes, the controller drops the finalizer 10 s after the delete. */
function goneWithin(env, ms) {
  const until = Date.now() + ms;
  let r;
  do {
    r = bash(GET_NEWCIDR, env);
    if (r.code !== 0) break;
    bash('sleep 0.5', env);
  } while (Date.now() < until);
  fails(r, NOT_FOUND, 'the ServiceCIDR is gone');
}

for (const [name, bin] of Object.entries(KUBECTLS)) {
  test(`en page, real bash + kubectl ${name}`, { skip: !haveKubectl(bin) && `${bin} missing`, timeout: 90_000 }, async () => {
    const srv = await startServer(SERVER);
    try {
      const env = srv.env(bin);
      firstSteps(env);
      ok(bash(APPLY_EN, env), 'servicecidr.networking.k8s.io/newcidr1 created\n', 'apply');
      newRangeAddresses(env);
      ok(bash(DELETE_NO_WAIT, env), 'servicecidr.networking.k8s.io "newcidr1" deleted\n', 'delete --wait=false');
      const want = terminatingYaml(env, 'v1');
      ok(bash(GET_YAML, env), want, '-o yaml');
      ok(bash(DELETE_SERVICES, env), [13, 14, 15, 16].map(deleted).join(''), 'delete services');
      goneWithin(env, 20_000);
    } finally {
      await srv.stop();
    }
  });

  test(`ja page as written (cat <EOF), real bash + kubectl ${name}`, { skip: !haveKubectl(bin) && `${bin} missing`, timeout: 90_000 }, async () => {
    const srv = await startServer(SERVER);
    try {
      const env = srv.env(bin);
      firstSteps(env);
      // `cat <EOF` reads a file named EOF: there is none, kubectl gets nothing, and bash runs
      // the manifest lines as commands.
      const r = bash(APPLY_JA, env);
      assert.equal(
        r.stderr,
        'bash: line 1: EOF: No such file or directory\n' +
          'error: no objects passed to apply\n' +
          'bash: line 2: apiVersion:: command not found\n' +
          'bash: line 3: kind:: command not found\n' +
          'bash: line 4: metadata:: command not found\n' +
          'bash: line 5: name:: command not found\n' +
          'bash: line 6: spec:: command not found\n' +
          'bash: line 7: cidrs:: command not found\n' +
          'bash: line 8: -: command not found\n' +
          'bash: line 9: EOF: command not found\n',
      );
      assert.deepEqual([r.stdout, r.code], ['', 127]);
      const c = bash(CREATE_13_16, env);
      assert.deepEqual([c.stdout, c.stderr, c.code], ['', RANGE_FULL.repeat(4), 0]);
      fails(bash(DELETE_JA, env), NOT_FOUND, 'delete');
      fails(bash(GET_YAML, env), NOT_FOUND, 'get -o yaml');
      const d = bash(DELETE_SERVICES, env);
      assert.equal(d.stderr, [13, 14, 15, 16].map((i) => `Error from server (NotFound): services "test-${i}" not found\n`).join(''));
      assert.equal(d.code, 1);
      fails(bash(GET_NEWCIDR, env), NOT_FOUND, 'get');
    } finally {
      await srv.stop();
    }
  });

  test(`ja page, heredoc fixed, real bash + kubectl ${name}`, { skip: !haveKubectl(bin) && `${bin} missing`, timeout: 90_000 }, async () => {
    const srv = await startServer(SERVER);
    try {
      const env = srv.env(bin);
      firstSteps(env);
      ok(bash(APPLY_JA.replace('cat <EOF', 'cat <<EOF'), env), 'servicecidr.networking.k8s.io/newcidr1 created\n', 'apply v1beta1');
      newRangeAddresses(env);
      // Without --wait=false kubectl waits for the object to go; the finalizer stays while
      // the Services hold addresses only this range has, so it is still waiting when stopped
      // (the in-box run shows its one-week timeout; no test waits a week).
      const d = bash(DELETE_JA, env, { timeoutMs: 4000 });
      assert.equal(d.stdout, 'servicecidr.networking.k8s.io "newcidr1" deleted\n');
      assert.ok(d.timedOut, `kubectl returned (${d.code}): ${d.stderr}`);
      const want = terminatingYaml(env, 'v1beta1');
      ok(bash(GET_YAML, env), want, '-o yaml');
      ok(bash(DELETE_SERVICES, env), [13, 14, 15, 16].map(deleted).join(''), 'delete services');
      goneWithin(env, 20_000);
    } finally {
      await srv.stop();
    }
  });
}

// Issue #12: the dispatcher picks kubectl.1.<minor> from /version, so `--version 1.31`
// runs kubectl 1.31, and `get servicecidr` works against 1.31's discovery, which serves
// networking.k8s.io v1beta1 only.
test('--version 1.31: the dispatcher runs kubectl 1.31 against v1beta1-only discovery', {
  skip: !haveKubectl(KUBECTLS.dispatcher) && `${KUBECTLS.dispatcher} missing`,
  timeout: 60_000,
}, async () => {
  const srv = await startServer(['--service-cluster-ip-range', '10.96.0.0/28', '--age', '17d', '--version', '1.31', '--seed', '1']);
  try {
    const env = srv.env(KUBECTLS.dispatcher);
    const v = bash('kubectl version', env);
    assert.match(v.stdout, /^Client Version: v1\.31\.\d+\n/, v.stdout);
    assert.match(v.stdout, /Server Version: v1\.31\.0\n$/, v.stdout);
    ok(bash(GET_SERVICECIDR, env), TABLE_SERVICECIDR, 'get servicecidr');
    const r = bash('kubectl api-resources --api-group=networking.k8s.io -o name', env);
    assert.equal(r.stdout, 'ipaddresses.networking.k8s.io\nservicecidrs.networking.k8s.io\n');
    const gv = bash('kubectl get servicecidr kubernetes -o jsonpath={.apiVersion}', env);
    assert.equal(gv.stdout, 'networking.k8s.io/v1beta1');
  } finally {
    await srv.stop();
  }
});

// Issue #13: the en page's allowed-ranges policy, applied verbatim by the real kubectl over
// HTTP (the server evaluates it with the CEL module), refuses 172.20.0.0/16 with upstream's text.
test("the en page's ValidatingAdmissionPolicy sample with the real kubectl 1.33", {
  skip: !haveKubectl(KUBECTLS['1.33']) && `${KUBECTLS['1.33']} missing`,
  timeout: 60_000,
}, async () => {
  const srv = await startServer(SERVER);
  try {
    const env = srv.env(KUBECTLS['1.33']);
    const sample = new URL('../../crates/admission/tests/data/vap-servicecidr-default.yaml', import.meta.url).pathname;
    ok(
      bash(`kubectl apply -f ${sample}`, env),
      'validatingadmissionpolicy.admissionregistration.k8s.io/servicecidrs.default created\n' +
        'validatingadmissionpolicybinding.admissionregistration.k8s.io/servicecidrs-default-binding created\n',
      'apply the policy',
    );
    const cidr = (name, c) => `cat <<EOF | kubectl apply -f -\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: ${name}\nspec:\n  cidrs:\n  - ${c}\nEOF\n`;
    fails(
      bash(cidr('outside', '172.20.0.0/16'), env),
      "The servicecidrs \"outside\" is invalid: : ValidatingAdmissionPolicy 'servicecidrs.default' with binding 'servicecidrs-default-binding' denied request: failed expression: object.spec.cidrs.all(newCIDR, variables.allowed.exists(allowedCIDR, cidr(allowedCIDR).containsCIDR(newCIDR)))\n",
      'denied',
    );
    ok(bash(cidr('newcidr1', '10.96.1.0/24'), env), 'servicecidr.networking.k8s.io/newcidr1 created\n', 'admitted');
  } finally {
    await srv.stop();
  }
});
