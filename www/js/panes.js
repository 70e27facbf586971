// Object panes (ServiceCIDRs, Services, IPAddresses) and the event log. All object
// data is user-controlled, so it only ever reaches the page as textContent.

import { lang, t } from './i18n.js';
import { ownerOf, parentRefText, serviceHue } from './rangemap.js';

const MANAGED_BY = 'ipaddress.kubernetes.io/managed-by';
const ALLOCATOR = 'ipallocator.k8s.io';
/** Longer lists of blocking IPs are folded into a <details>. */
const FOLD_AFTER = 8;
/**
 * Rows drawn per object table. Drawing every row of 10 000 Services takes seconds per update
 * (style and layout of the table), so the pane draws the first ones in name order and says
 * how many it left out; kubectl lists them all.
 */
export const MAX_ROWS = 200;

/** The row that says how many rows were not drawn. */
function moreRow(n, cols) {
  const tr = el('tr', 'more');
  const td = el('td', 'empty', t('moreRows', { n, shown: MAX_ROWS }));
  td.colSpan = cols;
  tr.append(td);
  return tr;
}

/** An element showing the UI string `key`, rewritten by applyI18n on a language switch. */
function i18nEl(tag, cls, key) {
  const e = el(tag, cls, t(key));
  e.dataset.i18n = key;
  return e;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class Panes {
  /**
   * actions: { deleteObj(kind, name, ns), prefillCIDR(cidrs), blockingIPs(name) }.
   * blockingIPs asks the core (cluster.blockingIPsReport: the service-cidr-controller's
   * own canDelete answer, with the true total and a covering CIDR), so the badge can
   * never disagree with what the controller does.
   */
  constructor(actions) {
    this.actions = actions;
    this.sc = document.getElementById('pane-sc');
    this.svc = document.querySelector('#pane-svc tbody');
    this.ip = document.querySelector('#pane-ip tbody');
  }

  render(model, pending) {
    this.renderCIDRs(model, pending);
    this.renderServices(model);
    this.renderIPs(model);
    document.getElementById('sc-count').textContent = `(${model.cidrs.length})`;
    document.getElementById('svc-count').textContent = `(${model.services.size})`;
    document.getElementById('ip-count').textContent = `(${model.ips.size})`;
  }

  deleteButton(kind, name, ns, compact = false) {
    const what = t('deleteWhat', { what: `${kind} ${ns ? `${ns}/` : ''}${name}` });
    const b = el('button', 'small danger del', compact ? '✕' : t('delete'));
    b.type = 'button';
    b.setAttribute('aria-label', what);
    b.title = what;
    b.addEventListener('click', () => this.actions.deleteObj(kind, name, ns));
    return b;
  }

  renderCIDRs(model, pending) {
    this.sc.textContent = '';
    if (!model.cidrs.length) this.sc.append(el('p', 'empty', t('none')));
    for (const sc of model.cidrs) {
      const card = el('article', 'card');
      card.dataset.name = sc.metadata.name;
      const head = el('header');
      head.append(el('h3', 'sc-name', sc.metadata.name));
      const chips = el('span', 'chips');
      for (const c of sc.spec?.cidrs ?? []) chips.append(el('code', 'chip cidr', c));
      head.append(chips);
      head.append(this.deleteButton('servicecidr', sc.metadata.name));
      card.append(head);

      const dl = el('dl');
      const row = (k, v) => {
        dl.append(el('dt', null, k));
        const dd = el('dd');
        if (typeof v === 'string') dd.textContent = v;
        else dd.append(v);
        dl.append(dd);
      };
      const ready = (sc.status?.conditions ?? []).find((c) => c.type === 'Ready');
      if (ready) {
        const v = el('span', `cond ${ready.status === 'True' ? 'ok' : 'bad'}`);
        v.textContent = `${ready.status}${ready.reason ? ` (${ready.reason})` : ''}`;
        v.title = ready.message ?? '';
        const wrap = el('span');
        wrap.append(v);
        if (ready.message) wrap.append(el('span', 'msg', ` — ${ready.message}`));
        row(t('readyCond'), wrap);
      } else row(t('readyCond'), t('noCondition'));
      const fins = sc.metadata.finalizers ?? [];
      row(t('finalizers'), fins.length ? fins.join(', ') : t('none'));
      card.append(dl);

      if (sc.metadata.deletionTimestamp) card.append(this.terminating(sc, model, pending));
      this.sc.append(card);
    }
  }

  terminating(sc, model, pending) {
    const box = el('div', 'terminating');
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', t('terminatingAria', { name: sc.metadata.name }));
    const badge = el('span', 'badge term', t('terminating'));
    box.append(badge);
    box.append(el('span', 'since', ` ${t('since', { time: sc.metadata.deletionTimestamp })}`));
    let blocking = { total: 0, ips: [], covering: [] };
    try {
      blocking = this.actions.blockingIPs(sc.metadata.name) ?? blocking;
    } catch {
      // The ServiceCIDR went away between the watch and this call: nothing to list.
    }
    if (blocking.total > 0) {
      // The count and the suggestion are the core's, over every blocking IP; the list
      // is the first ones only, folded away when long.
      box.append(el('p', 'why', t('blockedBy', { n: blocking.total })));
      const ul = el('ul', 'blocking');
      for (const name of blocking.ips) {
        const li = el('li');
        li.append(el('code', 'ip', name));
        li.append(` → ${parentRefText(model.ips.get(name)?.spec?.parentRef)}`);
        ul.append(li);
      }
      if (blocking.ips.length > FOLD_AFTER || blocking.total > blocking.ips.length) {
        const details = el('details', 'blocking-list');
        const key = blocking.total > blocking.ips.length ? 'blockingFirst' : 'blockingAll';
        details.append(el('summary', null, t(key, { shown: blocking.ips.length, n: blocking.total })), ul);
        box.append(details);
      } else box.append(ul);
      const suggestion = blocking.covering;
      const cover = el('p', 'cover');
      cover.append(t('couldCover', { cidrs: suggestion.join(', ') }), ' ');
      const b = el('button', 'small link', t('addCovering'));
      b.type = 'button';
      b.addEventListener('click', () => this.actions.prefillCIDR(suggestion));
      cover.append(b);
      box.append(cover);
    } else {
      const due = (pending ?? []).find((w) => w.controller === 'service-cidr-controller' && w.key === sc.metadata.name);
      box.append(el('p', 'why', due ? t('notBlockedDue', { time: due.due }) : t('notBlocked')));
    }
    return box;
  }

  renderServices(model) {
    const rows = firstRows(model.services);
    patchRows(this.svc, rows, (key, s) => [s, lang()], (key, s) => this.serviceRow(key, s));
    if (model.services.size > MAX_ROWS) this.svc.append(moreRow(model.services.size - MAX_ROWS, 4));
    if (!model.services.size) this.svc.append(emptyRow(4));
  }

  serviceRow(key, s) {
    const tr = el('tr');
    tr.dataset.key = key;
    const spec = s.spec ?? {};
    const name = el('td', 'svcname');
    const sw = el('span', 'sw svc');
    sw.style.setProperty('--h', serviceHue(key));
    name.append(sw, el('span', 'nm', key), el('span', 'sub', spec.type ?? 'ClusterIP'));
    const ips = el('td', 'ips');
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) ips.append(el('code', null, ip));
    const pol = el('td', 'pol');
    pol.append(el('span', null, spec.ipFamilyPolicy ?? '—'), el('span', 'sub', (spec.ipFamilies ?? []).join(', ')));
    tr.append(name, ips, pol);
    const act = el('td');
    act.append(this.deleteButton('service', s.metadata.name, s.metadata.namespace, true));
    tr.append(act);
    return tr;
  }

  renderIPs(model) {
    const rows = firstRows(model.ips);
    // A row also shows whether its Service exists, so that is part of what it was drawn from.
    const stamp = (name, obj) => [obj, ownerOf(obj, model.services)?.service ?? null, lang()];
    patchRows(this.ip, rows, stamp, (name, obj) => this.ipRow(name, obj, model));
    if (model.ips.size > MAX_ROWS) this.ip.append(moreRow(model.ips.size - MAX_ROWS, 3));
    if (!model.ips.size) this.ip.append(emptyRow(3));
  }

  ipRow(name, obj, model) {
    const tr = el('tr');
    tr.dataset.name = name;
    const own = ownerOf(obj, model.services);
    const ref = el('td', 'ref');
    if (own) {
      const sw = el('span', 'sw svc');
      sw.style.setProperty('--h', serviceHue(own.svcKey));
      ref.append(sw);
    }
    ref.append(el('span', 'nm', parentRefText(obj.spec?.parentRef)));
    if (own && !own.service) ref.append(' ', el('span', 'badge warn', t('serviceMissing')));
    if ((obj.metadata.labels ?? {})[MANAGED_BY] !== ALLOCATOR) ref.append(' ', el('span', 'badge', t('unmanaged')));
    tr.append(el('td', null, name), ref);
    const act = el('td');
    act.append(this.deleteButton('ipaddress', name, undefined, true));
    tr.append(act);
    return tr;
  }
}

/**
 * The first MAX_ROWS entries of a map by key (string order), without sorting it all: one pass
 * keeping the smallest keys seen, so a pane over 10 000 objects costs a pass, not a sort.
 */
export function firstRows(map) {
  const rows = [];
  for (const entry of map) {
    const key = entry[0];
    if (rows.length === MAX_ROWS && key >= rows[MAX_ROWS - 1][0]) continue;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid][0] < key) lo = mid + 1;
      else hi = mid;
    }
    rows.splice(lo, 0, entry);
    if (rows.length > MAX_ROWS) rows.pop();
  }
  return rows;
}

function emptyRow(cols) {
  const tr = el('tr');
  const td = el('td', 'empty', t('none'));
  td.colSpan = cols;
  tr.append(td);
  return tr;
}

/**
 * Draws `rows` ([key, object] in name order) into `body`, keeping every row element whose
 * stamp (what it was drawn from, compared item by item) is unchanged, so an update while a
 * script creates thousands of objects lays out only the rows that changed. Rows keep their
 * relative order (the keys are unique and sorted), so one pass inserts the new ones.
 */
function patchRows(body, rows, stampOf, build) {
  const want = new Map(rows.map(([key, v]) => [key, stampOf(key, v)]));
  const same = (a, b) => a && b && a.length === b.length && a.every((x, i) => x === b[i]);
  for (const tr of [...body.children]) {
    if (tr.rowKey === undefined || !same(tr.rowStamp, want.get(tr.rowKey))) tr.remove();
  }
  let cur = body.firstElementChild;
  for (const [key, v] of rows) {
    if (cur && cur.rowKey === key) {
      cur = cur.nextElementSibling;
      continue;
    }
    const tr = build(key, v);
    tr.rowKey = key;
    tr.rowStamp = want.get(key);
    body.insertBefore(tr, cur);
  }
}

/** The live log: Kubernetes Events and the simulator's explanations (trace). */
export class EventLog {
  static PER_ADD = 100;

  constructor(root) {
    this.root = root;
    this.limit = 600;
    this.showEvents = true;
    this.showTrace = true;
  }

  clear() {
    this.root.textContent = '';
  }

  /** The "passed over" lines in the current language (the rest follows data-i18n). */
  relabel() {
    for (const note of this.root.querySelectorAll('[data-skipped]')) note.textContent = t('recordsSkipped', { n: Number(note.dataset.skipped) });
  }

  setFilter(events, trace) {
    this.showEvents = events;
    this.showTrace = trace;
    this.root.classList.toggle('hide-events', !events);
    this.root.classList.toggle('hide-trace', !trace);
  }

  /**
   * `skipped`: trace records the caller passed over before these. A loop of 10 000 creates
   * brings tens of thousands of records, a few hundred per update; drawing them all would
   * freeze the page, and nobody reads them at that pace, so the caller asks the core for the
   * newest PER_ADD only, and a line says how many were passed over (trace() keeps them).
   * Kubernetes Events are never passed over.
   */
  add(items, skipped = 0) {
    if (skipped > 0) {
      const at = items.find((it) => it.kind === 'trace')?.at ?? '';
      items = [{ kind: 'skipped', time: at, n: skipped }, ...items];
    }
    for (const it of items) {
      const li = el('li', it.kind);
      if (it.kind === 'event') {
        li.classList.add(it.obj.type === 'Warning' ? 'warning' : 'normal');
        li.append(el('time', null, shortTime(it.obj.eventTime ?? it.obj.metadata?.creationTimestamp)));
        li.append(el('span', 'tag', it.obj.type ?? 'Normal'));
        li.append(el('span', 'reason', it.obj.reason ?? ''));
        const who = it.obj.reportingController ?? '';
        li.append(el('span', 'src', who));
        const reg = it.obj.regarding ?? {};
        li.append(el('span', 'obj', `${reg.kind ?? ''}${reg.namespace ? ` ${reg.namespace}/` : ' '}${reg.name ?? ''}`));
        li.append(el('span', 'note', it.obj.note ?? ''));
      } else if (it.kind === 'trace') {
        li.append(el('time', null, shortTime(it.obj.time)));
        // data-i18n: a language switch (applyI18n) rewrites the page's own words here too.
        li.append(i18nEl('span', 'tag', 'why'));
        li.append(el('span', 'src', it.obj.source ?? ''));
        li.append(el('span', 'note', it.obj.message ?? ''));
        if (it.obj.details && typeof it.obj.details === 'object' && Object.keys(it.obj.details).length) {
          const d = el('details');
          d.append(i18nEl('summary', null, 'details'));
          // Written when first opened: most entries never are, and a long script adds many.
          const details = it.obj.details;
          d.addEventListener('toggle', () => {
            if (d.open && !d.querySelector('pre')) d.append(el('pre', null, JSON.stringify(details, null, 1)));
          });
          li.append(d);
        }
      } else {
        // The line saying how many records were passed over.
        li.append(el('time', null, shortTime(it.time)));
        const note = el('span', 'note', t('recordsSkipped', { n: it.n }));
        note.dataset.skipped = String(it.n);
        li.append(note);
      }
      this.root.append(li);
    }
    while (this.root.childElementCount > this.limit) this.root.firstElementChild.remove();
    // Scrolled when the frame is drawn: reading scrollHeight here would force a layout of
    // the whole page in the middle of an update.
    if (!this.scrollQueued) {
      this.scrollQueued = true;
      requestAnimationFrame(() => {
        this.scrollQueued = false;
        this.root.scrollTop = this.root.scrollHeight;
      });
    }
  }
}

function shortTime(s) {
  if (!s) return '';
  const m = /T(\d\d:\d\d:\d\d)/.exec(s);
  return m ? m[1] : String(s);
}

/** How many decisions the policy pane lists (newest first); older ones stay in the trace. */
const DECISIONS_SHOWN = 50;

/**
 * The admission policies pane: the stored ValidatingAdmissionPolicies with their bindings,
 * and every request that failed a validation, drawn from the core's own records (trace()
 * records' `admission`: PolicyDecisionRecord) — which policy and binding, the validation's
 * message, what the binding's validationActions did, who asked for what. The panel stays
 * hidden until the cluster has a policy or a decision.
 */
export class PolicyPane {
  constructor(root) {
    this.root = root;
    this.panel = root.closest('section');
  }

  render({ policies, bindings, decisions }) {
    const failed = decisions.filter((d) => d.evaluation !== 'admit');
    this.panel.hidden = !policies.length && !bindings.length && !failed.length;
    document.getElementById('vap-count').textContent = `(${policies.length})`;
    this.root.textContent = '';
    this.root.append(this.policies(policies, bindings), this.decisions(failed));
  }

  policies(policies, bindings) {
    const ul = el('ul', 'vap-list');
    if (!policies.length) ul.append(el('li', 'empty', t('vapNone')));
    for (const p of policies) {
      const name = p.metadata?.name ?? '';
      const li = el('li');
      li.dataset.policy = name;
      li.append(el('code', 'vap-name', name));
      const bound = bindings.filter((b) => b.spec?.policyName === name);
      if (!bound.length) li.append(' ', el('span', 'sub', t('vapUnbound')));
      for (const b of bound) {
        li.append(' ', el('span', 'sub', t('vapBoundBy')), ' ', el('code', null, b.metadata?.name ?? ''));
        li.append(' ', el('span', 'sub', `[${(b.spec?.validationActions ?? []).join(', ')}]`));
      }
      ul.append(li);
    }
    return ul;
  }

  decisions(failed) {
    const box = el('div', 'vap-decisions');
    const h = el('h3', null, t('vapDecisionsH'));
    h.id = 'vap-decisions-h';
    box.append(h);
    if (!failed.length) {
      box.append(el('p', 'empty', t('vapNoDecisions')));
      return box;
    }
    const ol = el('ol', 'vap-items');
    // It scrolls, so a keyboard must be able to reach it.
    ol.tabIndex = 0;
    ol.setAttribute('aria-labelledby', 'vap-decisions-h');
    for (const d of failed.slice(-DECISIONS_SHOWN).reverse()) ol.append(this.decision(d));
    box.append(ol);
    return box;
  }

  decision(d) {
    const li = el('li', `vap-item ${d.refused ? 'refused' : 'admitted'}`);
    li.dataset.policy = d.policy;
    li.dataset.binding = d.binding ?? '';
    li.dataset.name = d.name;
    const head = el('div', 'vap-head');
    head.append(el('time', null, shortTime(d.time)));
    if (d.action === 'Deny') {
      // A failed validation does what the binding's validationActions say (a policy's own
      // error has no binding and refuses the request).
      const actions = d.binding === null || d.binding === undefined ? ['Deny'] : d.validationActions;
      for (const a of actions) head.append(el('span', `badge act-${a.toLowerCase()}`, t(`vapAct${a}`)));
    } else head.append(el('span', 'badge', t('vapIgnored')));
    head.append(el('span', `outcome ${d.refused ? 'bad' : 'ok'}`, t(d.refused ? 'vapRefused' : 'vapAdmitted')));
    li.append(head);
    const dl = el('dl');
    const row = (k, ...v) => {
      dl.append(el('dt', null, k));
      const dd = el('dd');
      dd.append(...v);
      dl.append(dd);
    };
    row(t('vapPolicy'), el('code', null, d.policy));
    row(t('vapBinding'), d.binding ? el('code', null, d.binding) : t('vapNoBinding'));
    if (d.param) row(t('vapParam'), el('code', null, d.param));
    row(t('vapMessage'), el('span', 'vap-msg', d.message));
    row(t('vapUser'), el('code', null, d.user));
    const [resource, sub] = d.resource.split('/');
    const target = `${resource}${d.group ? `.${d.group}` : ''}${sub ? `/${sub}` : ''} ${d.namespace ? `${d.namespace}/` : ''}${d.name}`;
    row(t('vapRequest'), el('code', null, `${d.operation} ${target}`));
    li.append(dl);
    return li;
  }
}
