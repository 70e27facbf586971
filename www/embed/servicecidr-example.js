// <servicecidr-example>: a runnable shell example for docs pages, backed by servicecidr-sim.
//
//   <script type="module" src="/embed/servicecidr-example.js"></script>
//   <servicecidr-example range="10.96.0.0/28" seed="7" autorun map>
//   kubectl get servicecidr
//   </servicecidr-example>
//
// Each element owns its own Cluster. The wasm module is fetched once per page, and only
// when the first example scrolls into view (or a button is pressed), so a long docs page
// costs nothing until a reader gets to the examples. Paths are resolved against this
// module's URL, so the element works from any static file server with no build step.
// Everything the user or the page supplies is rendered with textContent, never as HTML.

import { splitCommands } from './shell.js';
import { celUrl, loadCel, mentionsPolicy, neededCel } from './cel.js';

const STRINGS = {
  en: {
    run: 'Run', reset: 'Reset', step: 'Step', playground: 'Open in playground',
    loading: 'Loading simulator…', pending: 'not run yet', failed: 'Simulator failed to load: ',
    exit: 'exit code', edit: 'Script', map: 'Service IP ranges', used: 'used',
    terminating: 'terminating', ready: 'ready', notReady: 'not ready', staticBand: 'static band',
    noAllocator: 'no allocator: never allocates', transcript: 'Commands and their output',
    noOutput: '(no output)', cycle: 'example chain loops back to itself: ', missing: 'no example with id ',
    loadingCel: 'Loading the CEL module for admission policies…',
  },
  ja: {
    run: '実行', reset: 'リセット', step: 'ステップ', playground: 'プレイグラウンドで開く',
    loading: 'シミュレーターを読み込み中…', pending: '未実行', failed: 'シミュレーターを読み込めませんでした: ',
    exit: '終了コード', edit: 'スクリプト', map: 'ServiceのIP範囲', used: '使用中',
    terminating: '削除中', ready: '準備完了', notReady: '準備未完了', staticBand: '静的帯域',
    noAllocator: 'アロケーターなし: 割り当てなし', transcript: 'コマンドとその出力',
    noOutput: '(出力なし)', cycle: '例の連鎖が循環しています: ', missing: 'このidの例がありません: ',
    loadingCel: 'アドミッションポリシー用の CEL モジュールを読み込み中…',
  },
};

// Where the build puts the web package (pkg-scripts/build copies pkg/web to www/pkg/). A page
// that hosts the package elsewhere says so with <meta name="servicecidr-sim-pkg" content="URL
// of servicecidr_sim.js">; the .wasm is then looked up beside that file.
function packageUrls() {
  const meta = globalThis.document?.querySelector('meta[name="servicecidr-sim-pkg"]');
  const js = meta?.content
    ? new URL(meta.content, document.baseURI)
    : new URL('../pkg/servicecidr_sim.js', import.meta.url);
  return { js, wasm: new URL('servicecidr_sim_bg.wasm', js) };
}

let simPromise = null;
/** The wasm package, initialised once for the whole page, on first need. */
export function loadSimulator() {
  if (!simPromise) {
    const { js, wasm } = packageUrls();
    simPromise = import(js.href).then(async (mod) => {
      await mod.default({ module_or_path: wasm });
      return mod;
    });
    // A failed load may be retried (e.g. the network came back): forget the failure.
    simPromise.catch(() => { simPromise = null; });
  }
  return simPromise;
}

/**
 * The CEL module (ValidatingAdmissionPolicy evaluation), a second wasm module beside the
 * package's web build (../cel/web/, or <meta name="servicecidr-sim-cel">), fetched once per
 * page and only when an example first meets a policy.
 */
export function loadPolicyEvaluator() {
  return loadCel(celUrl(packageUrls().js));
}

// One observer for every instance: the first example that becomes visible starts the load.
let observer = null;
function observe(el) {
  if (typeof IntersectionObserver === 'undefined') {
    queueMicrotask(() => el._visible());
    return;
  }
  if (!observer) {
    observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          entry.target._visible();
        }
      }
    }, { rootMargin: '200px' });
  }
  observer.observe(el);
}

/** HumanDuration-style age ("17d", "3h", "90s", "1d12h") to seconds; null if not one. */
export function parseAge(text) {
  const t = String(text ?? '').trim();
  if (!/^(\d+[ydhms])+$/.test(t)) return null;
  const unit = { y: 365 * 86400, d: 86400, h: 3600, m: 60, s: 1 };
  let total = 0;
  for (const [, n, u] of t.matchAll(/(\d+)([ydhms])/g)) total += Number(n) * unit[u];
  return total;
}

function base64url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Raw DEFLATE, what the playground's share links hold (it inflates them with fflate). */
async function deflateRaw(text) {
  const stream = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The playground's `start` setting: RFC 3339, whole seconds. */
function rfc3339(now) {
  const d = new Date(typeof now === 'number' ? now : Date.parse(now));
  return Number.isNaN(d.getTime()) ? String(now) : d.toISOString().replace(/\.000Z$/, 'Z');
}

const STYLE = `
:host { display: block; margin: 1em 0; font-family: system-ui, sans-serif; font-size: 14px;
  --sce-bg: #0f172a; --sce-fg: #e2e8f0; --sce-dim: #94a3b8; --sce-accent: #38bdf8; --sce-err: #fca5a5; }
:host([hidden]), [hidden] { display: none !important; }
.box { border: 1px solid #cbd5e1; border-radius: 6px; overflow: hidden; }
.bar { display: flex; gap: .4em; align-items: center; padding: .35em .5em; background: #f1f5f9;
  border-bottom: 1px solid #cbd5e1; flex-wrap: wrap; }
button { font: inherit; padding: .15em .8em; border: 1px solid #94a3b8; border-radius: 4px;
  background: white; cursor: pointer; }
button:disabled { opacity: .5; cursor: default; }
.status { color: #475569; font-size: 12px; }
.release { font: 600 12px ui-monospace, monospace; color: #1e3a8a; border: 1px solid #1e3a8a;
  border-radius: 9px; padding: 0 .5em; }
a.playground { margin-left: auto; font-size: 12px; }
textarea { display: block; box-sizing: border-box; width: 100%; min-height: 6em; border: 0;
  border-bottom: 1px solid #cbd5e1; padding: .5em; font: 13px/1.4 ui-monospace, monospace; resize: vertical; }
.transcript { margin: 0; padding: .5em .7em; background: var(--sce-bg); color: var(--sce-fg);
  font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; overflow-x: auto; }
.transcript:focus-visible { outline: 2px solid var(--sce-accent); outline-offset: -2px; }
.entry { margin: 0 0 .4em; }
.cmd, .out { margin: 0; white-space: pre; font: inherit; }
.cmd::before { content: '$ '; color: var(--sce-accent); }
.entry.comment .cmd { color: var(--sce-dim); }
.entry.comment .cmd::before { content: ''; }
.entry.pending .cmd { color: var(--sce-dim); font-style: italic; }
.entry.failed .out { color: var(--sce-err); }
.map { padding: .4em .7em; border-top: 1px solid #cbd5e1; font-size: 12px; }
.map .title { margin: 0 0 .3em; font-size: 12px; font-weight: 600; }
.row { display: grid; grid-template-columns: minmax(8em, max-content) 1fr max-content; gap: .5em;
  align-items: center; margin: .2em 0; }
.row .label { font-family: ui-monospace, monospace; white-space: nowrap; }
.track { position: relative; height: 12px; background: #e2e8f0; border-radius: 2px; overflow: hidden; }
.track .static { position: absolute; top: 0; bottom: 0; left: 0; background: #cbd5e1; }
.track .ip { position: absolute; top: 0; bottom: 0; min-width: 2px; background: #0284c7; }
.row.terminating .track { outline: 1px dashed #dc2626; }
.row.terminating .track .ip { background: #dc2626; }
.row .count { color: #475569; white-space: nowrap; }
`;

let instances = 0;

export class ServiceCIDRExample extends HTMLElement {
  static get observedAttributes() { return ['lang', 'editable', 'map']; }

  constructor() {
    super();
    this._id = ++instances;
    this._cluster = null;
    this._commands = [];
    this._results = [];   // output per command index, filled as they run
    this._next = 0;
    this._log = [];       // commands run in this cluster, predecessors' first (playground link)
    this._settings = null;
    this._needsSettle = false;
    this._queue = Promise.resolve();
    this._script = null;
    this._status = '';
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${STYLE}</style>
<div class="box" part="box">
  <div class="bar" part="toolbar">
    <button class="run" part="button run" type="button"></button>
    <button class="step" part="button step" type="button"></button>
    <button class="reset" part="button reset" type="button"></button>
    <span class="release" part="release" hidden></span>
    <span class="status" part="status" role="status"></span>
    <a class="playground" part="playground" target="_blank" rel="noopener"></a>
  </div>
  <textarea class="editor" part="editor" spellcheck="false" hidden></textarea>
  <div class="transcript" part="transcript" role="log" aria-live="polite" tabindex="0"></div>
  <div class="map" part="map" role="group" hidden></div>
</div>`;
    this._el = {
      run: root.querySelector('.run'),
      step: root.querySelector('.step'),
      reset: root.querySelector('.reset'),
      release: root.querySelector('.release'),
      status: root.querySelector('.status'),
      link: root.querySelector('.playground'),
      editor: root.querySelector('.editor'),
      transcript: root.querySelector('.transcript'),
      map: root.querySelector('.map'),
    };
    this._el.run.addEventListener('click', () => this.run().catch(() => {}));
    this._el.step.addEventListener('click', () => this.step().catch(() => {}));
    this._el.reset.addEventListener('click', () => this.reset().catch(() => {}));
    this._el.editor.addEventListener('input', () => {
      this._script = this._el.editor.value;
      this.reset().catch(() => {});
    });
  }

  connectedCallback() {
    if (this._script === null) {
      // The script is the element's text. Read it once the parser has finished with the
      // element (a module script runs after parsing, but the element may also be created
      // later by a framework, or defined before its children are parsed).
      if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', () => this._init(), { once: true });
      } else {
        this._init();
      }
    }
  }

  disconnectedCallback() {
    observer?.unobserve(this);
  }

  attributeChangedCallback() {
    if (this._script !== null) this._render();
  }

  _init() {
    if (this._script !== null) return;
    this._script = ServiceCIDRExample.scriptOf(this);
    this._el.editor.value = this._script;
    this._commands = splitCommands(this._script);
    this._render();
    observe(this);
  }

  /**
   * The script: the text of a `<script type="text/plain">` or `<template>` child when there is
   * one (lets authors write `<<EOF` without HTML escaping), else the element's own text;
   * common indentation removed.
   */
  static scriptOf(el) {
    const holder = el.querySelector(':scope > script[type="text/plain"], :scope > script[type="text/x-shell"], :scope > template');
    const raw = holder ? (holder.content?.textContent ?? holder.textContent) : el.textContent;
    const lines = raw.replace(/\r\n?/g, '\n').split('\n');
    while (lines.length && !lines[0].trim()) lines.shift();
    while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
    const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)[0].length));
    return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
  }

  _visible() {
    loadSimulator().then(
      () => { if (this.hasAttribute('autorun')) this.run().catch(() => {}); },
      (e) => this._setStatus(this._t('failed') + (e?.message ?? e)),
    );
  }

  _lang() {
    const lang = (this.getAttribute('lang') || this.closest('[lang]')?.getAttribute('lang') || 'en').toLowerCase();
    return lang.startsWith('ja') ? 'ja' : 'en';
  }

  _t(key) { return STRINGS[this._lang()][key] ?? STRINGS.en[key]; }

  _setStatus(text) {
    this._status = text;
    this._el.status.textContent = text;
  }

  /** The emulated release, exact ("1.33.11"), once the cluster exists; else null. */
  get version() {
    return this._cluster?.version ?? null;
  }

  /** Names the release in the toolbar when the page chose one (a docs page pinned to it). */
  _showRelease() {
    const asked = this._settings?.version ?? this.getAttribute('version')?.trim();
    const el = this._el.release;
    el.hidden = !asked;
    el.textContent = asked ? `Kubernetes ${this._cluster?.version ?? asked}` : '';
  }

  /** Cluster options from the attributes; a seed is always fixed so the link can replay. */
  _options() {
    if (!this._settings) {
      const seedAttr = this.getAttribute('seed');
      const seed = seedAttr !== null && seedAttr.trim() !== '' && Number.isFinite(Number(seedAttr))
        ? Number(seedAttr)
        : Math.floor(Math.random() * 2 ** 31);
      const nowAttr = this.getAttribute('now');
      // A manual clock always: run() settles it between commands, and `age` moves it.
      const now = nowAttr ? (/^\d+$/.test(nowAttr) ? Number(nowAttr) : nowAttr)
        : Math.floor(Date.now() / 1000) * 1000;
      const opts = { seed, now };
      const range = this.getAttribute('range');
      if (range) opts.serviceClusterIPRange = range.trim();
      // The Kubernetes release to emulate ("1.33", "1.33.11"); the core rejects unknown ones.
      const version = this.getAttribute('version');
      if (version && version.trim()) opts.version = version.trim();
      this._settings = opts;
    }
    return this._settings;
  }

  /** Serialises operations on this element: buttons, autorun and dependents' requests. */
  _enqueue(fn) {
    const p = this._queue.then(fn);
    this._queue = p.catch(() => {});
    return p;
  }

  async _ensureCluster(chain) {
    if (this._cluster) return this._cluster;
    const sim = await loadSimulator();
    const after = this.getAttribute('after');
    if (after) {
      const prev = document.getElementById(after);
      if (!(prev instanceof ServiceCIDRExample)) throw new Error(this._t('missing') + after);
      if (chain.has(prev)) throw new Error(this._t('cycle') + after);
      const snap = await prev._finalState(chain);
      this._cluster = sim.Cluster.restore(snap.snapshot);
      // A restored cluster has no evaluator; one whose state holds policies needs it back.
      if (mentionsPolicy(JSON.stringify(snap.snapshot))) await this._withPolicies();
      // A continued example runs on its predecessor's release (the snapshot carries it).
      this._settings = { ...snap.settings };
      this._showRelease();
      this._log = [...snap.log];
      this._needsSettle = true;
    } else {
      const { advance, ...opts } = this._options();
      this._cluster = new sim.Cluster(opts);
      this._showRelease();
      const age = parseAge(this.getAttribute('age'));
      if (age) this._cluster.advance(age);
      // Kept with the settings so the playground link (and `after` chains) can replay it.
      this._settings = { ...opts, advance: age || undefined };
      this._log = age ? [['adv', age]] : [];
      this._needsSettle = false;
    }
    return this._cluster;
  }

  /** Runs this example to its end (first its own predecessors) and returns its state. */
  _finalState(chain = new Set()) {
    const next = new Set(chain).add(this);
    return this._enqueue(async () => {
      await this._runRemaining(next);
      return {
        snapshot: this._cluster.snapshot(),
        settings: this._settings,
        log: [...this._log],
      };
    });
  }

  async _runRemaining(chain) {
    await this._ensureCluster(chain);
    while (this._next < this._commands.length) {
      await this._prepare(this._commands[this._next]);
      this._exec();
    }
    this._render();
  }

  /** Before a command that names a policy: the CEL module, loaded and plugged in. */
  async _prepare(cmd) {
    if (!cmd.comment && mentionsPolicy(cmd.text)) await this._withPolicies();
  }

  /** Loads the CEL module (once per page) and makes it this cluster's policy evaluator. */
  async _withPolicies() {
    if (this._celFor === this._cluster) return;
    // Said while it loads, then the status is what it was (a predecessor's is never cleared
    // by a run of its own).
    const before = this._status;
    this._setStatus(this._t('loadingCel'));
    try {
      const cel = await loadPolicyEvaluator();
      this._cluster.setPolicyEvaluator(cel);
      this._celFor = this._cluster;
    } finally {
      this._setStatus(before);
    }
  }

  _exec() {
    const i = this._next++;
    const cmd = this._commands[i];
    if (cmd.comment) {
      this._results[i] = null;
      return;
    }
    // Settling between commands is what cluster.run() does between a script's top-level
    // commands; doing it here keeps a step-by-step run identical to running it whole.
    if (this._needsSettle) {
      this._cluster.settle();
      this._log.push(['settle']);
    }
    let result;
    try {
      result = this._cluster.run(cmd.text);
    } catch (e) {
      result = { output: String(e?.message ?? e) + '\n', stdout: '', stderr: String(e?.message ?? e), exitCode: 1 };
    }
    this._needsSettle = true;
    this._log.push(['run', cmd.text]);
    this._results[i] = result;
    // The policy reached the core by other words, and its 503 changed nothing: with the
    // module plugged in now, running the example again passes.
    if (neededCel(result) && this._celFor !== this._cluster) this._withPolicies().catch(() => {});
    this.dispatchEvent(new CustomEvent('command', { detail: { index: i, command: cmd.text, result }, bubbles: true, composed: true }));
  }

  _busy(p) {
    this._setStatus(this._t('loading'));
    this._disable(true);
    return p.then(
      (v) => { this._disable(false); this._setStatus(''); this._render(); return v; },
      (e) => { this._disable(false); this._setStatus(String(e?.message ?? e)); this._render(); throw e; },
    );
  }

  _disable(on) {
    for (const b of [this._el.run, this._el.step, this._el.reset]) b.disabled = on;
  }

  /** Runs every remaining command. Resolves when the transcript is complete. */
  run() {
    return this._busy(this._enqueue(() => this._runRemaining(new Set([this]))).then(() => {
      this.dispatchEvent(new CustomEvent('done', { bubbles: true, composed: true }));
    }));
  }

  /** Runs the next command only. */
  step() {
    return this._busy(this._enqueue(async () => {
      await this._ensureCluster(new Set([this]));
      if (this._next < this._commands.length) {
        await this._prepare(this._commands[this._next]);
        this._exec();
      }
      // Comments are not commands: a step should always show some output.
      while (this._next < this._commands.length && this._commands[this._next].comment) this._exec();
    }));
  }

  /** Throws the cluster away; the next Run starts again (from the predecessor's state). */
  reset() {
    return this._busy(this._enqueue(async () => {
      this._cluster?.free?.();
      this._cluster = null;
      this._next = 0;
      this._results = [];
      this._log = [];
      // Settings (and a seed picked at random) are kept, so Reset + Run replays the same run.
      this._commands = splitCommands(this._script ?? '');
    }));
  }

  /** The live Cluster (null before the first run). */
  get cluster() { return this._cluster; }

  /** The Cluster's snapshot after this example's whole script has run. */
  async snapshot() {
    return (await this._finalState()).snapshot;
  }

  /** [{ command, output, exitCode }] for every command run so far (comments excluded). */
  get transcript() {
    const out = [];
    for (let i = 0; i < this._next; i++) {
      const r = this._results[i];
      if (r) out.push({ command: this._commands[i].text, output: r.output ?? (r.stdout + r.stderr), exitCode: r.exitCode });
    }
    return out;
  }

  /**
   * The playground's share link for this example's state, in the playground's own format
   * (www/js/persist.js): `index.html#s=` + base64url(raw DEFLATE(JSON)) of
   * { v: 1, settings: { range, seed, start, version? }, log: [['adv', s] | ['run', script] | ['settle']] }.
   * The log replays this example exactly: the predecessors' entries first (for `after`), the
   * age as an advance, and a settle between commands as the example does.
   */
  async playgroundUrl() {
    const s = this._settings ?? this._options();
    let log = this._log;
    if (!this._cluster && !this.getAttribute('after')) {
      const age = parseAge(this.getAttribute('age'));
      log = age ? [['adv', age]] : [];
    }
    const state = {
      v: 1,
      settings: { range: s.serviceClusterIPRange ?? '10.96.0.0/12', seed: s.seed, start: rfc3339(s.now) },
      log,
    };
    // The playground opens on the same release (its picker shows it).
    if (s.version) state.settings.version = s.version;
    const base = this.getAttribute('playground') || new URL('../index.html', import.meta.url).href;
    return `${base}#s=${base64url(await deflateRaw(JSON.stringify(state)))}`;
  }

  _updateLink() {
    const gen = (this._linkGen = (this._linkGen ?? 0) + 1);
    this.playgroundUrl().then((url) => {
      if (gen === this._linkGen) this._el.link.href = url;
    }, () => {});
  }

  _render() {
    const el = this._el;
    el.run.textContent = this._t('run');
    el.step.textContent = this._t('step');
    el.reset.textContent = this._t('reset');
    el.link.textContent = this._t('playground');
    this._showRelease();
    this._updateLink();
    el.editor.hidden = !this.hasAttribute('editable');
    el.editor.setAttribute('aria-label', this._t('edit'));
    // Focusable: a long transcript scrolls sideways, and a keyboard must reach it.
    el.transcript.setAttribute('aria-label', this._t('transcript'));
    const done = this._next >= this._commands.length;
    el.run.disabled = el.step.disabled = done && this._cluster !== null;
    el.status.textContent = this._status;

    const frag = document.createDocumentFragment();
    this._commands.forEach((cmd, i) => {
      const entry = document.createElement('div');
      entry.className = 'entry';
      entry.setAttribute('part', 'entry');
      const line = document.createElement('pre');
      line.className = 'cmd';
      line.textContent = cmd.text;
      entry.append(line);
      if (cmd.comment) entry.classList.add('comment');
      else if (i >= this._next) {
        entry.classList.add('pending');
        entry.title = this._t('pending');
      } else {
        const r = this._results[i];
        const out = document.createElement('pre');
        out.className = 'out';
        out.setAttribute('part', 'output');
        const text = (r.output ?? `${r.stdout}${r.stderr}`).replace(/\n$/, '');
        out.textContent = text;
        entry.append(out);
        if (r.exitCode) {
          entry.classList.add('failed');
          entry.dataset.exitCode = String(r.exitCode);
          out.title = `${this._t('exit')} ${r.exitCode}`;
        }
      }
      frag.append(entry);
    });
    el.transcript.replaceChildren(frag);
    this._renderMap();
  }

  _renderMap() {
    const el = this._el.map;
    if (!this.hasAttribute('map') || !this._cluster) {
      el.hidden = true;
      el.replaceChildren();
      return;
    }
    el.hidden = false;
    // Bands, usage and readiness are the core's answer (allocatorState, rangeView);
    // this only turns cell indexes into percentages of the track.
    let cidrs = [];
    let allocators = [];
    try {
      cidrs = this._cluster.list('servicecidrs');
      allocators = this._cluster.allocatorState();
    } catch {
      return;
    }
    // A title, not a heading: the element cannot know the heading levels of the page around it.
    const title = document.createElement('div');
    title.className = 'title';
    title.textContent = this._t('map');
    el.setAttribute('aria-label', this._t('map'));
    const rows = [title];
    for (const sc of cidrs) {
      const terminating = Boolean(sc.metadata.deletionTimestamp);
      const ready = (sc.status?.conditions ?? []).find((c) => c.type === 'Ready');
      for (const cidr of sc.spec?.cidrs ?? []) {
        const row = document.createElement('div');
        row.className = 'row' + (terminating ? ' terminating' : '');
        row.setAttribute('part', 'map-row');
        row.dataset.name = sc.metadata.name;
        row.dataset.cidr = cidr;
        const label = document.createElement('span');
        label.className = 'label';
        label.textContent = `${sc.metadata.name} ${cidr}`;
        const track = document.createElement('div');
        track.className = 'track';
        const count = document.createElement('span');
        count.className = 'count';
        const alloc = allocators.find((a) => a.cidr === cidr && a.serviceCIDRs.includes(sc.metadata.name));
        let view = null;
        try {
          view = alloc ? this._cluster.rangeView(sc.metadata.name, cidr) : null;
        } catch {
          view = null;
        }
        if (!view) {
          // No allocator serves this CIDR (another family than the cluster's, or an IPv6
          // prefix shorter than /64): nothing is ever allocated from it.
          row.classList.add('noalloc');
          count.textContent = this._t('noAllocator');
          row.append(label, track, count);
          rows.push(row);
          continue;
        }
        const n = view.cells.length;
        const pct = (i) => `${(i * 100) / n}%`;
        const staticCells = view.cells.flatMap((c, i) => (c.roles.includes('static') ? [i] : []));
        if (staticCells.length) {
          const band = document.createElement('div');
          band.className = 'static';
          band.style.left = pct(staticCells[0]);
          band.style.width = pct(staticCells.length);
          band.title = this._t('staticBand');
          track.append(band);
        }
        view.cells.forEach((c, i) => {
          if (!c.taken) return;
          const tick = document.createElement('div');
          tick.className = 'ip';
          tick.style.left = pct(i);
          tick.style.width = pct(1);
          track.append(tick);
        });
        const state = terminating ? this._t('terminating')
          : (ready && ready.status !== 'True') || !alloc.ready ? this._t('notReady') : this._t('ready');
        count.textContent = `${alloc.used}/${alloc.size} ${this._t('used')} · ${state}`;
        row.append(label, track, count);
        rows.push(row);
      }
    }
    el.replaceChildren(...rows);
  }
}

if (!customElements.get('servicecidr-example')) {
  customElements.define('servicecidr-example', ServiceCIDRExample);
}
