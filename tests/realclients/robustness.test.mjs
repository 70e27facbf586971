// Robustness of `servicecidr-sim apiserver` on loopback: 1 000 random and malformed requests,
// then 100 concurrent clients creating and deleting Services for a bounded time. The process
// stays up, every answer is well-formed (a metav1.Status for API errors), no Service ends with
// a duplicate ClusterIP or without its IPAddress, and the server's RSS stays flat.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { startServer } from './harness.mjs';

const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

/** One request; resolves to { status, headers, body } (body as text), or { error }. */
function request(base, { method = 'GET', path = '/', headers = {}, body } = {}) {
  return new Promise((resolve) => {
    const req = http.request(`${base}${path}`, { method, headers, agent, timeout: 10_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => resolve({ error }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ error }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A deterministic PRNG (xorshift32), so a failure replays. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

const PATHS = [
  '/', '/api', '/api/v1', '/apis', '/apis/networking.k8s.io/v1', '/version', '/healthz', '/openapi/v3',
  '/api/v1/namespaces/default/services', '/api/v1/services', '/api/v1/namespaces/default/services/kubernetes',
  '/apis/networking.k8s.io/v1/servicecidrs', '/apis/networking.k8s.io/v1/servicecidrs/kubernetes',
  '/apis/networking.k8s.io/v1/servicecidrs/kubernetes/status', '/apis/networking.k8s.io/v1/ipaddresses',
  '/apis/networking.k8s.io/v1beta1/servicecidrs', '/api/v1/namespaces/nope/services/x', '/apis/nope/v1/x',
  '/api/v1/namespaces/default/services/%ff%fe', '/api/v1/namespaces/default/services/' + 'a'.repeat(300),
  '/../../etc/passwd', '//api//v1', '/api/v1/namespaces/default/services?labelSelector=%%%',
  '/api/v1/namespaces/default/services?fieldSelector=spec.x%3Dy', '/api/v1/namespaces/default/services?limit=-1',
  '/api/v1/namespaces/default/services?watch=true&timeoutSeconds=0', '/apis/networking.k8s.io/v1/servicecidrs?resourceVersion=abc',
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'];
const TYPES = [
  'application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'application/merge-patch+json',
  'application/json-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml',
  'text/plain', 'multipart/form-data; boundary=x', '', 'application/json; charset=utf-16',
];
// Protobuf envelope (k8s\0 magic) cut short, with a garbage tail, or bare magic.
const PROTO = [
  Buffer.from([0x6b, 0x38, 0x73, 0x00]),
  Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0c, 0x0a, 0x02, 0x76, 0x31]),
  Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x12, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]),
  Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
];
const BODIES = [
  '', '{', '}', 'null', '[]', '"x"', '{"kind":"Service"}', '{"apiVersion":"v1","kind":"Service","metadata":{"name":"r"},"spec":{"ports":[{"port":80}]}}',
  '{"apiVersion":"v1","kind":"Service","metadata":{"name":"r2"},"spec":{"clusterIP":"999.1.1.1","ports":[{"port":80}]}}',
  '{"apiVersion":"networking.k8s.io/v1","kind":"ServiceCIDR","metadata":{"name":"rc"},"spec":{"cidrs":["10.250.0.0/24"]}}',
  '[{"op":"replace","path":"/spec","value":1}]', '[{"op":"nope"}]', 'apiVersion: v1\nkind: Service\n  bad: indent',
  '\u0000\u0001\u0002', '{"metadata":' + '{"a":'.repeat(200) + '1' + '}'.repeat(201), '{"a":"' + 'x'.repeat(70_000) + '"}',
];

function wellFormed(r, what) {
  assert.ok(!r.error, `${what}: ${r.error}`);
  assert.ok(r.status >= 200 && r.status < 600, `${what}: status ${r.status}`);
  const ct = r.headers['content-type'] ?? '';
  if (r.status >= 400 && ct.startsWith('application/json') && r.body) {
    const s = JSON.parse(r.body);
    assert.equal(s.kind, 'Status', `${what}: ${r.body.slice(0, 200)}`);
    assert.equal(s.code, r.status, `${what}: ${r.body.slice(0, 200)}`);
  }
}

/** A raw socket exchange: for what node's client would refuse to send. */
function raw(port, bytes) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks = [];
    s.setTimeout(5000, () => s.destroy());
    s.on('data', (c) => chunks.push(c));
    s.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    s.on('error', () => {});
    s.end(bytes);
  });
}

async function invariants(base) {
  const svcs = JSON.parse((await request(base, { path: '/api/v1/services' })).body).items;
  const ips = JSON.parse((await request(base, { path: '/apis/networking.k8s.io/v1/ipaddresses' })).body).items;
  const byName = new Map(ips.map((i) => [i.metadata.name, i]));
  const seen = new Set();
  for (const s of svcs) {
    for (const ip of s.spec.clusterIPs ?? []) {
      if (ip === 'None') continue;
      assert.ok(!seen.has(ip), `duplicate ClusterIP ${ip}`);
      seen.add(ip);
      const a = byName.get(ip);
      assert.ok(a, `Service ${s.metadata.namespace}/${s.metadata.name} holds ${ip} without an IPAddress`);
      assert.equal(a.spec.parentRef.name, s.metadata.name);
    }
  }
  return svcs.length;
}

test('1 000 random and malformed requests, then 100 concurrent create/delete clients', { timeout: 150_000 }, async () => {
  const srv = await startServer(['--service-cluster-ip-range', '10.96.0.0/22', '--seed', '11']);
  const base = srv.url;
  try {
    const rss0 = srv.rss();
    const rand = rng(20261204);
    const pick = (a) => a[Math.floor(rand() * a.length)];
    for (let i = 0; i < 1000; i++) {
      let method = pick(METHODS);
      const p = pick(PATHS);
      // A DELETE of a whole collection is a legitimate deletecollection (the repair loop
      // puts IPAddresses back minutes later): read those instead, so the invariants hold now.
      if (method === 'DELETE' && !/\/(services|servicecidrs|ipaddresses)\/[^/?]+/.test(p)) method = 'GET';
      const headers = { Accept: pick(['application/json', '*/*', 'application/yaml', 'application/json;as=Table;v=v1;g=meta.k8s.io', 'application/vnd.kubernetes.protobuf', 'text/html', '']) };
      const ct = pick(TYPES);
      if (ct) headers['Content-Type'] = ct;
      let body;
      if (!['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(method) || rand() < 0.1) {
        body = ct.includes('protobuf') ? pick(PROTO) : pick(BODIES);
      }
      if (rand() < 0.05) headers['X-Huge'] = 'h'.repeat(Math.floor(rand() * 20_000));
      if (!headers.Accept) delete headers.Accept;
      const r = await request(base, { method, path: p, headers, body });
      if (r.error && headers['X-Huge']) continue; // node's 431 closes the socket
      wellFormed(r, `#${i} ${method} ${p} ${ct}`);
    }
    // What node's own client would not send: broken HTTP, a 100 KiB header, a lying length.
    assert.match(await raw(srv.port, 'GARBAGE\r\n\r\n'), /^HTTP\/1\.1 400/);
    assert.match(await raw(srv.port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(100_000)}\r\n\r\n`), /^HTTP\/1\.1 431/);
    await raw(srv.port, 'POST /api/v1/namespaces/default/services HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"kind":');
    assert.ok(srv.alive(), 'the server survived the malformed requests');
    const before = await invariants(base);

    // 100 clients, each creating and deleting its own Services until the deadline.
    const deadline = Date.now() + 15_000;
    let ok = 0;
    const worker = async (w) => {
      for (let n = 0; Date.now() < deadline; n++) {
        const name = `w${w}-${n}`;
        const c = await request(base, {
          method: 'POST', path: '/api/v1/namespaces/default/services', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }] } }),
        });
        wellFormed(c, `create ${name}`);
        if (c.status === 201) ok++;
        const d = await request(base, { method: 'DELETE', path: `/api/v1/namespaces/default/services/${name}` });
        wellFormed(d, `delete ${name}`);
      }
    };
    const rssSamples = [];
    const sampler = setInterval(() => rssSamples.push(srv.rss()), 500);
    await Promise.all(Array.from({ length: 100 }, (_, w) => worker(w)));
    clearInterval(sampler);
    assert.ok(srv.alive(), 'the server survived the load');
    assert.ok(ok > 100, `only ${ok} creates succeeded`);
    assert.equal(await invariants(base), before, 'every Service the clients made is gone');
    // Flat memory: the wasm heap grows while the bounded logs fill (the watch log keeps the
    // last 20 000 events, the trace and Events rings theirs) and never shrinks, so the RSS
    // climbs at first; after that it must level off. The last third of the run may add at
    // most 16 MiB, and the whole run at most 160 MiB.
    const rss1 = srv.rss();
    const mib = (b) => (b / 2 ** 20).toFixed(0);
    const trail = rssSamples.map(mib).join(' ');
    assert.ok(rss1 - rss0 < 160 * 2 ** 20, `RSS ${mib(rss0)} -> ${mib(rss1)} MiB: ${trail}`);
    const last = rssSamples.slice(Math.floor((rssSamples.length * 2) / 3));
    assert.ok(Math.max(...last) - last[0] < 16 * 2 ** 20, `RSS (MiB) over the run: ${trail}`);
    console.log(`# RSS ${mib(rss0)} -> ${mib(rss1)} MiB, ${ok} creates; samples: ${trail}`);
  } finally {
    agent.destroy();
    await srv.stop();
  }
});
