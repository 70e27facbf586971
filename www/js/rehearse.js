// Rehearsing a range change on your own cluster's state (issue #15), the page side:
//  - the import dialog: a file picker, drag and drop, or a paste of
//    `kubectl get services,servicecidrs,ipaddresses -A -o json` (or yaml), with the cluster's
//    --service-cluster-ip-range and release; the text goes to Cluster.fromObjects and nowhere else;
//  - the import report (cluster.importReport);
//  - the plan view: cluster.planRangeChange for a range the user types, each step run by
//    cluster.runPlanStep through the page's command log (so reloads replay it).
// Nothing here decides anything about Kubernetes: it draws what the core answers.

import { t } from './i18n.js';
import { fillReleaseSelect, selectRelease } from './compare.js';
import './rehearse-strings.js';

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

// ---------- import ----------

export class ImportDialog {
  /**
   * onImport({ text, name, range, version }) throws with the core's message when it cannot;
   * suggestRange(text) answers the export's own `kubernetes` ServiceCIDR's CIDRs (the flag it
   * mirrors), or null.
   */
  constructor({ onImport, defaults, suggestRange }) {
    this.onImport = onImport;
    this.defaults = defaults;
    this.suggestRange = suggestRange;
    this.dlg = $('import-dlg');
    this.text = $('import-text');
    this.fileName = null;
    fillReleaseSelect($('import-version'), undefined);
    $('btn-import').addEventListener('click', () => this.open());
    $('import-cancel').addEventListener('click', () => this.dlg.close());
    $('import-file').addEventListener('change', async (e) => {
      const f = e.target.files?.[0];
      if (f) await this.load(f);
    });
    // The whole dialog takes a drop, so a file does not have to hit a small target.
    const zone = $('import-form');
    zone.addEventListener('dragover', (e) => {
      e.preventDefault();
      zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', async (e) => {
      e.preventDefault();
      zone.classList.remove('dragging');
      const f = e.dataTransfer?.files?.[0];
      if (f) await this.load(f);
      else if (e.dataTransfer?.getData('text/plain')) this.setText(e.dataTransfer.getData('text/plain'), null);
    });
    this.text.addEventListener('input', () => {
      this.fileName = null;
      $('import-file-name').textContent = '';
    });
    this.text.addEventListener('change', () => this.suggest());
    $('import-range').addEventListener('input', () => (this.rangeTouched = true));
    $('import-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
  }

  open() {
    const d = this.defaults();
    $('import-range').value = d.range;
    selectRelease($('import-version'), d.version);
    $('import-error').hidden = true;
    this.rangeTouched = false;
    this.dlg.showModal();
    $('import-file').focus();
  }

  async load(file) {
    // File.text() reads locally; no request is made.
    this.setText(await file.text(), file.name);
  }

  setText(text, name) {
    this.text.value = text;
    this.fileName = name;
    $('import-file-name').textContent = name ?? '';
    $('import-error').hidden = true; // a new text, a new try
    this.suggest();
  }

  /** Fills the range from the export unless the user typed one. */
  suggest() {
    if (this.rangeTouched) return;
    const r = this.suggestRange(this.text.value);
    if (r) $('import-range').value = r;
  }

  submit() {
    const text = this.text.value;
    const err = $('import-error');
    if (!text.trim()) {
      err.textContent = t('importEmpty');
      err.hidden = false;
      return;
    }
    let done;
    try {
      // Throws at once when the core refuses the export; otherwise the new cluster boots.
      done = this.onImport({ text, name: this.fileName, range: $('import-range').value.trim(), version: $('import-version').value });
    } catch (e) {
      err.textContent = t('importFailed', { msg: e.message });
      err.hidden = false;
      return;
    }
    this.dlg.close();
    return done;
  }
}

/** The import report panel: what Cluster.fromObjects took and skipped (hidden without an import). */
export function renderImportReport(root, report, name) {
  root.textContent = '';
  root.hidden = !report;
  if (!report) return;
  const h = el('h2', t('importedTitle'));
  h.id = 'import-report-h';
  root.append(h);
  const p = el('p', t('importedFrom', {
    name: name ?? t('pasted'),
    services: report.services,
    cidrs: report.serviceCIDRs,
    ips: report.ipAddresses,
    other: report.other,
    rv: report.resourceVersion,
  }));
  p.id = 'import-counts';
  root.append(p);
  if (report.skipped.length) {
    root.append(el('p', t('importedSkipped', { n: report.skipped.length })));
    const ul = el('ul', undefined, 'skipped');
    for (const s of report.skipped) {
      const what = `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
      const li = el('li');
      li.append(el('code', what), ` — ${s.reason}`);
      ul.append(li);
    }
    root.append(ul);
  } else root.append(el('p', t('importedNone'), 'hint'));
  root.append(el('p', t('importedKept'), 'hint'));
}

// ---------- plan ----------

const CHANGE_LIMIT = 12;

export class PlanView {
  /**
   * cluster(): the live Cluster; runStep(step): runs it through the command log, resolves to
   * the changes or null; busy(fn): runs fn with the page marked busy.
   */
  constructor({ cluster, runStep, busy }) {
    this.cluster = cluster;
    this.runStep = runStep;
    this.busy = busy;
    this.root = $('plan-result');
    this.plan = null;
    this.results = [];
    this.stale = false;
    $('plan-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.make();
    });
  }

  make() {
    const err = $('plan-error');
    err.hidden = true;
    try {
      this.plan = this.cluster().planRangeChange({ serviceClusterIPRange: $('plan-range').value.trim() });
    } catch (e) {
      this.plan = null;
      err.textContent = t('planFailed', { msg: e.message });
      err.hidden = false;
    }
    this.results = [];
    this.stale = false;
    this.render();
  }

  /** The cluster changed by something other than this plan's steps. */
  markStale() {
    if (this.plan && !this.running) {
      this.stale = true;
      this.render();
    }
  }

  /** A new cluster (reset, import, release): an old plan says nothing about it. */
  clear() {
    this.plan = null;
    this.results = [];
    this.stale = false;
    this.render();
  }

  async runNext() {
    const i = this.results.length;
    const step = this.plan?.steps[i];
    if (!step) return false;
    this.running = true;
    let changes;
    try {
      changes = await this.runStep(step);
    } finally {
      this.running = false;
    }
    if (changes === null) return false;
    this.results.push(changes);
    return true;
  }

  render() {
    const root = this.root;
    root.textContent = '';
    const plan = this.plan;
    root.hidden = !plan;
    if (!plan) return;
    const dl = el('dl', undefined, 'plan-facts');
    dl.append(el('dt', t('planCategory')));
    const cat = el('dd', t(`cat_${plan.category}`));
    cat.dataset.category = plan.category;
    cat.id = 'plan-category';
    dl.append(cat);
    dl.append(el('dt', '--service-cluster-ip-range'), el('dd', t('planFromTo', { from: plan.currentServiceClusterIPRange, to: plan.serviceClusterIPRange }), 'mono'));
    root.append(dl);
    if (this.stale) root.append(el('p', t('planStale'), 'notice warn inline'));
    if (plan.recreate.length) {
      const det = el('details');
      det.id = 'plan-recreate';
      det.append(el('summary', t('planRecreate', { n: plan.recreate.length })));
      const ul = el('ul', undefined, 'plan-list');
      for (const r of plan.recreate) {
        const li = el('li');
        li.append(el('code', `${r.namespace}/${r.name}`), ` ${r.clusterIPs.join(', ')} — ${r.reason}`);
        ul.append(li);
      }
      det.append(ul);
      root.append(det);
    }
    if (plan.blocked.length) {
      root.append(el('h3', t('planBlocked')));
      const ul = el('ul', undefined, 'plan-list');
      ul.id = 'plan-blocked';
      for (const b of plan.blocked) ul.append(el('li', t('planBlockedItem', { name: b.name, n: b.blockingIps })));
      root.append(ul);
    }
    if (plan.unnecessary.length) {
      root.append(el('h3', t('planUnnecessary')));
      root.append(el('p', plan.unnecessary.join(', '), 'mono'));
    }
    root.append(el('h3', t('planSteps')));
    const ol = el('ol', undefined, 'plan-steps');
    ol.id = 'plan-steps';
    plan.steps.forEach((s, i) => {
      const li = el('li');
      li.dataset.action = s.action;
      const done = i < this.results.length;
      li.dataset.state = done ? 'done' : i === this.results.length ? 'next' : 'later';
      li.append(el('p', s.description, 'desc'));
      const pre = el('pre', s.command, 'code');
      // Long commands scroll; a scrolling region must be reachable by keyboard.
      pre.tabIndex = 0;
      li.append(pre);
      if (done) {
        const ch = this.results[i];
        li.append(el('p', t('planStepDone', { n: ch.length }), 'done'));
        if (ch.length) {
          const ul = el('ul', undefined, 'changes');
          for (const c of ch.slice(0, CHANGE_LIMIT)) {
            const o = c.object ?? {};
            const name = `${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? ''}`;
            ul.append(el('li', t('planChange', { type: c.type, kind: o.kind ?? '', name }), `ch-${String(c.type).toLowerCase()}`));
          }
          if (ch.length > CHANGE_LIMIT) ul.append(el('li', t('moreCandidates', { n: ch.length - CHANGE_LIMIT })));
          li.append(ul);
        }
      } else if (i === this.results.length) {
        const b = el('button', t('planRunStep'), 'primary plan-run');
        b.type = 'button';
        b.addEventListener('click', () =>
          this.busy(async () => {
            b.disabled = true;
            await this.runNext();
            this.render();
            this.root.querySelector('.plan-run, .plan-run-all')?.focus();
          }),
        );
        li.append(b);
      }
      ol.append(li);
    });
    root.append(ol);
    if (this.results.length < plan.steps.length) {
      const all = el('button', t('planRunAll'), 'plan-run-all');
      all.type = 'button';
      all.addEventListener('click', () =>
        this.busy(async () => {
          all.disabled = true;
          while (await this.runNext());
          this.render();
        }),
      );
      root.append(all);
    }
  }
}
