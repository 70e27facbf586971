// The playground: one Cluster (WebAssembly) driven by a command log. Every change
// the page makes is an entry of that log (a shell script for cluster.run(), or a
// clock operation), so replaying the log on a fresh Cluster with the same settings
// rebuilds the same state: that is what reloads and shared links do.

import init, { Cluster } from '../pkg/servicecidr_sim.js';
import { celUrl, loadCel, mentionsPolicy, neededCel } from '../embed/cel.js';
import { applyI18n, lang, setLang, t } from './i18n.js';
import { Terminal, completions } from './terminal.js';
import { RangeMaps } from './rangemap.js';
import { EventLog, Panes, PolicyPane } from './panes.js';
import { SCENARIOS, TOUR, Tour, pick } from './tour.js';
import { Compare, fillReleaseSelect, selectRelease } from './compare.js';
import { RELEASES } from './releases.js';
import { clearState, decodeHash, encodeState, FORMAT, loadPrefs, loadState, savePrefs, saveState } from './persist.js';
import { CapacityPane } from './capacity.js';
import { ImportDialog, PlanView, renderImportReport } from './rehearse.js';
import { RECONF_TOUR } from './reconfigure.js';

performance.mark('playground:module');
const DEFAULT_SETTINGS = { range: '10.96.0.0/28', seed: 1, start: '2026-01-01T00:00:00Z' };
const $ = (id) => document.getElementById(id);
// The CEL module (ValidatingAdmissionPolicy evaluation) is a second wasm module, fetched only
// when the playground first meets a policy (ensureCel), never at first paint.
const CEL_URL = celUrl(new URL('../pkg/servicecidr_sim.js', import.meta.url));

const prefs = loadPrefs();
const S = {
  settings: { ...DEFAULT_SETTINGS },
  log: [],
  paused: false,
  cluster: null,
  model: { cidrs: [], services: new Map(), ips: new Map() },
  lastRV: 0n,
  traceSeq: 0,
  scMap: null,
  eventKeys: new Set(),
  lastTime: null,
  // The CEL module once loaded: every cluster made from then on gets it as its evaluator.
  cel: null,
  // Actions run one after another, even when one waits for the CEL module.
  queue: Promise.resolve(),
  // The core's ValidatingAdmissionPolicy decisions (trace records' `admission`), newest last.
  decisions: [],
  // The script running in slices ({ cancel }), or null.
  script: null,
};

let term;
let maps;
let panes;
let eventLog;
let tour;
let compare;
let capacity;
let planView;
let reconfTour;
let policyPane;

// ---------- cluster lifecycle ----------

/** `imp` ({ text, name }): an imported export the cluster is built from (Cluster.fromObjects). */
function newCluster(settings, imp = null) {
  const opts = {
    serviceClusterIPRange: settings.range,
    seed: settings.seed,
    now: settings.start,
    autoReconcile: true,
  };
  // No version: the newest release the core models (its default).
  if (settings.version) opts.version = settings.version;
  return withEvaluator(imp ? Cluster.fromObjects(imp.text, opts) : new Cluster(opts));
}

/** Plugs the CEL module, when loaded, into a new or restored cluster (neither has one). */
function withEvaluator(c) {
  if (S.cel) c.setPolicyEvaluator(S.cel);
  return c;
}

/**
 * Loads the CEL module (once) and gives it to the current cluster. A failure leaves the
 * cluster without one: writing a policy then answers the core's 503, which says why.
 */
async function ensureCel() {
  if (S.cel) return true;
  document.documentElement.dataset.cel = 'loading';
  const loading = () => t('celLoading');
  notice(loading, 'info');
  try {
    S.cel = await loadCel(CEL_URL);
  } catch (err) {
    delete document.documentElement.dataset.cel;
    notice(() => t('celFailed', { msg: err?.message ?? String(err) }), 'err');
    return false;
  }
  S.cluster?.setPolicyEvaluator(S.cel);
  document.documentElement.dataset.cel = 'ready';
  if (noticeText === loading) $('notice').hidden = true;
  return true;
}

/** Does replaying these log entries meet a policy (so the CEL module must come first)? */
const logNeedsCel = (log) => log.some((e) => e[0] === 'run' && mentionsPolicy(e[1]));

/** autoReconcile is a constructor option; flip it in place when the core allows, else via snapshot. */
function setAutoReconcile(on) {
  const c = S.cluster;
  if (typeof c.setAutoReconcile === 'function') {
    c.setAutoReconcile(on);
    return;
  }
  const snap = c.snapshot();
  if (snap && snap.config && typeof snap.config === 'object') {
    snap.config.autoReconcile = on;
    S.cluster = withEvaluator(Cluster.restore(snap));
    c.free?.();
  }
}

function resetModel() {
  S.model = { cidrs: [], services: new Map(), ips: new Map(), allocators: [], rangeView: () => null };
  S.scMap = null;
  S.lastRV = 0n;
  S.traceSeq = 0;
  S.eventKeys = new Set();
  S.lastTime = null;
  S.decisions = [];
}

/** Runs one log entry on the cluster; returns what the terminal should show. */
function perform(entry) {
  const c = S.cluster;
  switch (entry[0]) {
    case 'run':
      // run() settles the clock before each top-level command, as a docs page wants; the
      // playground moves time only on the user's word, so it opts out.
      {
        const t0 = nowMs();
        const steps = entry[3]?.steps;
        const res = steps ? interrupted(c, entry[1], steps) : c.run(entry[1], { settle: false });
        return { kind: 'run', res, moved: Math.round((nowMs() - t0) / 1000) };
      }
    case 'adv':
      c.advance(entry[1]);
      return { kind: 'note', text: () => t('noteAdvance', { n: entry[1] }) };
    case 'settle':
      c.settle();
      return { kind: 'note', text: () => t('noteSettle') };
    case 'step':
      c.reconcile();
      return { kind: 'note', text: () => t('noteStep') };
    case 'plan':
      return { kind: 'plan', changes: c.runPlanStep(entry[1]) };
    case 'pause':
      setAutoReconcile(!entry[1]);
      S.paused = entry[1];
      return { kind: 'note', text: () => t(entry[1] ? 'notePaused' : 'noteResumed') };
    default:
      return { kind: 'note', text: () => '?' };
  }
}

function show(entry, out, origin) {
  if (out.kind === 'run') {
    term.print(entry[1], out.res, { origin });
    afterRun(out);
  } else if (out.kind === 'plan') {
    const clock = clockText();
    term.note(() => `${t('notePlanStep', { what: entry[1].description })} · ${clock}\n${entry[1].command}`, 'note');
  } else {
    const clock = clockText();
    term.note(() => `${out.text()} · ${clock}`, 'note');
  }
}

/** The notes a script's block gets once it has ended. */
function afterRun(out) {
  // Waiting commands (kubectl delete without --wait=false, sleep) move the clock.
  const clock = clockText();
  if (out.moved > 0) term.note(() => `${t('noteMoved', { n: out.moved })} · ${clock}`, 'note');
  if (/range is full/.test(out.res.output ?? out.res.stderr ?? '')) notice(() => t('rangeFull'), 'warn');
}

// ---------- scripts in slices ----------
// A typed script runs a slice of steps at a time (cluster.startScript/resumeScript), and the
// page paints and updates its panes between slices, so a loop over 10 000 Services never
// freezes it. Slices are sized to take about SLICE_MS each. The log records the script as
// typed, so a replay with run() rebuilds the same state; a script stopped with Ctrl-C is
// logged with the steps it ran, and replayed to that point.

const SLICE_MS = 8;
/** How often the panes follow a running script. */
const SYNC_EVERY_MS = 150;
let sliceSteps = 64;

/**
 * Waits until the page has painted a frame, so every slice (or pane update) gets a frame of
 * its own. A yield alone is not enough: Chromium may run the next task before painting. A
 * hidden page paints nothing and throttles frames and timers, so it only yields there.
 */
function nextFrame() {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    if (document.hidden) ch.port2.postMessage(null);
    else requestAnimationFrame(() => ch.port2.postMessage(null));
  });
}

/** The next slice's size from how long this one took (per step), within 1 … 4096 steps. */
function sizeSlices(ms, steps) {
  if (steps <= 0) return;
  const perStep = Math.max(ms, 0.05) / steps;
  sliceSteps = Math.max(1, Math.min(4096, Math.floor(SLICE_MS / perStep)));
}

/** What a script stopped with Ctrl-C after `steps` steps printed, as a result. */
function interrupted(c, script, steps) {
  const res = c.startScript(script, { settle: false, maxSteps: steps });
  if (!res.done) c.cancelScript();
  return res.done ? res : { ...res, exitCode: 130, output: `${res.output}^C\n` };
}

/** Ctrl-C in the terminal: stops the running script after its current slice. */
function interrupt() {
  if (!S.script) return false;
  S.script.cancel = true;
  return true;
}

/** Runs a typed script in slices, drawing its output as it comes; answers what actNow does. */
async function actScript(entry) {
  const c = S.cluster;
  const first = !window.__firstCommandAt;
  if (first) performance.mark('playground:first-command');
  const job = { cancel: false };
  S.script = job;
  const t0 = nowMs();
  const block = term.open(entry[1], { origin: entry[2] });
  let steps = 0;
  let res;
  let lastSync = performance.now();
  try {
    let started = performance.now();
    // What the last script's steps cost says little about this one's: start small.
    res = c.startScript(entry[1], { settle: false, maxSteps: Math.min(sliceSteps, 16) });
    for (;;) {
      sizeSlices(performance.now() - started, res.steps);
      steps += res.steps;
      block.add(res);
      if (res.done) break;
      await nextFrame();
      // The panes follow, between two slices: the model in one frame, the drawing in the next.
      if (performance.now() - lastSync >= SYNC_EVERY_MS && S.cluster === c) {
        const added = syncModel();
        await nextFrame();
        if (S.cluster === c) syncView(added, true);
        lastSync = performance.now();
        await nextFrame();
      }
      // A reset or a new cluster while the script ran: that cluster, and the script, are gone.
      if (S.cluster !== c) return null;
      if (job.cancel) {
        c.cancelScript();
        block.add({ output: '^C\n', stderr: '' });
        res = { ...res, exitCode: 130 };
        entry = [entry[0], entry[1], entry[2] ?? null, { steps }];
        break;
      }
      started = performance.now();
      res = c.resumeScript(sliceSteps);
    }
  } catch (err) {
    // Only a core bug gets here (a script's own errors are its output); nothing half-logged.
    if (S.cluster === c) c.cancelScript();
    block.end(1);
    term.note(() => t('actionFailed', { msg: err.message }), 'note err');
    return null;
  } finally {
    if (S.script === job) S.script = null;
  }
  block.end(res.exitCode);
  const out = { kind: 'run', res, moved: Math.round((nowMs() - t0) / 1000) };
  afterRun(out);
  logged(entry);
  if (first) window.__firstCommandAt = performance.now();
  return out;
}

/**
 * Boots a cluster from a state (settings + log), replaying and printing the log. A log that
 * writes policies (a reload, a shared link, another release) loads the CEL module first.
 */
async function boot(state, { quiet = false } = {}) {
  // An imported export may hold policies too.
  if (!S.cel && (logNeedsCel(state.log) || (state.import && mentionsPolicy(state.import.text)))) await ensureCel();
  bootNow(state, { quiet });
}

function bootNow(state, { quiet }) {
  S.cluster?.free?.();
  S.settings = { ...state.settings };
  S.import = state.import ?? null;
  S.log = [];
  S.paused = false;
  resetModel();
  term.clear();
  eventLog.clear();
  S.cluster = newCluster(S.settings, S.import);
  // Time to interactive's phases (tests/e2e/tti.test.mjs): the first cluster only.
  if (!performance.getEntriesByName('playground:cluster').length) performance.mark('playground:cluster');
  const { range, seed } = S.settings;
  const version = S.cluster.version;
  showVersion();
  if (S.import) term.note(() => t('noteImport', { version, range, name: S.import.name ?? t('pasted') }), 'note boot');
  else term.note(() => t('noteBoot', { version, range, seed }), 'note boot');
  showImportReport();
  planView?.clear();
  for (const e of state.log) {
    let out;
    try {
      out = perform(e);
    } catch (err) {
      out = { kind: 'note', text: t('replayError', { msg: err.message }) };
    }
    S.log.push(e);
    if (!quiet) show(e, out, e[2]);
  }
  term.setHistory(S.log.filter((e) => e[0] === 'run' && !e[2]).map((e) => e[1]));
  sync({ flash: false });
  updateControls();
  save();
}

/**
 * Performs a new action and records it in the log. Actions queue, so a command that first
 * waits for the CEL module still runs before the ones typed after it.
 */
function act(entry) {
  const run = async () => {
    if (entry[0] === 'run' && !S.cel && mentionsPolicy(entry[1])) await ensureCel();
    const out = entry[0] === 'run' ? await actScript(entry) : actNow(entry);
    // The policy reached the core by other words (its 503 says so); that request changed
    // nothing, so with the module loaded now the command can simply be run again.
    if (out?.kind === 'run' && !S.cel && neededCel(out.res) && (await ensureCel())) term.note(() => t('celNowLoaded'), 'note');
    return out;
  };
  const p = S.queue.then(run);
  S.queue = p.catch(() => {});
  return p;
}

/** Performs an action other than a script (those run in slices: actScript). */
function actNow(entry) {
  let out;
  try {
    out = perform(entry);
  } catch (err) {
    // A failed call changes nothing in the core, so it is not logged either.
    term.note(() => t('actionFailed', { msg: err.message }), 'note err');
    return null;
  }
  show(entry, out, entry[2]);
  logged(entry);
  return out;
}

/** Records a performed action in the log, and brings the page and the saved state up to it. */
function logged(entry) {
  S.log.push(entry);
  if (entry[0] !== 'plan') planView?.markStale();
  sync({ flash: true });
  updateControls();
  save();
}

function save() {
  saveState(currentState());
}

/** An import is part of the state: a replay of the log alone would start from an empty cluster. */
function currentState() {
  return { v: FORMAT, settings: S.settings, log: S.log, ...(S.import ? { import: S.import } : {}) };
}

function showImportReport() {
  renderImportReport($('import-report'), S.import ? S.cluster.importReport : null, S.import?.name);
}

/** The import dialog's answer: a new cluster from the export, then its first reconcile. */
function importCluster({ text, name, range, version }) {
  // The import's clock starts now (to the second), so the imported objects' ages look right;
  // it is kept in the settings, so a reload replays the same times.
  const start = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const settings = { range, seed: DEFAULT_SETTINGS.seed, start, ...(version ? { version } : {}) };
  const imp = { text, name };
  newCluster(settings, imp).free?.(); // throws with the core's message: nothing changes
  return busy(async () => {
    await boot({ v: FORMAT, settings, import: imp, log: [] });
    fillSettingsForm();
    // kube-apiserver's start-up is queued by the import: this reconcile runs it and the repair
    // loop's first pass, whose events the event log then shows.
    await act(['step']);
    const r = S.cluster.importReport;
    notice(() => t('importDone', { services: r.services, cidrs: r.serviceCIDRs, ips: r.ipAddresses }), 'info');
  });
}

/** Marks the page busy while `fn` runs (tests and screen readers wait on it), as runOps does. */
async function busy(fn) {
  document.documentElement.dataset.busy = 'true';
  try {
    return await fn();
  } finally {
    delete document.documentElement.dataset.busy;
  }
}

/** The CIDRs of the export's `kubernetes` ServiceCIDR (the core reads the export), or null. */
function suggestRange(text) {
  let c = null;
  try {
    c = Cluster.fromObjects(text, {});
    return c.get('servicecidrs', 'kubernetes').spec.cidrs.join(',');
  } catch {
    return null; // unreadable, or a pre-1.33 export without ServiceCIDRs: keep the default
  } finally {
    c?.free?.();
  }
}

/** A plan step through the command log (so reloads replay it); answers its changes or null. */
async function runPlanStep(step) {
  const out = await act(['plan', step]);
  return out ? out.changes : null;
}

// ---------- model sync (watch) ----------

const keyOf = (o) => {
  const kind = o.kind;
  const name = o.metadata?.name ?? '';
  if (kind === 'Service') return ['svc', `${o.metadata?.namespace ?? ''}/${name}`];
  if (kind === 'ServiceCIDR') return ['sc', name];
  if (kind === 'IPAddress') return ['ip', name];
  return [null, null];
};

function rvOf(o) {
  try {
    return BigInt(o?.metadata?.resourceVersion ?? '0');
  } catch {
    return 0n;
  }
}

function relist() {
  const c = S.cluster;
  const m = { cidrs: [], services: new Map(), ips: new Map() };
  let max = 0n;
  const sc = new Map();
  for (const o of c.list('servicecidrs')) {
    sc.set(o.metadata.name, o);
    if (rvOf(o) > max) max = rvOf(o);
  }
  for (const o of c.list('services')) {
    m.services.set(`${o.metadata.namespace}/${o.metadata.name}`, o);
    if (rvOf(o) > max) max = rvOf(o);
  }
  for (const o of c.list('ipaddresses')) {
    m.ips.set(o.metadata.name, o);
    if (rvOf(o) > max) max = rvOf(o);
  }
  S.scMap = sc;
  S.model = m;
  S.lastRV = max;
}

/** Applies watch events; returns names of IPAddresses added since the last sync. */
function pullWatch() {
  if (!S.scMap) {
    relist();
    return [];
  }
  let evs;
  try {
    evs = S.cluster.watch(S.lastRV.toString());
  } catch {
    // Too old (compacted): start over from a list, as an informer would.
    relist();
    return [];
  }
  const added = [];
  for (const ev of evs) {
    const o = ev.object;
    const rv = rvOf(o);
    if (rv > S.lastRV) S.lastRV = rv;
    const [kind, key] = keyOf(o);
    if (!kind) continue;
    const target = kind === 'sc' ? S.scMap : kind === 'svc' ? S.model.services : S.model.ips;
    if (ev.type === 'DELETED') target.delete(key);
    else {
      const had = target.get(key);
      if (had && rvOf(had) > rv) continue;
      target.set(key, o);
      if (kind === 'ip' && ev.type === 'ADDED') added.push(key);
    }
  }
  return added;
}

function pullLog() {
  const items = [];
  let skipped = 0;
  try {
    // Only the newest records the log draws; the gap in seq is what it passed over.
    const tr = S.cluster.trace(S.traceSeq, EventLog.PER_ADD) ?? [];
    if (tr.length && tr[0].seq > S.traceSeq + 1) skipped = tr[0].seq - S.traceSeq - 1;
    for (const r of tr) {
      if (typeof r.seq === 'number' && r.seq > S.traceSeq) S.traceSeq = r.seq;
      if (r.time) S.lastTime = r.time;
      if (r.admission) S.decisions.push({ time: r.time, seq: r.seq, ...r.admission });
      items.push({ kind: 'trace', obj: r, at: r.time ?? '' });
    }
  } catch {
    /* trace is an explanation aid; never fatal */
  }
  try {
    for (const ev of S.cluster.events() ?? []) {
      const k = `${ev.metadata?.namespace}/${ev.metadata?.name}/${ev.metadata?.resourceVersion}`;
      if (S.eventKeys.has(k)) continue;
      S.eventKeys.add(k);
      items.push({ kind: 'event', obj: ev, at: ev.eventTime ?? '' });
    }
  } catch {
    /* same */
  }
  // Interleave by time; ties keep arrival order (sort is stable).
  items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  eventLog.add(items, skipped);
}

function pending() {
  try {
    return typeof S.cluster.pendingWork === 'function' ? S.cluster.pendingWork() ?? [] : [];
  } catch {
    return [];
  }
}

function sync({ flash }) {
  syncView(syncModel(), flash);
}

/** Brings the page's model up to the cluster's state (watch, trace, events); answers the IPs added. */
function syncModel() {
  // The Service and IPAddress maps stay in arrival order (only looked up and counted); the
  // panes pick the first rows by name themselves, which at 10^4 objects is far cheaper than
  // sorting both maps on every update.
  const added = pullWatch();
  S.model.cidrs = [...S.scMap.values()].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  pullLog();
  return added;
}

/** Draws the model: maps, panes, capacity, policies, clock. */
function syncView(added, flash) {
  if (flash) maps.flashIPs(added);
  const work = pending();
  // Bands, readiness and cells are the core's answer; the maps only draw them.
  S.model.allocators = S.cluster.allocatorState();
  S.model.rangeView = (name, cidr, start, hostBits) => S.cluster.rangeView(name, cidr, start, hostBits);
  maps.update(S.model);
  panes.render(S.model, work);
  capacity.update(S.cluster.capacity(), S.cluster.apiservers());
  renderPolicies();
  updateClock(work);
}

/** The policy pane: the stored policies and bindings, and the core's decisions. */
function renderPolicies() {
  if (S.decisions.length > 500) S.decisions.splice(0, S.decisions.length - 500);
  let policies = [];
  let bindings = [];
  try {
    policies = S.cluster.list('validatingadmissionpolicies');
    bindings = S.cluster.list('validatingadmissionpolicybindings');
  } catch {
    /* a release without the kinds lists none */
  }
  policyPane.render({ policies, bindings, decisions: S.decisions });
}

// ---------- clock ----------

function nowMs() {
  try {
    if (typeof S.cluster?.now === 'function') return Number(S.cluster.now());
  } catch {
    /* fall through */
  }
  const t0 = Date.parse(S.lastTime ?? S.settings.start);
  return Number.isFinite(t0) ? t0 : Date.parse(S.settings.start);
}

function clockText() {
  const ms = nowMs();
  const d = new Date(ms);
  const rel = Math.max(0, Math.round((ms - Date.parse(S.settings.start)) / 1000));
  const hh = String(Math.floor(rel / 3600)).padStart(2, '0');
  const mm = String(Math.floor((rel % 3600) / 60)).padStart(2, '0');
  const ss = String(rel % 60).padStart(2, '0');
  return `T+${hh}:${mm}:${ss} (${d.toISOString().slice(11, 19)}Z)`;
}

function updateClock(work) {
  $('clock').textContent = clockText();
  const now = nowMs();
  // Timers tied to an object (grace periods, leak checks) are the interesting ones.
  const next = (work ?? [])
    .filter((w) => w.controller === 'service-cidr-controller' || (w.controller === 'ipallocator-repair-controller' && w.key !== 'resync'))
    .sort((a, b) => Number(a.dueMs) - Number(b.dueMs))[0];
  const el = $('clock-next');
  if (next) {
    const secs = Math.max(0, Math.round((Number(next.dueMs) - now) / 1000));
    el.textContent = t('nextTimer', { what: `${next.controller} ${next.key}`, s: secs });
  } else el.textContent = '';
  el.title = (work ?? []).map((w) => `${w.due} ${w.controller} ${w.key}`).join('\n');
}

function updateControls() {
  const b = $('btn-pause');
  b.setAttribute('aria-pressed', String(S.paused));
  b.textContent = t(S.paused ? 'resume' : 'pause');
  $('btn-step').disabled = !S.paused;
}

// ---------- notices ----------

let noticeTimer;
let noticeText = null;

/**
 * Shows a banner. `text` is a function of the current language (or a fixed string), so a
 * banner still up when the language changes is shown again in the new one.
 */
function notice(text, cls = 'info') {
  const n = $('notice');
  noticeText = typeof text === 'function' ? text : () => text;
  n.textContent = noticeText();
  n.className = `notice ${cls}`;
  n.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    n.hidden = true;
  }, 8000);
}

function relabelNotice() {
  const n = $('notice');
  if (!n.hidden && noticeText) n.textContent = noticeText();
}

// ---------- commands from buttons ----------

/** Single-quotes a word for the shell unless it is plainly safe. */
export function shQuote(s) {
  return /^[A-Za-z0-9._\/:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A YAML scalar that cannot break out of its line (JSON strings are valid YAML). */
function yq(s) {
  return /^[A-Za-z0-9._\/-]+$/.test(s) && !/^(true|false|null|yes|no|on|off|~|[-.\d].*)$/i.test(s) ? s : JSON.stringify(s);
}

function runFromButton(script) {
  return act(['run', script, t('fromButton')]);
}

function createServiceCommand(f) {
  const name = f.name.trim();
  const ns = f.namespace.trim() || 'default';
  const nsFlag = ns === 'default' ? '' : ` -n ${shQuote(ns)}`;
  const ip = f.clusterIP.trim();
  if (!f.policy && !f.families && f.type === 'ClusterIP') {
    return `kubectl create service clusterip ${shQuote(name)} --tcp 80${ip ? ` --clusterip ${shQuote(ip)}` : ''}${nsFlag}`;
  }
  if (!f.policy && !f.families && !ip) {
    return `kubectl create service ${f.type.toLowerCase()} ${shQuote(name)} --tcp 80${nsFlag}`;
  }
  const lines = ['cat <<EOF | kubectl apply -f -', 'apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${yq(name)}`, `  namespace: ${yq(ns)}`, 'spec:'];
  if (f.type !== 'ClusterIP') lines.push(`  type: ${f.type}`);
  if (f.policy) lines.push(`  ipFamilyPolicy: ${f.policy}`);
  if (f.families) {
    lines.push('  ipFamilies:');
    for (const fam of f.families.split(',')) lines.push(`  - ${fam}`);
  }
  if (ip) {
    const ips = ip.split(',').map((x) => x.trim()).filter(Boolean);
    lines.push(`  clusterIP: ${yq(ips[0])}`, '  clusterIPs:');
    for (const x of ips) lines.push(`  - ${yq(x)}`);
  }
  lines.push('  ports:', '  - port: 80', 'EOF');
  // A here-document body is taken literally by the shell only with a quoted delimiter.
  if (/[$`\\]/.test(lines.join('\n'))) lines[0] = "cat <<'EOF' | kubectl apply -f -";
  return lines.join('\n');
}

function addCIDRCommand(name, cidrs) {
  const lines = ['cat <<EOF | kubectl apply -f -', 'apiVersion: networking.k8s.io/v1', 'kind: ServiceCIDR', 'metadata:', `  name: ${yq(name)}`, 'spec:', '  cidrs:'];
  for (const c of cidrs) lines.push(`  - ${yq(c)}`);
  lines.push('EOF');
  if (/[$`\\]/.test(lines.join('\n'))) lines[0] = "cat <<'EOF' | kubectl apply -f -";
  return lines.join('\n');
}

function deleteCommand(kind, name, ns) {
  if (kind === 'service') return `kubectl delete service ${shQuote(name)}${ns && ns !== 'default' ? ` -n ${shQuote(ns)}` : ''}`;
  if (kind === 'servicecidr') return `kubectl delete servicecidr ${shQuote(name)} --wait=false`;
  return `kubectl delete ipaddress ${shQuote(name)}`;
}

function nextFree(prefix, taken) {
  for (let i = 1; ; i++) if (!taken(`${prefix}${i}`)) return `${prefix}${i}`;
}

function refreshFormDefaults() {
  const svcName = $('svc-name');
  if (!svcName.dataset.touched) svcName.value = nextFree('svc-', (n) => S.model.services.has(`default/${n}`));
  const cidrName = $('cidr-name');
  if (!cidrName.dataset.touched) cidrName.value = nextFree('newcidr', (n) => S.scMap?.has(n));
}

// ---------- tour and scenarios ----------

async function runOps(ops) {
  // Marks the page busy while a multi-step action runs (tests and screen readers wait on it).
  document.documentElement.dataset.busy = 'true';
  try {
    await runOpsNow(ops);
  } finally {
    delete document.documentElement.dataset.busy;
  }
}

async function runOpsNow(ops) {
  for (const op of ops) {
    if (op.reset) {
      // Scenarios and tour steps run on the release the learner picked.
      const keep = S.settings.version ? { version: S.settings.version } : {};
      await boot({ v: FORMAT, settings: { ...DEFAULT_SETTINGS, ...keep, ...op.reset }, log: [] });
      fillSettingsForm();
    } else if (op.run !== undefined) await act(['run', op.run]);
    else if (op.adv !== undefined) await act(['adv', op.adv]);
    else if (op.settle) await act(['settle']);
    // Let the page paint between steps so each result is visible as it comes.
    await new Promise((r) => requestAnimationFrame(() => r()));
  }
  refreshFormDefaults();
}

function renderScenarios() {
  const ul = $('scenarios');
  ul.textContent = '';
  for (const sc of SCENARIOS) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'scenario';
    b.dataset.scenario = sc.id;
    b.textContent = pick(sc.title);
    b.addEventListener('click', async () => {
      $('notice').hidden = true;
      await runOps([{ reset: sc.settings }, ...sc.ops]);
      notice(() => pick(sc.next), 'info');
    });
    li.append(b);
    ul.append(li);
  }
}

// ---------- release ----------

/** The header names the release the core runs (exact patch, as `cluster.version` says). */
function showVersion() {
  const v = S.cluster?.version;
  $('version-badge').textContent = v ? t('versionBadge', { version: `v${v}` }) : '';
  const sel = $('version');
  // The picker shows what was asked for ('1.33' is the newest modelled 1.33 patch); a
  // release the list does not offer (from a link or an embed's `version`) joins it.
  selectRelease(sel, S.settings.version ?? RELEASES[0]);
}

function wireVersion() {
  const sel = $('version');
  fillReleaseSelect(sel, undefined);
  sel.addEventListener('change', async () => {
    const settings = { ...S.settings, version: sel.value };
    try {
      newCluster(settings, S.import).free?.();
    } catch (err) {
      notice(() => t('badVersion', { msg: err.message }), 'err');
      showVersion();
      return;
    }
    // Same script, other release: the log replays, so what differs is the release's doing.
    const log = S.log;
    // An imported cluster is imported again on the new release, then the log replays.
    await boot({ v: FORMAT, settings, log, ...(S.import ? { import: S.import } : {}) });
    const version = S.cluster.version;
    notice(() => t('versionReplayed', { version, n: log.length }), 'info');
  });
}

// ---------- settings, share, reset ----------

function fillSettingsForm() {
  $('set-range').value = S.settings.range;
  $('set-seed').value = String(S.settings.seed);
}

function wireSettings() {
  const btn = $('btn-settings');
  btn.addEventListener('click', () => {
    const box = $('settings');
    box.hidden = !box.hidden;
    btn.setAttribute('aria-expanded', String(!box.hidden));
    if (!box.hidden) {
      fillSettingsForm();
      $('set-range').focus();
    }
  });
  $('settings-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const range = $('set-range').value.trim();
    const seed = Number($('set-seed').value);
    const settings = { ...S.settings, range, seed: Number.isFinite(seed) ? Math.trunc(seed) : 1 };
    try {
      // Validate by constructing: the core knows the flag rules and their messages.
      newCluster(settings).free?.();
    } catch (err) {
      notice(() => t('badSettings', { msg: err.message }), 'err');
      return;
    }
    await boot({ v: FORMAT, settings, log: [] });
    $('settings').hidden = true;
    btn.setAttribute('aria-expanded', 'false');
    notice(() => t('restarted'), 'info');
    term.focus();
  });
  $('btn-reset').addEventListener('click', async () => {
    clearState();
    // Reset empties the log and the settings; the chosen release stays, like the language.
    await boot({ v: FORMAT, settings: { ...DEFAULT_SETTINGS, ...(S.settings.version ? { version: S.settings.version } : {}) }, log: [] });
    prefs.tourStep = 0;
    prefs.reconfStep = 0;
    savePrefs(prefs);
    tour.done.clear();
    tour.render();
    reconfTour.done.clear();
    reconfTour.render();
    fillSettingsForm();
    notice(() => t('wasReset'), 'info');
  });
  $('btn-share').addEventListener('click', async () => {
    const frag = await encodeState(currentState());
    const url = `${location.origin}${location.pathname}#${frag}`;
    $('share-url').value = url;
    $('share-import').hidden = !S.import;
    $('share').hidden = false;
    $('share-url').focus();
    $('share-url').select();
  });
  $('btn-share-copy').addEventListener('click', async () => {
    try {
      const { copyText } = await import('./terminal.js');
      await copyText($('share-url').value);
      notice(() => t('linkCopied'), 'info');
    } catch {
      notice(() => t('copyFailed'), 'warn');
    }
  });
  $('btn-share-close').addEventListener('click', () => {
    $('share').hidden = true;
    $('btn-share').focus();
  });
}

// ---------- theme and language ----------

function applyTheme() {
  const theme = prefs.theme ?? 'auto';
  document.documentElement.dataset.theme = theme;
  const dark = theme === 'dark' || (theme === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches);
  $('btn-theme').setAttribute('aria-pressed', String(dark));
}

function wirePrefs() {
  $('btn-theme').addEventListener('click', () => {
    const dark = $('btn-theme').getAttribute('aria-pressed') === 'true';
    prefs.theme = dark ? 'light' : 'dark';
    savePrefs(prefs);
    applyTheme();
  });
  const sel = $('lang');
  sel.value = lang();
  sel.addEventListener('change', () => {
    setLang(sel.value);
    prefs.lang = sel.value;
    savePrefs(prefs);
    relabel();
  });
}

function relabel() {
  applyI18n(document);
  updateControls();
  renderScenarios();
  tour.render();
  maps.relabel();
  panes.render(S.model, pending());
  renderPolicies();
  updateClock(pending());
  relabelNotice();
  term.relabel();
  eventLog.relabel();
  showVersion();
  compare?.relabel();
  reconfTour.render();
  capacity.render();
  if (S.cluster) showImportReport();
  planView.render();
}

// ---------- wiring ----------

function names(kind, ns) {
  if (kind === 'sc') return [...(S.scMap?.keys() ?? [])];
  if (kind === 'ip') return [...S.model.ips.keys()];
  return [...S.model.services.values()]
    .filter((s) => (ns ? s.metadata.namespace === ns : s.metadata.namespace === 'default'))
    .map((s) => s.metadata.name);
}

function onTerminalRun(script) {
  const cmd = script.trim();
  if (cmd === 'clear') {
    term.clear();
    return;
  }
  if (cmd === 'help') {
    term.note(() => t('help'), 'note help');
    return;
  }
  act(['run', script]).then(refreshFormDefaults);
}

function wireActions() {
  $('btn-pause').addEventListener('click', () => act(['pause', !S.paused]));
  $('btn-step').addEventListener('click', () => act(['step']));
  $('btn-adv10').addEventListener('click', () => act(['adv', 10]));
  $('btn-adv60').addEventListener('click', () => act(['adv', 60]));
  $('btn-settle').addEventListener('click', () => act(['settle']));
  $('btn-term-clear').addEventListener('click', () => term.clear());
  $('log-events').addEventListener('change', () => eventLog.setFilter($('log-events').checked, $('log-trace').checked));
  $('log-trace').addEventListener('change', () => eventLog.setFilter($('log-events').checked, $('log-trace').checked));
  for (const id of ['svc-name', 'cidr-name']) $(id).addEventListener('input', (e) => (e.target.dataset.touched = '1'));
  $('form-svc').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(e.target).entries());
    // A malformed clusterIP still goes to the apiserver: its validation message is the lesson.
    delete $('svc-name').dataset.touched;
    runFromButton(createServiceCommand(f)).then(refreshFormDefaults);
  });
  $('form-cidr').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(e.target).entries());
    const cidrs = f.cidrs.split(/[,\s]+/).filter(Boolean);
    // Malformed CIDRs still go to the apiserver: its validation message is the lesson.
    delete $('cidr-name').dataset.touched;
    runFromButton(addCIDRCommand(f.name.trim(), cidrs)).then(refreshFormDefaults);
  });
}

async function main() {
  performance.mark('playground:main');
  setLang(prefs.lang ?? (navigator.language?.startsWith('ja') ? 'ja' : 'en'));
  applyTheme();
  applyI18n(document);
  term = new Terminal({
    out: $('term-out'),
    input: $('term-input'),
    suggest: $('term-suggest'),
    onRun: onTerminalRun,
    onInterrupt: interrupt,
    complete: (line) => completions(line, names),
  });
  maps = new RangeMaps($('maps'), $('tooltip'));
  panes = new Panes({
    deleteObj: (kind, name, ns) => {
      runFromButton(deleteCommand(kind, name, ns)).then(refreshFormDefaults);
    },
    prefillCIDR: (cidrs) => {
      $('cidr-cidrs').value = cidrs.join(',');
      $('cidr-name').focus();
    },
    // S.cluster is replaced on reset/restore, so look it up at call time.
    blockingIPs: (name) => S.cluster.blockingIPsReport(name),
  });
  eventLog = new EventLog($('event-log'));
  policyPane = new PolicyPane($('pane-vap'));
  tour = new Tour($('tour'), {
    run: runOps,
    getStep: () => prefs.tourStep ?? 0,
    setStep: (i) => {
      prefs.tourStep = i;
      savePrefs(prefs);
    },
  });
  reconfTour = new Tour($('reconf-tour'), {
    run: runOps,
    steps: RECONF_TOUR,
    titleId: 'reconf-step-title',
    getStep: () => prefs.reconfStep ?? 0,
    setStep: (i) => {
      prefs.reconfStep = i;
      savePrefs(prefs);
    },
  });
  capacity = new CapacityPane($('cap-table').tBodies[0], $('api-table').tBodies[0]);
  planView = new PlanView({ cluster: () => S.cluster, runStep: runPlanStep, busy });
  wireSettings();
  wireVersion();
  $('btn-compare').addEventListener('click', () => {
    const box = $('compare');
    box.hidden = !box.hidden;
    $('btn-compare').setAttribute('aria-expanded', String(!box.hidden));
    if (!box.hidden) $('cmp-a').focus();
  });
  wirePrefs();
  wireActions();
  renderScenarios();
  tour.render();
  reconfTour.render();
  updateControls();

  performance.mark('playground:init-start');
  // The module index.html started compiling (undefined if that failed: init() fetches it).
  const module_or_path = await window.__wasmModule;
  await init(module_or_path ? { module_or_path } : undefined);
  performance.mark('playground:wasm-ready');
  compare = new Compare({
    Cluster,
    // A script that writes policies runs on clusters with the CEL module.
    evaluator: async (script) => (mentionsPolicy(script) && (await ensureCel()) ? S.cel : null),
    seed: DEFAULT_SETTINGS.seed,
    start: DEFAULT_SETTINGS.start,
    load: () => prefs.compare,
    save: (c) => {
      prefs.compare = c;
      savePrefs(prefs);
    },
  });

  // A shared link wins over the local state; it then becomes the local state.
  let state = null;
  if (location.hash.startsWith('#s=')) {
    state = await decodeHash(location.hash);
    if (state) notice(() => t('loadedShared'), 'info');
    else notice(() => t('badShared'), 'warn');
    history.replaceState(null, '', location.pathname + location.search);
  }
  state ??= loadState() ?? { v: FORMAT, settings: { ...DEFAULT_SETTINGS }, log: [] };
  try {
    await boot(state);
  } catch (err) {
    // A saved state the current core cannot start (e.g. settings it rejects): start clean.
    notice(() => t('badSaved', { msg: err.message }), 'warn');
    await boot({ v: FORMAT, settings: { ...DEFAULT_SETTINGS }, log: [] });
  }
  performance.mark('playground:booted');
  new ImportDialog({ onImport: importCluster, defaults: () => ({ range: S.settings.range, version: S.settings.version ?? RELEASES[0] }), suggestRange });
  fillSettingsForm();
  refreshFormDefaults();
  term.setEnabled(true);
  document.documentElement.dataset.ready = 'true';
  window.__readyAt = performance.now();
}

main().catch((err) => {
  document.documentElement.dataset.ready = 'error';
  const n = $('notice');
  n.textContent = `${t('loadFailed')} ${err?.message ?? err}`;
  n.className = 'notice err';
  n.hidden = false;
  console.error(err);
});

export { TOUR };
