#!/usr/bin/env node
// A bounded loopback load generator for `servicecidr-sim apiserver` (the built pkg/):
//   node bench/http-load.mjs [--seconds 10] [--concurrency 16] [--services 10000]
// Starts the server on a free 127.0.0.1 port, then measures
//   1. `kubectl get services` as kubectl asks it (a Table), for --seconds;
//   2. `kubectl create service clusterip` (POST), for --seconds;
//   3. the server's RSS once the cluster holds --services Services.
// Prints requests/s and p50/p99 latency per phase, and the RSS. Every phase stops on time;
// the server is killed by its PID at the end.

import http from 'node:http';
import { startServer } from '../tests/realclients/harness.mjs';

const opts = { seconds: 10, concurrency: 16, services: 10_000 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const k = argv[i].replace(/^--/, '');
  if (!(k in opts) || !/^\d+$/.test(argv[i + 1] ?? '')) {
    console.error('usage: node bench/http-load.mjs [--seconds N] [--concurrency N] [--services N]');
    process.exit(2);
  }
  opts[k] = Number(argv[++i]);
}

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });

function send(base, method, p, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${p}`, { method, headers, agent, timeout: 30_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Runs `one(i)` from `concurrency` loops for `seconds`; returns the latencies (ms). */
async function phase(seconds, one) {
  const lat = [];
  const until = Date.now() + seconds * 1000;
  let n = 0;
  const loop = async () => {
    while (Date.now() < until) {
      const t = process.hrtime.bigint();
      await one(n++);
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: opts.concurrency }, loop));
  const elapsed = (Date.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(2);
  return { n: lat.length, rps: (lat.length / elapsed).toFixed(0), p50: q(0.5), p99: q(0.99) };
}

const create = (base, name) =>
  send(base, 'POST', '/api/v1/namespaces/default/services', { 'Content-Type': 'application/json', Accept: 'application/json' },
    JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], type: 'ClusterIP' } }));

const srv = await startServer(['--service-cluster-ip-range', '10.96.0.0/16', '--seed', '1']);
try {
  const base = srv.url;
  // A few Services so the Table has rows, as on a small cluster.
  for (let i = 0; i < 20; i++) await create(base, `seed-${i}`);
  const get = await phase(opts.seconds, async () => {
    const s = await send(base, 'GET', '/api/v1/namespaces/default/services?limit=500', { Accept: TABLE });
    if (s !== 200) throw new Error(`get: ${s}`);
  });
  console.log(`get services (Table, 22 rows): ${get.rps} req/s, p50 ${get.p50} ms, p99 ${get.p99} ms (${get.n} requests, concurrency ${opts.concurrency})`);
  const post = await phase(opts.seconds, async (i) => {
    const s = await create(base, `load-${i}`);
    if (s !== 201) throw new Error(`create: ${s}`);
  });
  console.log(`create service: ${post.rps} req/s, p50 ${post.p50} ms, p99 ${post.p99} ms (${post.n} requests, concurrency ${opts.concurrency})`);
} finally {
  await srv.stop();
}

// Memory at N Services: a fresh server, filled to exactly N (plus kubernetes and kube-dns).
const fresh = await startServer(['--service-cluster-ip-range', '10.96.0.0/16', '--seed', '1']);
try {
  const base = fresh.url;
  const idle = fresh.rss();
  let have = 0;
  const fillUntil = Date.now() + 300_000;
  for (let i = 0; have < opts.services && Date.now() < fillUntil; i++) {
    const batch = Math.min(opts.concurrency, opts.services - have);
    const codes = await Promise.all(Array.from({ length: batch }, (_, j) => create(base, `fill-${i}-${j}`)));
    have += codes.filter((c) => c === 201).length;
  }
  const list = await new Promise((resolve, reject) => {
    http.get(`${base}/api/v1/services`, { agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks)).items.length));
    }).on('error', reject);
  });
  console.log(`server RSS: ${(idle / 2 ** 20).toFixed(1)} MiB at start, ${(fresh.rss() / 2 ** 20).toFixed(1)} MiB with ${list} Services`);
} finally {
  agent.destroy();
  await fresh.stop();
}
