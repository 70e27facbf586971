// check-docs: runs every shell block of a docs page in one simulated cluster and compares
// each result with the page's output block that follows it, so docs maintainers learn when
// a page's sample output no longer matches what Kubernetes does.
//
//   servicecidr-sim check-docs PAGE.md [--range CIDR[,CIDR]] [--seed N] [--now RFC3339]
//                              [--age 17d] [--version 1.33] [--ignore ID[,ID...]] [--json]
//                              [--verbose]
//
// The simulator is this package's node/ build; SERVICECIDR_SIM_NODE_PKG may name another
// build of it. From a checkout, pkg-scripts/check-docs runs this file from the built pkg/.
//
// Exit codes: 0 the page matches; 1 drift found (each one printed with what upstream does
// instead); 2 usage error or the simulator cannot be loaded.
//
// --version picks the Kubernetes release the page is checked against (1.29 to 1.37; see the
// design notes, "Releases"); without it, DEFAULT_VERSION: the release the reference pages'
// sample output was produced with (kubectl 1.33 delete lines, a v1beta1 manifest served).
//
// Settings: command-line options win; then the page's front matter (a `servicecidr-sim:` map
// with range/seed/now/age/version keys, or top-level `serviceClusterIPRange`/`seed`); then what the
// page itself shows: the range and AGE of the `kubernetes` row of the first
// `kubectl get servicecidr` output (the Extend Service IP Ranges page implies a 10.96.0.0/28
// cluster aged 17 days).
//
// Comparison: exact, line by line, except where upstream is not deterministic. Timestamps,
// uids, resourceVersions and ages compare by shape. An address the simulator handed out
// dynamically compares by range: the page's address picks the ServiceCIDR(s) that contain it,
// and the simulated address must sit in the same band (dynamic or static) of one of them;
// one page address must map to one simulated address across the whole page.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import { splitCommands } from '../embed/shell.js';


const HELP = `usage: check-docs PAGE.md [--range CIDR[,CIDR]] [--seed N] [--now RFC3339] [--age AGE]
                  [--version 1.33] [--ignore ID[,ID...]] [--json] [--verbose]
Runs the page's shell blocks in one simulated cluster and reports where the page's
output blocks differ from what Kubernetes prints. Exit 0 = matches, 1 = drift, 2 = error.`;

// The release pages are checked against without --version: the one the reference pages'
// sample output comes from. One line to change (to null for the simulator's newest release).
const DEFAULT_VERSION = '1.33';

// Known drifts: how to recognise them in a diff hunk, and what upstream does instead. The
// explanations carry the facts from the project's upstream reference (upstream-behavior.md).
const KNOWN = [
  {
    id: 'condition-reason',
    page: /^\s*reason:\s*OrphanIPAddress\s*$/,
    sim: /^\s*reason:\s*Terminating\s*$/,
    upstream:
      "upstream's ServiceCIDR controller (kube-controller-manager, pkg/controller/servicecidrs) sets " +
      'the Ready condition to False with reason `Terminating` (ServiceCIDRReasonTerminating) while ' +
      'IPAddresses still depend on a ServiceCIDR being deleted; no API version defines an ' +
      '`OrphanIPAddress` reason.',
  },
  {
    id: 'output-api-version',
    page: /^\s*apiVersion:\s*networking\.k8s\.io\/v1(beta1|alpha1)\s*$/,
    sim: /^\s*apiVersion:\s*networking\.k8s\.io\/v1\s*$/,
    upstream:
      'kubectl fetches the preferred version of the resource, and the server returns ' +
      'networking.k8s.io/v1 (GA and the stored version since 1.33), so `-o yaml` prints ' +
      '`apiVersion: networking.k8s.io/v1`; v1beta1 is deprecated (1.34) and not served by default.',
  },
  {
    id: 'last-applied-annotation',
    page: null,
    sim: /^\s*(annotations:|kubectl\.kubernetes\.io\/last-applied-configuration:|\{.*\}\s*$)/,
    upstream:
      '`kubectl apply` (client-side) records the applied manifest in the ' +
      '`kubectl.kubernetes.io/last-applied-configuration` annotation, and `-o yaml` prints it.',
  },
];

// Static checks of a shell block: things a real shell or server rejects before any output.
const LINTS = {
  'heredoc-typo':
    '`<{W}` redirects standard input from a file named {W}; a here-document needs `<<{W}`. ' +
    'In a real shell `cat` fails (No such file or directory), `kubectl apply -f -` receives ' +
    'nothing (error: no objects passed to apply) and the manifest lines run as commands ' +
    '(the + lines). Checked as if it said `<<{W}`.',
  'manifest-api-version':
    'the manifest says `apiVersion: {V}`. Current Kubernetes serves ServiceCIDR as ' +
    'networking.k8s.io/v1 (GA in 1.33); beta APIs are off by default, so unless the API server ' +
    'runs with --runtime-config={V}=true, `kubectl apply` answers: no matches for kind ' +
    '"{K}" in version "{V}". v1beta1 is deprecated in 1.34 and removed in 1.37.',
  'delete-wait':
    '`kubectl delete` waits until the object is gone (--wait=true is the default), but ' +
    '{R} "{N}" is still held by the finalizer {F}{D}, so on a real ' +
    'cluster this command does not return (kubectl gives up after its default timeout, a ' +
    'week: the + lines) and the following steps are never reached. Add `--wait=false`. ' +
    'Checked as if it had.',
};

const SHELL_LANGS = new Set(['sh', 'shell', 'bash', 'zsh']);
const OUTPUT_LANGS = new Set(['', 'yaml', 'yml', 'console', 'text', 'none', 'plaintext']);

function parseArgs(argv) {
  const opts = { ignore: new Set(), json: false, verbose: false };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const take = (name) => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) throw new Error(`${name} needs a value`);
      return argv[++i];
    };
    if (a === '-h' || a === '--help') opts.help = true;
    else if (a === '--json') opts.json = true;
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a.startsWith('--range')) opts.range = take('--range');
    else if (a.startsWith('--seed')) {
      const v = take('--seed');
      if (!/^\d+$/.test(v)) throw new Error(`--seed must be a non-negative integer, got ${v}`);
      opts.seed = Number(v);
    } else if (a.startsWith('--now')) opts.now = take('--now');
    else if (a.startsWith('--version')) opts.version = take('--version');
    else if (a.startsWith('--age')) {
      const v = take('--age');
      if (parseAge(v) === null) throw new Error(`--age must look like 17d, 3h, 90s; got ${v}`);
      opts.age = v;
    } else if (a.startsWith('--ignore')) {
      for (const id of take('--ignore').split(',')) if (id.trim()) opts.ignore.add(id.trim());
    } else if (a.startsWith('-') && a !== '-') throw new Error(`unknown option ${a}`);
    else rest.push(a);
  }
  if (!opts.help && rest.length !== 1) throw new Error('exactly one markdown file is needed');
  opts.file = rest[0];
  return opts;
}

/** HumanDuration text ("17d", "3h5m", "90s") to seconds; null when it is not one. */
export function parseAge(text) {
  const t = String(text ?? '').trim();
  if (!/^(\d+[ydhms])+$/.test(t)) return null;
  const unit = { y: 365 * 86400, d: 86400, h: 3600, m: 60, s: 1 };
  let total = 0;
  for (const m of t.matchAll(/(\d+)([ydhms])/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

// ---------------------------------------------------------------- markdown

function frontMatter(lines) {
  if (lines[0]?.trim() !== '---') return { settings: {}, end: 0 };
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (end < 0) return { settings: {}, end: 0 };
  const settings = {};
  let inSim = false;
  for (const line of lines.slice(1, end)) {
    const top = /^([A-Za-z][\w-]*):\s*(.*?)\s*$/.exec(line);
    if (top) {
      inSim = top[1] === 'servicecidr-sim' || top[1] === 'servicecidrSim';
      const v = unquote(top[2]);
      if (/^(serviceClusterIPRange|service-cluster-ip-range)$/.test(top[1])) settings.range = v;
      if (top[1] === 'seed' && /^\d+$/.test(v)) settings.seed = Number(v);
      continue;
    }
    const sub = /^\s+([\w-]+):\s*(.*?)\s*$/.exec(line);
    if (inSim && sub) {
      const v = unquote(sub[2]);
      if (/^(range|serviceClusterIPRange|service-cluster-ip-range)$/.test(sub[1])) settings.range = v;
      else if (sub[1] === 'seed' && /^\d+$/.test(v)) settings.seed = Number(v);
      else if (sub[1] === 'now') settings.now = v;
      else if (sub[1] === 'age' && parseAge(v) !== null) settings.age = v;
      else if (sub[1] === 'version') settings.version = v;
    }
  }
  return { settings, end: end + 1 };
}

function unquote(v) {
  const m = /^(['"])(.*)\1$/.exec(v);
  return m ? m[2] : v;
}

/** Fenced code blocks: { lang, text, line (1-based, the opening fence) }. */
function fencedBlocks(lines, start) {
  const blocks = [];
  for (let i = start; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`{]*)?.*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const fence = open[2];
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
      if (close.test(lines[j])) break;
      // Content of an indented fence (inside a list or a shortcode) loses that indent.
      body.push(lines[j].slice(Math.min(indent, lines[j].match(/^\s*/)[0].length)));
    }
    blocks.push({ lang: (open[3] || '').toLowerCase(), text: body.join('\n'), line: i + 1 });
    i = j;
  }
  return blocks;
}

/** Shell blocks, each with the output block that directly follows it (if any). */
function pairBlocks(blocks) {
  const steps = [];
  for (let i = 0; i < blocks.length; i++) {
    if (!SHELL_LANGS.has(blocks[i].lang)) continue;
    const next = blocks[i + 1];
    const expected = next && OUTPUT_LANGS.has(next.lang) ? next : null;
    steps.push({ shell: blocks[i], expected });
    if (expected) i++;
  }
  return steps;
}

/** Range and age of the `kubernetes` ServiceCIDR as the page's first table shows them. */
function inferFromPage(steps) {
  for (const { shell, expected } of steps) {
    if (!expected || !/kubectl\s+get\s+(servicecidrs?|servicecidrs\.networking\.k8s\.io)(\s|$)/.test(shell.text)) continue;
    const lines = expected.text.split('\n');
    const h = lines.findIndex((l) => /^NAME\s+CIDRS\s+AGE\s*$/.test(l.trim()));
    if (h < 0) continue;
    const rows = lines.slice(h + 1).map((l) => l.trim().split(/\s+/)).filter((r) => r.length >= 3);
    const row = rows.find((r) => r[0] === 'kubernetes') ?? rows[0];
    if (row) return { range: row[1], age: parseAge(row[2]) !== null ? row[2] : undefined };
  }
  return {};
}

// ---------------------------------------------------------------- addresses

function parseIP(text) {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p) => p > 255)) return null;
    return { bits: 32, v: parts.reduce((a, p) => (a << 8n) + BigInt(p), 0n) };
  }
  if (/^[0-9a-fA-F:]+$/.test(text) && text.includes(':') && (text.match(/::/g) || []).length <= 1) {
    const [head, tail] = text.split('::');
    const h = head ? head.split(':') : [];
    const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
    if (tail === undefined && h.length !== 8) return null;
    if (h.length + t.length > (tail === undefined ? 8 : 7)) return null;
    const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
    return { bits: 128, v: groups.reduce((a, g) => (a << 16n) + BigInt(parseInt(g, 16)), 0n) };
  }
  return null;
}

/** One CIDR's usable span and band offset (upstream-behavior.md §3.1, §3.2, §4.2). */
function layout(cidr) {
  const [a, l] = cidr.split('/');
  const ip = parseIP(a);
  const len = Number(l);
  if (!ip || !(len >= 0 && len <= ip.bits)) return null;
  const total = 1n << BigInt(ip.bits - len);
  const first = ip.v + 1n;
  const last = ip.bits === 32 ? ip.v + total - 2n : ip.v + total - 1n;
  let offset = 0n;
  if (total > 16n) offset = total / 16n < 16n ? 16n : total / 16n > 256n ? 256n : total / 16n;
  return { cidr, bits: ip.bits, first, last, offset };
}

function band(lay, ip) {
  if (ip.bits !== lay.bits || ip.v < lay.first || ip.v > lay.last) return null;
  return lay.offset > 0n && ip.v < lay.first + lay.offset ? 'static' : 'dynamic';
}

// ---------------------------------------------------------------- comparison

const RE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const RE_UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RE_AGE = /^((\d+[ydhms])+|<invalid>)$/;
const RE_DESCRIBE_TIME = /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$/;

function splitToken(tok) {
  const m = /^([("'[{]*)(.*?)([)"'\]},:;.]*)$/.exec(tok);
  return { pre: m[1], core: m[2], post: m[3] };
}

/**
 * Compares one page line with one simulated line. Returns null if they differ, else the
 * list of [pageIP, simIP] pairs that matched by range (for the one-to-one check).
 */
function lineMatch(page, sim, ctx) {
  if (page === sim) return [];
  const pi = page.match(/^\s*/)[0];
  const si = sim.match(/^\s*/)[0];
  if (pi !== si) return null;
  const pt = page.trim().split(/\s+/);
  const st = sim.trim().split(/\s+/);
  if (pt.length !== st.length) return null;
  const key = /^\s*-?\s*([\w.\/-]+):/.exec(page)?.[1];
  const pairs = [];
  for (let i = 0; i < pt.length; i++) {
    if (pt[i] === st[i]) continue;
    const p = splitToken(pt[i]);
    const s = splitToken(st[i]);
    if (p.pre !== s.pre || p.post !== s.post) return null;
    if (RE_TIME.test(p.core) && RE_TIME.test(s.core)) continue;
    if (RE_UID.test(p.core) && RE_UID.test(s.core)) continue;
    if ((key === 'resourceVersion' || key === 'generation') && /^\d+$/.test(p.core) && /^\d+$/.test(s.core)) continue;
    if (RE_AGE.test(p.core) && RE_AGE.test(s.core)) continue;
    const pip = parseIP(p.core);
    const sip = parseIP(s.core);
    if (pip && sip && ctx.dynamic.has(s.core) && sameBand(pip, sip, ctx.cidrs)) {
      pairs.push([p.core, s.core]);
      continue;
    }
    return null;
  }
  // Describe-style dates ("Fri, 27 Nov 2026 10:45:53 +0000") span several tokens.
  return pairs;
}

function sameBand(pip, sip, cidrs) {
  for (const lay of cidrs) {
    const b = band(lay, pip);
    if (b && band(lay, sip) === b) return true;
  }
  return false;
}

function normalizeDescribeDates(text) {
  return text.replace(/[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}/g, (m) =>
    RE_DESCRIBE_TIME.test(m) ? '<date>' : m);
}

/** Longest-common-subsequence alignment under lineMatch; returns diff ops in order. */
function align(pageLines, simLines, ctx) {
  const n = pageLines.length;
  const m = simLines.length;
  const memo = new Map();
  const eq = (i, j) => {
    const k = i * (m + 1) + j;
    if (!memo.has(k)) memo.set(k, lineMatch(pageLines[i], simLines[j], ctx));
    return memo.get(k);
  };
  const L = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      L[i][j] = eq(i, j) ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && eq(i, j) && L[i][j] === L[i + 1][j + 1] + 1) {
      ops.push({ op: '=', page: pageLines[i], sim: simLines[j], pairs: eq(i, j), pageIndex: i });
      i++; j++;
    } else if (j < m && (i >= n || L[i][j + 1] >= L[i + 1][j])) {
      ops.push({ op: '+', sim: simLines[j], pageIndex: i });
      j++;
    } else {
      ops.push({ op: '-', page: pageLines[i], pageIndex: i });
      i++;
    }
  }
  return ops;
}

function toLines(text) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Groups consecutive +/- ops into hunks and names each with a known drift if one fits. */
function hunks(ops) {
  const out = [];
  let cur = null;
  for (const o of ops) {
    if (o.op === '=') { cur = null; continue; }
    if (!cur) { cur = { page: [], sim: [], pageIndex: o.pageIndex }; out.push(cur); }
    if (o.op === '-') cur.page.push(o.page); else cur.sim.push(o.sim);
  }
  return out;
}

function classify(h) {
  for (const k of KNOWN) {
    const pageOk = k.page ? h.page.length > 0 && h.page.every((l) => k.page.test(l)) : h.page.length === 0;
    const simOk = h.sim.length > 0 && h.sim.every((l) => k.sim.test(l));
    if (pageOk && simOk) return k;
  }
  return null;
}

// ---------------------------------------------------------------- shell lint

function lintBlock(text) {
  const findings = [];
  let fixed = text;
  const lines = text.split('\n');
  lines.forEach((line, idx) => {
    // `cat <EOF` with a lone `EOF` line further down: a here-document with one `<` missing.
    for (const m of line.matchAll(/(^|[^<])<\s*([A-Za-z_][A-Za-z0-9_]*)\b/g)) {
      const word = m[2];
      if (lines.slice(idx + 1).some((l) => l.trim() === word)) {
        findings.push({ id: 'heredoc-typo', vars: { W: word }, line: idx });
        fixed = fixed.split('\n').map((l, k) => (k === idx ? l.replace(`<${word}`, `<<${word}`).replace(`< ${word}`, `<<${word}`) : l)).join('\n');
      }
    }
  });
  // Manifests fed to kubectl: an API version that current Kubernetes does not serve by default.
  const kinds = [...text.matchAll(/^\s*kind:\s*(\S+)/gm)].map((m) => m[1]);
  [...text.matchAll(/^\s*apiVersion:\s*(networking\.k8s\.io\/v1(?:beta1|alpha1))\s*$/gm)].forEach((m, i) => {
    const line = text.slice(0, m.index).split('\n').length - 1;
    findings.push({ id: 'manifest-api-version', vars: { V: m[1], K: kinds[i] ?? 'ServiceCIDR' }, line });
  });
  return { findings, fixed };
}

/** `kubectl delete RESOURCE NAME…` (literal names only) that would wait for deletion. */
function waitingDeletes(command) {
  if (/\$|`/.test(command) || /\bfor\b|\|/.test(command)) return [];
  const m = /^\s*kubectl\s+delete\s+(.*)$/.exec(command);
  if (!m) return [];
  const words = m[1].trim().split(/\s+/);
  if (words.some((w) => /^--wait(=false)?$/.test(w) && (w === '--wait=false' || words[words.indexOf(w) + 1] === 'false'))) return [];
  let ns;
  const pos = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '-n' || w === '--namespace') { ns = words[++i]; continue; }
    if (w.startsWith('--namespace=')) { ns = w.slice(12); continue; }
    if (w.startsWith('-')) { if (!w.includes('=') && /^--(timeout|grace-period|cascade|selector|output)$/.test(w)) i++; continue; }
    pos.push(w);
  }
  if (!pos.length) return [];
  if (pos[0].includes('/')) return pos.map((p) => p.split('/')).filter((p) => p.length === 2).map(([r, n]) => ({ resource: r, name: n, ns }));
  return pos.slice(1).map((name) => ({ resource: pos[0], name, ns }));
}

// ---------------------------------------------------------------- main

function runOne(cluster, script) {
  try {
    return cluster.run(script);
  } catch (e) {
    return { output: `${e.message}\n`, stdout: '', stderr: `${e.message}\n`, exitCode: 1 };
  }
}

function fill(template, vars) {
  return template.replace(/\{(\w)\}/g, (_, k) => vars[k] ?? `{${k}}`);
}

/** Runs check-docs with these arguments; resolves to the exit code. */
export async function main(argv) {

  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    console.error(`check-docs: ${e.message}\n${HELP}`);
    return 2;
  }
  if (opts.help) {
    console.log(HELP);
    return 0;
  }
  let source;
  try {
    source = fs.readFileSync(opts.file, 'utf8');
  } catch (e) {
    console.error(`check-docs: cannot read ${opts.file}: ${e.message}`);
    return 2;
  }
  const require = createRequire(import.meta.url);
  const pkgFile = process.env.SERVICECIDR_SIM_NODE_PKG || '../node/servicecidr_sim.js';
  let sim;
  try {
    sim = require(pkgFile);
  } catch (e) {
    console.error(`check-docs: cannot load the simulator (${pkgFile}): ${e.message}\nrun pkg-scripts/build first`);
    return 2;
  }

  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const fm = frontMatter(lines);
  const steps = pairBlocks(fencedBlocks(lines, fm.end));
  const inferred = inferFromPage(steps);
  const settings = {
    range: opts.range ?? fm.settings.range ?? inferred.range,
    seed: opts.seed ?? fm.settings.seed ?? 1,
    now: opts.now ?? fm.settings.now ?? '2024-01-01T00:00:00Z',
    age: opts.age ?? fm.settings.age ?? inferred.age,
    version: opts.version ?? fm.settings.version ?? DEFAULT_VERSION,
  };
  const clusterOpts = { seed: settings.seed, now: settings.now };
  if (settings.version) clusterOpts.version = String(settings.version);
  if (settings.range) clusterOpts.serviceClusterIPRange = settings.range;
  let cluster;
  try {
    cluster = new sim.Cluster(clusterOpts);
    if (settings.age) cluster.advance(parseAge(settings.age));
  } catch (e) {
    console.error(`check-docs: cannot start the simulated cluster with ${JSON.stringify(clusterOpts)}: ${e.message}`);
    return 2;
  }

  const file = opts.file;
  const drifts = [];
  const report = (d) => { if (!opts.ignore.has(d.id)) drifts.push(d); };
  const ipAddresses = () => new Set(cluster.list('ipaddresses').map((o) => o.metadata.name));
  const dynamic = new Set();
  const p2s = new Map();
  const s2p = new Map();
  // Runs a script on a throwaway copy of the cluster; `inspect` looks at the copy afterwards.
  const trial = (script, inspect) => {
    const copy = sim.Cluster.restore(cluster.snapshot());
    try {
      if (!first) copy.settle();
      const r = runOne(copy, script);
      return { output: r.output ?? `${r.stdout}${r.stderr}`, after: inspect?.(copy) };
    } finally {
      copy.free?.();
    }
  };
  let compared = 0;
  let ran = 0;
  let first = true;

  for (const { shell, expected } of steps) {
    const lint = lintBlock(shell.text);
    // What the block as written does (for the report), on a copy of the cluster: the
    // checks then go on with the fixed block, as the page meant it.
    let asWritten = [];
    if (lint.findings.some((f) => f.id === 'heredoc-typo')) {
      asWritten = toLines(trial(shell.text).output).filter((l) => l);
    }
    for (const f of lint.findings) {
      report({
        id: f.id, line: shell.line + 1 + f.line, command: shell.text.split('\n')[0], in: true,
        upstream: fill(LINTS[f.id], f.vars), page: [], sim: f.id === 'heredoc-typo' ? asWritten : [],
      });
    }
    const cidrs = new Map();
    const noteCidrs = () => {
      for (const sc of cluster.list('servicecidrs')) {
        for (const c of sc.spec?.cidrs ?? []) if (!cidrs.has(c)) { const lay = layout(c); if (lay) cidrs.set(c, lay); }
      }
    };
    noteCidrs();
    const literal = new Set(shell.text.match(/[0-9a-fA-F.:]{3,}/g) ?? []);
    let output = '';
    const blockLines = shell.text.split('\n');
    for (const cmd of splitCommands(lint.fixed)) {
      if (cmd.comment) continue;
      if (!first) cluster.settle();
      first = false;
      const before = ipAddresses();
      // A delete that would wait for a finalizer: try it on a copy first; if the object is
      // still there afterwards, report it and go on as if it said --wait=false.
      let text = cmd.text;
      for (const d of waitingDeletes(cmd.text)) {
        const t = trial(cmd.text, (c) => { try { return c.get(d.resource, d.name, d.ns); } catch { return null; } });
        const obj = t.after;
        if (!obj?.metadata?.deletionTimestamp) continue;
        report({
          id: 'delete-wait', in: true, line: shell.line + 1 + Math.max(0, blockLines.indexOf(cmd.text.split('\n')[0])), command: cmd.text,
          upstream: fill(LINTS['delete-wait'], {
            R: d.resource, N: d.name, F: (obj.metadata.finalizers ?? []).join(', ') || '(none)',
            D: obj.kind === 'ServiceCIDR' || /^servicecidrs?$/.test(d.resource) ? ' while IPAddresses still depend on it' : '',
          }),
          page: [], sim: toLines(t.output).filter((l) => l),
        });
        text = `${cmd.text.replace(/\s+$/, '')} --wait=false`;
        break;
      }
      const r = runOne(cluster, text);
      ran++;
      output += r.output ?? `${r.stdout}${r.stderr}`;
      // Addresses that appeared during the command and that the page did not ask for by
      // name were picked by the allocator at random: those compare by range.
      for (const ip of ipAddresses()) if (!before.has(ip) && !literal.has(ip)) dynamic.add(ip);
      noteCidrs();
    }
    if (!expected) continue;
    compared++;
    const pageLines = toLines(normalizeDescribeDates(expected.text));
    const simLines = toLines(normalizeDescribeDates(output));
    const ctx = { dynamic, cidrs: [...cidrs.values()] };
    const ops = align(pageLines, simLines, ctx);
    // One page address stands for one simulated address everywhere on the page.
    for (const o of ops) {
      if (o.op !== '=') continue;
      for (const [p, s] of o.pairs) {
        if ((p2s.has(p) && p2s.get(p) !== s) || (s2p.has(s) && s2p.get(s) !== p)) {
          report({
            id: 'address-mapping', line: expected.line, command: shell.text.split('\n')[0],
            upstream: `the page uses ${p} where the simulation has ${s}, but earlier on the page ` +
              `${p2s.has(p) ? `${p} stood for ${p2s.get(p)}` : `${s2p.get(s)} stood for ${s}`}: ` +
              'the same object must keep the same address.',
            page: [o.page], sim: [o.sim],
          });
        } else {
          p2s.set(p, s);
          s2p.set(s, p);
        }
      }
    }
    for (const h of hunks(ops)) {
      const known = classify(h);
      report({
        id: known?.id ?? 'output',
        line: expected.line + 1 + h.pageIndex,
        command: shell.text.split('\n')[0],
        upstream: known?.upstream ??
          (h.page.length && !h.sim.length ? 'upstream does not print these lines.'
            : 'upstream (as simulated) prints the + lines instead.'),
        page: h.page,
        sim: h.sim,
      });
    }
  }

  if (opts.json) {
    console.log(JSON.stringify({ file, settings, blocks: steps.length, compared, commands: ran, drifts }, null, 2));
    return drifts.length ? 1 : 0;
  }
  const where = `${file}`;
  if (opts.verbose) {
    console.log(`${where}: cluster ${JSON.stringify(clusterOpts)}${settings.age ? `, aged ${settings.age}` : ''}`);
  }
  if (drifts.length) console.log("(in each drift, '-' lines are the page's text, '+' lines what upstream prints, as simulated)\n");
  for (const d of drifts) {
    console.log(`${where}:${d.line}: drift [${d.id}] ${d.in ? 'in' : 'after'} \`${d.command}\``);
    for (const l of d.page) console.log(`  - ${l}`);
    for (const l of d.sim) console.log(`  + ${l}`);
    console.log(`  upstream: ${d.upstream}`);
    console.log('');
  }
  const summary = `${steps.length} shell block(s), ${ran} command(s) run, ${compared} output block(s) compared`;
  if (drifts.length) {
    console.log(`${where}: ${drifts.length} drift(s) found (${summary})`);
    return 1;
  }
  console.log(`${where}: OK (${summary})`);
  return 0;
}
