// servicecidr-sim apiserver: the simulated Kubernetes API over HTTP, for the real kubectl,
// client libraries and scripts. A thin adapter from node:http to the wasm Cluster's
// handle(): routing, content negotiation, Tables, Status errors, discovery, OpenAPI, patch
// and protobuf all live in Rust (crates/apiserver), where the in-box kubectl uses them too.
// What is here: sockets, the bearer token, the body limit, the clock, and open watches.
//
// Time: the cluster runs on the system clock. Its clock only moves when told to, so this
// adapter moves it to Date.now() before every request and whenever the next controller work
// falls due (a timer on pendingWork()): the 10 s ServiceCIDR deletion grace, the 60 s leaked
// IP cleanup and the 3-minute repair resync fire on time with no request arriving. --age
// starts that clock the given span in the past and catches up at once, so the bootstrap
// objects are that old, as on the docs page's 17-day-old cluster.

import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseAge } from './check-docs.js';
import { PREFIX as ADMIN_PREFIX, handleAdmin } from './admin.js';

const HELP = `usage: servicecidr-sim apiserver [options]

Serves a simulated Kubernetes control plane (Services, ServiceCIDRs, IPAddresses) over HTTP,
for kubectl and client libraries. Prints the URL and an 'export KUBECONFIG=...' line.

options:
  --port N                          listen port (default 6443; 0 picks a free one)
  --bind ADDRESS                    listen address (default 127.0.0.1)
  --service-cluster-ip-range CIDRS  kube-apiserver's flag: "v4", "v6" or "v4,v6" (default 10.96.0.0/12)
  --seed N                          PRNG seed: same seed and requests, same IPs and uids
  --age DURATION                    the cluster's age at start (17d, 3h, 90s): its objects were created then
  --now TIME                        the clock at start (RFC 3339 or epoch ms; default the system clock);
                                    it then runs at real speed from there
  --version X.Y                     the Kubernetes release to emulate (default the newest modelled)
  --state FILE                      load a snapshot from FILE at start (if it exists), save to it on exit;
                                    with --service-cluster-ip-range or --version, the restored cluster's
                                    serving kube-apiserver restarts with those flags
  --import FILE                     start from what 'kubectl get services,servicecidrs,ipaddresses -A
                                    -o json' (or -o yaml) printed; the report goes to stderr
  --kubeconfig FILE                 where to write a kubeconfig for this server (default: a temp file)
  --token TOKEN                     require 'Authorization: Bearer TOKEN' (needed for a non-loopback --bind)
  --verbose                         one line per request on stderr

The kube-apiserver processes (restart with new flags, a second instance) are driven under
/simulator/v1/apiservers; see the README.`;

/** kube-apiserver's limit on a request body (maxRequestBodyBytes, 3 MiB); handle() answers 413 above it. */
export const BODY_LIMIT = 3 * 1024 * 1024;
/** Paths upstream's RBAC lets anyone read (system:public-info-viewer). */
const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);
/** How often open watches are polled when nothing else happens (timeouts, bookmarks). */
const WATCH_TICK_MS = 1000;

export function parseArgs(argv) {
  const opts = { port: 6443, bind: '127.0.0.1', verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(0, eq) : a;
    const value = () => {
      if (eq >= 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) throw new Error(`${name} needs a value`);
      return argv[++i];
    };
    switch (name) {
      case '-h': case '--help': opts.help = true; break;
      case '--verbose': case '-v': opts.verbose = true; break;
      case '--port': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) > 65535) throw new Error(`--port must be 0..65535, got ${v}`);
        opts.port = Number(v);
        break;
      }
      case '--bind': opts.bind = value(); break;
      case '--service-cluster-ip-range': opts.range = value(); break;
      case '--seed': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new Error(`--seed must be a non-negative integer, got ${v}`);
        opts.seed = Number(v);
        break;
      }
      case '--age': {
        const v = value();
        if (parseAge(v) === null) throw new Error(`--age must look like 17d, 3h, 90s; got ${v}`);
        opts.age = parseAge(v);
        break;
      }
      case '--now': {
        const v = value();
        const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
        if (!Number.isFinite(ms)) throw new Error(`--now must be RFC 3339 or epoch milliseconds, got ${v}`);
        opts.now = ms;
        break;
      }
      case '--version': opts.version = value(); break;
      case '--state': opts.state = value(); break;
      case '--import': opts.import = value(); break;
      case '--kubeconfig': opts.kubeconfig = value(); break;
      case '--token': {
        opts.token = value();
        if (!opts.token) throw new Error('--token must not be empty');
        break;
      }
      default: throw new Error(`unknown option ${a}`);
    }
  }
  return opts;
}

function isLoopback(host) {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function kubeconfig(url, token) {
  // JSON is YAML: kubectl reads it as is.
  return `${JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'servicecidr-sim', cluster: { server: url } }],
    users: [{ name: 'servicecidr-sim', user: token ? { token } : {} }],
    contexts: [{ name: 'servicecidr-sim', context: { cluster: 'servicecidr-sim', user: 'servicecidr-sim', namespace: 'default' } }],
    'current-context': 'servicecidr-sim',
  }, null, 2)}\n`;
}

function writeFileAtomic(file, text, mode) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.renameSync(tmp, file);
}

/** The answer when authentication fails: upstream's 401 Status. */
function unauthorized(res) {
  const body = JSON.stringify({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401,
  });
  res.writeHead(401, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.end(body);
}

/** Header pairs to node's form, keeping repeated names (several Warning headers). */
function headerObject(pairs) {
  const out = {};
  for (const [k, v] of pairs) {
    const key = k.toLowerCase();
    if (key in out) out[key] = [].concat(out[key], v);
    else out[key] = v;
  }
  return out;
}

/** One line about a kube-apiserver start: its flags and, if it failed, upstream's message. */
function reportStart(a, log) {
  const flags = `--service-cluster-ip-range=${a.serviceClusterIPRange} (Kubernetes ${a.version})`;
  log(a.state === 'Failed' ? `kube-apiserver ${a.name} ${flags} failed to start: ${a.message}` : `kube-apiserver ${a.name} ${flags}: ${a.state}`);
}

/** --import: a cluster holding exactly the exported objects; kube-apiserver's start is queued. */
function importCluster(Cluster, opts, options, log) {
  if (opts.state && fs.existsSync(opts.state)) {
    throw new Error(
      `--import builds the cluster from ${opts.import}, and --state ${opts.state} already holds one: ` +
      'remove that file, or give another --state to save the imported cluster to',
    );
  }
  if (opts.age !== undefined) {
    throw new Error('--age makes a new cluster that old; an --import keeps its objects\' own timestamps (set the clock with --now)');
  }
  let text;
  try {
    text = fs.readFileSync(opts.import, 'utf8');
  } catch (e) {
    throw new Error(`--import ${opts.import}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  const cluster = Cluster.fromObjects(text, options);
  const r = cluster.importReport;
  log(`imported ${opts.import}: ${r.services} Services, ${r.serviceCIDRs} ServiceCIDRs, ${r.ipAddresses} IPAddresses, ` +
    `${r.other} other objects (resourceVersion ${r.resourceVersion}); skipped ${r.skipped.length}`);
  for (const s of r.skipped) {
    log(`  skipped ${s.apiVersion ? `${s.apiVersion} ` : ''}${s.kind || '(no kind)'} ${s.namespace ? `${s.namespace}/` : ''}${s.name}: ${s.reason}`);
  }
  return cluster;
}

/** Starts the server; resolves to { url, kubeconfigPath, stop() } once it listens. */
export async function start(opts, log = (line) => process.stderr.write(`${line}\n`)) {
  if (!opts.token && !isLoopback(opts.bind)) {
    throw new Error(
      `--bind ${opts.bind} is not a loopback address, and without --token anyone who can reach it ` +
      'could change the cluster. Pass --token TOKEN to require a bearer token (the kubeconfig ' +
      'written by --kubeconfig carries it), or bind to 127.0.0.1.',
    );
  }
  const require = createRequire(import.meta.url);
  const { Cluster } = require(process.env.SERVICECIDR_SIM_NODE_PKG || '../node/servicecidr_sim.js');

  // The server's idea of now: the system clock, or --now's instant moving at real speed
  // (so runs with the same --now, --seed and requests create the same objects at the same
  // times, give or take the seconds they take).
  const offset = opts.now === undefined ? 0 : opts.now - Date.now();
  const wallNow = () => Date.now() + offset;

  const options = { now: wallNow() - 1000 * (opts.age ?? 0) };
  if (opts.range !== undefined) options.serviceClusterIPRange = opts.range;
  if (opts.seed !== undefined) options.seed = opts.seed;
  if (opts.version !== undefined) options.version = opts.version;
  let cluster;
  /** What starts once admission is wired: imported and restored policies judge the start-up's writes. */
  let startup = () => {};
  if (opts.import !== undefined) {
    cluster = importCluster(Cluster, opts, options, log);
    // kube-apiserver starts on the imported objects at once, as a real one on that etcd: the
    // repair loop's first pass repairs what it finds, with its events, before any request.
    startup = () => {
      cluster.reconcile();
      for (const a of cluster.apiservers()) reportStart(a, log);
    };
  } else if (opts.state && fs.existsSync(opts.state)) {
    cluster = Cluster.restore(JSON.parse(fs.readFileSync(opts.state, 'utf8')));
    log(`restored the cluster from ${opts.state} (its own seed applies)`);
    if (opts.range !== undefined || opts.version !== undefined) {
      // The simulator's process restarting with other flags is kube-apiserver restarting:
      // the stored objects stay, the new process runs its start-up (default ServiceCIDR
      // controller, `kubernetes` Service reconciler, the repair loop's first pass).
      const flags = { serviceClusterIPRange: opts.range ?? cluster.apiservers()[0].serviceClusterIPRange };
      if (opts.version !== undefined) flags.version = opts.version;
      startup = () => reportStart(cluster.restartApiserver(flags), log);
    }
  } else {
    cluster = new Cluster(options);
  }
  // ValidatingAdmissionPolicies are enforced by the CEL module shipped beside the main one.
  cluster.setPolicyEvaluator(require(process.env.SERVICECIDR_SIM_CEL_PKG || '../cel/node/servicecidr_admission_wasm.js'));

  /** Moves the cluster clock to the system clock; due controller work runs on the way. */
  const sync = () => {
    const behind = wallNow() - cluster.now();
    if (behind > 0) cluster.advance(behind / 1000);
  };
  // A restored cluster first catches up with the time it was down; then the process starts.
  sync();
  startup();

  const watches = new Map(); // watch id -> ServerResponse
  const pollWatches = () => {
    for (const [id, res] of watches) {
      const { chunks, done } = cluster.watchPoll(id);
      for (const c of chunks) res.write(c);
      if (done) {
        watches.delete(id);
        res.end();
      }
    }
  };

  let timer = null;
  let watchTimer = null;
  let stopping = false;
  /** After every request and timer: watches see what changed, and the next due work gets a timer. */
  const afterChange = () => {
    pollWatches();
    if (stopping) return;
    clearTimeout(timer);
    const due = cluster.pendingWork()[0]?.dueMs;
    if (due !== undefined) {
      // setTimeout's delay is a 32-bit signed count of ms.
      timer = setTimeout(tick, Math.min(Math.max(0, due - wallNow()), 2 ** 31 - 1));
    }
    if (watches.size && !watchTimer) watchTimer = setInterval(tick, WATCH_TICK_MS);
    if (!watches.size && watchTimer) {
      clearInterval(watchTimer);
      watchTimer = null;
    }
  };
  function tick() {
    try {
      sync();
      afterChange();
    } catch (e) {
      log(`apiserver: timer: ${e?.stack ?? e}`);
    }
  }

  const serve = (req, res, body, started) => {
    const q = req.url.indexOf('?');
    const user = opts.token ? { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } : undefined;
    sync();
    if (req.url.startsWith(ADMIN_PREFIX)) {
      const path_ = q >= 0 ? req.url.slice(0, q) : req.url;
      const a = handleAdmin(cluster, req.method, path_, body);
      if (opts.verbose) log(`${new Date().toISOString()} ${req.method} ${req.url} ${a.status} ${Date.now() - started}ms`);
      res.writeHead(a.status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(a.body) });
      res.end(a.body);
      afterChange();
      return;
    }
    const out = cluster.handle({
      method: req.method,
      path: q >= 0 ? req.url.slice(0, q) : req.url,
      query: q >= 0 ? req.url.slice(q + 1) : '',
      headers: Array.from({ length: req.rawHeaders.length / 2 }, (_, i) => [req.rawHeaders[2 * i], req.rawHeaders[2 * i + 1]]),
      body,
      user,
    });
    if (opts.verbose) {
      log(`${new Date().toISOString()} ${req.method} ${req.url} ${out.status} ${Date.now() - started}ms${out.watch !== undefined ? ' (watch)' : ''}`);
    }
    const headers = headerObject(out.headers);
    if (out.watch === undefined) headers['content-length'] = out.body.length;
    if (body.length > BODY_LIMIT) headers.connection = 'close';
    res.writeHead(out.status, headers);
    if (out.watch === undefined) {
      res.end(out.body);
    } else {
      // Headers go out at once, as kube-apiserver flushes them when a watch starts:
      // clients that wait for the response (client-node's Watch) would otherwise see
      // nothing until the first event.
      res.flushHeaders();
      if (out.body.length) res.write(out.body);
      const id = out.watch;
      watches.set(id, res);
      // G10: on Node 20 the request's 'close' fires once its body is read; the response's
      // 'close' is the client going away.
      res.on('close', () => {
        if (watches.delete(id)) cluster.watchClose(id);
      });
    }
    afterChange();
  };

  const server = http.createServer((req, res) => {
    const started = Date.now();
    const fail = (e) => {
      log(`apiserver: ${req.method} ${req.url}: ${e?.stack ?? e}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Internal Server Error\n');
      } else {
        res.destroy();
      }
    };
    try {
      if (opts.token) {
        const auth = req.headers.authorization;
        const ok = auth === `Bearer ${opts.token}`;
        const pathOnly = req.url.split('?')[0];
        if (!ok && (auth !== undefined || !PUBLIC_PATHS.has(pathOnly))) {
          if (opts.verbose) log(`${new Date().toISOString()} ${req.method} ${req.url} 401`);
          unauthorized(res);
          req.resume();
          return;
        }
      }
      // Bodies are read up to one byte past the limit, so handle() sees the overflow and
      // answers 413; the rest is drained unread, then the connection closes.
      const chunks = [];
      let size = 0;
      let over = false;
      req.on('data', (chunk) => {
        if (over) return;
        const room = BODY_LIMIT + 1 - size;
        chunks.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
        size += Math.min(room, chunk.length);
        if (size > BODY_LIMIT) {
          over = true;
          try {
            serve(req, res, new Uint8Array(Buffer.concat(chunks)), started);
          } catch (e) {
            fail(e);
          }
          // Give the client a moment to read the 413, then stop listening to it.
          setTimeout(() => req.destroy(), 1000).unref();
        }
      });
      req.on('end', () => {
        if (over) return;
        try {
          serve(req, res, new Uint8Array(Buffer.concat(chunks, size)), started);
        } catch (e) {
          fail(e);
        }
      });
      req.on('error', () => res.destroy());
    } catch (e) {
      fail(e);
    }
  });
  server.on('clientError', (err, socket) => {
    // Malformed HTTP, oversized headers: node's own 400/431, as upstream's Go server answers.
    if (socket.writable) socket.end(err.code === 'HPE_HEADER_OVERFLOW' ? 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n' : 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bind, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const host = addr.family === 'IPv6' || addr.family === 6 ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  const ownKubeconfig = !opts.kubeconfig;
  const kubeconfigPath = path.resolve(opts.kubeconfig ?? path.join(os.tmpdir(), `servicecidr-sim-${addr.port}.kubeconfig`));
  writeFileAtomic(kubeconfigPath, kubeconfig(url, opts.token), 0o600);
  sync();
  afterChange();

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearTimeout(timer);
    clearInterval(watchTimer);
    for (const res of watches.values()) res.end();
    watches.clear();
    await new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    });
    if (opts.state) {
      sync();
      writeFileAtomic(opts.state, `${JSON.stringify(cluster.snapshot())}\n`);
      log(`saved the cluster to ${opts.state}`);
    }
    if (ownKubeconfig) fs.rmSync(kubeconfigPath, { force: true });
  };
  return { url, kubeconfigPath, cluster, stop };
}

/** The command: starts, prints how to reach it, stops on SIGINT/SIGTERM. Resolves to the exit code. */
export async function main(argv) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    console.error(`apiserver: ${e.message}\n${HELP}`);
    return 2;
  }
  if (opts.help) {
    console.log(HELP);
    return 0;
  }
  let srv;
  try {
    srv = await start(opts);
  } catch (e) {
    console.error(`apiserver: ${e.message}`);
    return 2;
  }
  console.log(`servicecidr-sim apiserver: serving the Kubernetes API at ${srv.url}`);
  console.log(`export KUBECONFIG=${srv.kubeconfigPath}`);
  return new Promise((resolve) => {
    const onSignal = (signal) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      console.error(`apiserver: ${signal}: stopping`);
      srv.stop().then(() => resolve(0), (e) => {
        console.error(`apiserver: stopping: ${e?.stack ?? e}`);
        resolve(1);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
