// Range maps: one per CIDR of every ServiceCIDR. Small ranges (≤ 4096 addresses)
// get one cell per address; bigger ones a 256-bucket heat map that zooms into a
// bucket until one cell is one address again. Every address fact (bands, readiness,
// which cell holds which IPAddress, overlaps) is the core's answer: allocatorState()
// for each CIDR, rangeView() for the cells. This file only draws them.

import { t } from './i18n.js';

const FLASH_MS = 1800;

/** A stable hue per Service, so one Service keeps its colour in every map. */
export function serviceHue(key) {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  // Golden-angle spread of the hash keeps neighbours apart.
  return Math.round(((h >>> 0) * 137.508) % 360);
}

/** parentRef as kubectl prints it: resource[.group][/namespace]/name. */
export function parentRefText(ref) {
  if (!ref) return '<none>';
  const res = (ref.resource ?? '').toLowerCase() + (ref.group ? `.${ref.group.toLowerCase()}` : '');
  return `${res}${ref.namespace ? `/${ref.namespace}` : ''}/${ref.name ?? ''}`;
}

/** Who owns an IPAddress: {svcKey, service|null} for Service refs, else null. */
export function ownerOf(ipObj, services) {
  const ref = ipObj?.spec?.parentRef;
  if (!ref || ref.group || ref.resource !== 'services') return null;
  const key = `${ref.namespace ?? ''}/${ref.name ?? ''}`;
  return { svcKey: key, service: services.get(key) ?? null };
}

/** Black or white, whichever reads better on hsl(hue, 62%, 52%) (the light theme's fill). */
export function inkFor(hue) {
  const s = 0.62;
  const l = 0.52;
  const f = (n) => {
    const k = (n + hue / 30) % 12;
    const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const lum = 0.2126 * f(0) + 0.7152 * f(8) + 0.0722 * f(4);
  // Contrast against black is (lum + 0.05) / 0.05, against white 1.05 / (lum + 0.05).
  return (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) ? '#000' : '#fff';
}

/** Grid columns for a view of n cells. */
function colsFor(n, buckets) {
  if (buckets) return 32;
  if (n <= 16) return 16;
  if (n <= 1024) return 32;
  return 64;
}

/** "2^20" style size text for big ranges, exact digits for small ones. */
function sizeText(hostBits) {
  return hostBits <= 16 ? String(2 ** hostBits) : `2^${hostBits}`;
}

/** The cell class of each role the core reports (the first one wins for one address). */
const ROLE_CLASS = { network: 'net', broadcast: 'bcast', static: 'st', dynamic: 'dy' };
const ROLE_TEXT = { network: 'roleNetwork', broadcast: 'roleBroadcast', static: 'roleStatic', dynamic: 'roleDynamic' };

export class RangeMaps {
  constructor(root, tooltip) {
    this.root = root;
    this.tooltip = tooltip;
    this.maps = new Map(); // key -> state
    this.flash = new Map(); // ip name -> expiry ms
    this.model = null;
  }

  /** Marks freshly allocated IPs; the next paint highlights them briefly. */
  flashIPs(names) {
    const until = performance.now() + FLASH_MS;
    for (const n of names) this.flash.set(n, until);
    if (names.length) {
      clearTimeout(this.flashTimer);
      this.flashTimer = setTimeout(() => this.model && this.paintAll(), FLASH_MS + 50);
    }
  }

  /**
   * model: { cidrs: ServiceCIDR[], ips: Map<name, IPAddress>, services: Map<ns/name, Service>,
   *          allocators: AllocatorInfo[] (cluster.allocatorState()),
   *          rangeView(serviceCIDR, cidr, start?, hostBits?): RangeView }
   */
  update(model) {
    this.model = model;
    const entries = [];
    for (const sc of model.cidrs) {
      for (const c of sc.spec?.cidrs ?? []) {
        // A CIDR no allocator serves (an IPv6 CIDR on an IPv4-only cluster, an IPv6
        // prefix shorter than /64) has no entry: it is drawn without cells.
        const alloc = (model.allocators ?? []).find((a) => a.cidr === c && a.serviceCIDRs.includes(sc.metadata.name)) ?? null;
        entries.push({ key: `${sc.metadata.name}|${c}`, sc, cidr: c, alloc });
      }
    }
    this.entries = entries;
    const keep = new Set(entries.map((e) => e.key));
    for (const [key, st] of this.maps) {
      if (!keep.has(key)) {
        st.el.remove();
        this.maps.delete(key);
      }
    }
    let prev = null;
    for (const e of entries) {
      let st = this.maps.get(e.key);
      if (!st) {
        st = this.createMap(e);
        this.maps.set(e.key, st);
      }
      st.entry = e;
      st.view = null; // asked again below: the cluster changed
      // Keep DOM order equal to list order.
      const want = prev ? prev.nextSibling : this.root.firstChild;
      if (st.el !== want) this.root.insertBefore(st.el, want);
      prev = st.el;
    }
    if (!entries.length) {
      if (!this.empty) {
        this.empty = document.createElement('p');
        this.empty.className = 'empty';
      }
      this.empty.textContent = t('noServiceCIDRs');
      this.root.append(this.empty);
    } else if (this.empty) this.empty.remove();
    this.paintAll();
  }

  paintAll() {
    const now = performance.now();
    for (const [k, until] of this.flash) if (until < now) this.flash.delete(k);
    for (const st of this.maps.values()) this.paint(st);
  }

  createMap(e) {
    const el = document.createElement('article');
    el.className = 'map';
    el.dataset.sc = e.sc.metadata.name;
    el.dataset.cidr = e.cidr;
    const head = document.createElement('header');
    const h = document.createElement('h3');
    const name = document.createElement('span');
    name.className = 'sc-name';
    const code = document.createElement('code');
    h.append(name, ' ', code);
    const chips = document.createElement('span');
    chips.className = 'chips';
    head.append(h, chips);
    const meta = document.createElement('p');
    meta.className = 'map-meta';
    const crumbs = document.createElement('nav');
    crumbs.className = 'crumbs';
    const grid = document.createElement('div');
    grid.className = 'grid';
    grid.setAttribute('role', 'grid');
    const info = document.createElement('p');
    info.className = 'cellinfo';
    info.setAttribute('aria-live', 'polite');
    el.append(head, meta, crumbs, grid, info);
    const st = { el, name, code, chips, meta, crumbs, grid, info, entry: e, views: [], view: null, built: null, active: 0, cells: [] };
    grid.addEventListener('keydown', (ev) => this.onKey(st, ev));
    grid.addEventListener('focusin', (ev) => {
      const i = st.cells.indexOf(ev.target);
      if (i >= 0) this.setActive(st, i, false);
    });
    grid.addEventListener('mouseover', (ev) => {
      const i = st.cells.indexOf(ev.target);
      if (i >= 0) this.describe(st, i, ev.target);
    });
    grid.addEventListener('mouseleave', () => this.hideTip());
    grid.addEventListener('focusout', () => this.hideTip());
    grid.addEventListener('click', (ev) => {
      const i = st.cells.indexOf(ev.target);
      if (i < 0) return;
      this.setActive(st, i, true);
      if (st.mode === 'buckets') this.zoomIn(st, i);
    });
    return st;
  }

  /** The core's cells for the current zoom level (a zoom that no longer fits falls back to the whole CIDR). */
  fetchView(st) {
    const { sc, cidr } = st.entry;
    const ask = (v) => this.model.rangeView(sc.metadata.name, cidr, v?.start, v?.hostBits);
    try {
      return ask(st.views[st.views.length - 1]);
    } catch {
      st.views = [];
      try {
        return ask(null);
      } catch {
        return null;
      }
    }
  }

  paint(st) {
    const e = st.entry;
    st.name.textContent = e.sc.metadata.name;
    st.code.textContent = e.cidr;
    st.el.dataset.sc = e.sc.metadata.name;
    this.paintChips(st);
    st.el.classList.toggle('noalloc', !e.alloc);
    if (e.alloc && !st.view) st.view = this.fetchView(st);
    if (!e.alloc || !st.view) {
      st.meta.textContent = e.alloc ? t('badCIDR') : t('noAllocator');
      st.grid.textContent = '';
      st.grid.hidden = true;
      st.crumbs.hidden = true;
      st.cells = [];
      st.built = null;
      return;
    }
    st.grid.hidden = false;
    const v = st.view;
    st.mode = v.cellHostBits === 0 ? 'cells' : 'buckets';
    const viewKey = `${v.prefix}|${st.mode}`;
    if (st.built !== viewKey) this.build(st, v);
    st.built = viewKey;
    st.meta.textContent = this.metaText(e.alloc);
    this.paintCrumbs(st);
    if (st.mode === 'cells') this.paintCells(st, v);
    else this.paintBuckets(st, v);
  }

  metaText(a) {
    const parts = [t('mapSize', { size: sizeText(a.hostBits) })];
    if (a.staticBand) parts.push(t('mapStatic', { from: a.staticBand[0], to: a.staticBand[1] }));
    if (a.staticBand && a.dynamicBand) parts.push(t('mapDynamic', { from: a.dynamicBand[0], to: a.dynamicBand[1] }));
    else if (a.dynamicBand) parts.push(t('mapNoBands', { from: a.dynamicBand[0], to: a.dynamicBand[1] }));
    parts.push(t('mapUsed', { n: a.used }));
    if (!a.ready) parts.push(t('allocNotReady'));
    return parts.join(' · ');
  }

  paintChips(st) {
    const sc = st.entry.sc;
    st.chips.textContent = '';
    const ready = (sc.status?.conditions ?? []).find((c) => c.type === 'Ready');
    const chip = (cls, text) => {
      const s = document.createElement('span');
      s.className = `chip ${cls}`;
      s.textContent = text;
      st.chips.append(s);
    };
    if (sc.metadata.deletionTimestamp) chip('term', t('terminating'));
    if (ready) chip(ready.status === 'True' ? 'ok' : 'bad', `Ready=${ready.status}`);
    if (!st.entry.alloc) chip('bad', t('noAllocatorChip'));
  }

  paintCrumbs(st) {
    st.crumbs.textContent = '';
    if (st.entry.alloc.hostBits <= 12) {
      st.crumbs.hidden = true;
      return;
    }
    st.crumbs.hidden = false;
    const all = [{ prefix: st.entry.cidr }, ...st.views];
    all.forEach((v, i) => {
      if (i) st.crumbs.append(' › ');
      const label = i === all.length - 1 ? st.view.prefix : v.prefix;
      if (i === all.length - 1) {
        const s = document.createElement('span');
        s.textContent = label;
        s.setAttribute('aria-current', 'true');
        st.crumbs.append(s);
      } else {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'link';
        b.textContent = label;
        b.addEventListener('click', () => {
          st.views = st.views.slice(0, i);
          st.view = null;
          this.paint(st);
          this.focusActive(st);
        });
        st.crumbs.append(b);
      }
    });
    const hint = document.createElement('span');
    hint.className = 'hint';
    hint.textContent = st.mode === 'buckets' ? t('zoomHint') : t('zoomOutHint');
    st.crumbs.append(' ', hint);
  }

  build(st, v) {
    const n = v.cells.length;
    const buckets = st.mode === 'buckets';
    const cols = colsFor(n, buckets);
    st.grid.textContent = '';
    st.grid.style.setProperty('--cols', cols);
    st.grid.classList.toggle('big', !buckets && n <= 16);
    st.grid.classList.toggle('buckets', buckets);
    const label = `${st.entry.sc.metadata.name} ${st.entry.cidr}`;
    st.grid.setAttribute('aria-label', t(buckets ? 'heatLabel' : 'gridLabel', { what: label }));
    st.cells = [];
    const frag = document.createDocumentFragment();
    let row = null;
    for (let i = 0; i < n; i++) {
      if (i % cols === 0) {
        row = document.createElement('div');
        row.setAttribute('role', 'row');
        frag.append(row);
      }
      const c = document.createElement('div');
      c.setAttribute('role', 'gridcell');
      c.tabIndex = -1;
      c.dataset.ip = v.cells[i].ip;
      if (!buckets && n <= 16) c.textContent = lastPart(v.cells[i].ip);
      row.append(c);
      st.cells.push(c);
    }
    st.grid.append(frag);
    st.active = Math.min(st.active, n - 1);
    st.cells[st.active].tabIndex = 0;
  }

  paintCells(st, v) {
    const services = this.model.services;
    for (let i = 0; i < st.cells.length; i++) {
      const cell = v.cells[i];
      const c = st.cells[i];
      let cls = `cell ${ROLE_CLASS[cell.roles[0]] ?? 'dy'}`;
      if (cell.shared.length) cls += ' sh';
      const obj = cell.taken ? this.model.ips.get(cell.ip) : null;
      if (cell.taken) {
        cls += ' al';
        const own = ownerOf(obj, services);
        if (!own || !own.service) cls += ' or';
        const hue = own ? serviceHue(own.svcKey) : 0;
        c.style.setProperty('--h', hue);
        c.style.color = inkFor(hue);
        if (this.flash.has(cell.ip)) cls += ' fl';
      } else {
        c.style.removeProperty('--h');
        c.style.removeProperty('color');
      }
      if (c.className !== cls) c.className = cls;
    }
  }

  paintBuckets(st, v) {
    for (let j = 0; j < st.cells.length; j++) {
      const cell = v.cells[j];
      let cls = 'cell bk';
      if (cell.roles.includes('network')) cls += ' net';
      if (cell.roles.includes('broadcast')) cls += ' bcast';
      cls += cell.roles.includes('static') ? ' st' : ' dy';
      if (cell.shared.length) cls += ' sh';
      const n = cell.taken;
      if (n) cls += ` al heat${n >= 64 ? 4 : n >= 16 ? 3 : n >= 4 ? 2 : 1}`;
      if (cell.names.some((x) => this.flash.has(x))) cls += ' fl';
      if (st.cells[j].className !== cls) st.cells[j].className = cls;
    }
  }

  /** The text shown for a cell (tooltip, info line and aria-label). */
  cellText(st, i) {
    const v = st.view;
    const cell = v.cells[i];
    if (st.mode === 'buckets') {
      let s = t('bucketInfo', { cidr: cell.prefix, n: cell.taken, size: sizeText(v.cellHostBits) });
      if (cell.names.length) s += ` — ${cell.names.join(', ')}${cell.taken > cell.names.length ? ' …' : ''}`;
      return s;
    }
    const parts = [`${cell.ip} — ${t(ROLE_TEXT[cell.roles[0]] ?? 'roleDynamic')}`];
    const obj = cell.taken ? this.model.ips.get(cell.ip) : null;
    if (obj) {
      parts.push(t('ipInfo', { name: obj.metadata.name, ref: parentRefText(obj.spec?.parentRef) }));
      const own = ownerOf(obj, this.model.services);
      if (own?.service) {
        const s = own.service.spec ?? {};
        parts.push(t('svcInfo', { svc: own.svcKey, type: s.type ?? 'ClusterIP', ips: (s.clusterIPs ?? []).join(', ') }));
      } else if (own) parts.push(t('svcMissing', { svc: own.svcKey }));
      else parts.push(t('notAService'));
    } else parts.push(t('free'));
    if (cell.shared.length) parts.push(t('alsoIn', { list: cell.shared.join(', ') }));
    return parts.join(' · ');
  }

  describe(st, i, cell) {
    const text = this.cellText(st, i);
    st.info.textContent = text;
    this.showTip(cell, text);
    return text;
  }

  setActive(st, i, focus) {
    if (!st.cells.length) return;
    i = Math.max(0, Math.min(st.cells.length - 1, i));
    const old = st.cells[st.active];
    if (old) old.tabIndex = -1;
    st.active = i;
    const c = st.cells[i];
    c.tabIndex = 0;
    const text = this.describe(st, i, c);
    c.setAttribute('aria-label', text);
    if (focus && document.activeElement !== c) c.focus();
  }

  focusActive(st) {
    st.cells[st.active]?.focus();
  }

  onKey(st, ev) {
    const cols = Number(st.grid.style.getPropertyValue('--cols')) || 32;
    const i = st.active;
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -cols, ArrowDown: cols };
    if (ev.key in moves) {
      ev.preventDefault();
      this.setActive(st, i + moves[ev.key], true);
    } else if (ev.key === 'Home') {
      ev.preventDefault();
      this.setActive(st, ev.ctrlKey ? 0 : i - (i % cols), true);
    } else if (ev.key === 'End') {
      ev.preventDefault();
      this.setActive(st, ev.ctrlKey ? st.cells.length - 1 : i - (i % cols) + cols - 1, true);
    } else if ((ev.key === 'Enter' || ev.key === ' ') && st.mode === 'buckets') {
      ev.preventDefault();
      this.zoomIn(st, i);
    } else if ((ev.key === 'Escape' || ev.key === 'Backspace') && st.views.length) {
      ev.preventDefault();
      st.views.pop();
      st.view = null;
      this.paint(st);
      this.setActive(st, 0, true);
    }
  }

  zoomIn(st, i) {
    const cell = st.view?.cells[i];
    if (!cell) return;
    st.views.push({ start: cell.start, hostBits: st.view.cellHostBits, prefix: cell.prefix });
    st.view = null;
    st.active = 0;
    this.paint(st);
    this.setActive(st, 0, true);
  }

  showTip(cell, text) {
    const tip = this.tooltip;
    tip.textContent = text;
    tip.hidden = false;
    const r = cell.getBoundingClientRect();
    const w = Math.min(360, window.innerWidth - 16);
    tip.style.maxWidth = `${w}px`;
    let x = r.left + r.width / 2 - tip.offsetWidth / 2;
    x = Math.max(8, Math.min(window.innerWidth - tip.offsetWidth - 8, x));
    let y = r.bottom + 6;
    if (y + tip.offsetHeight > window.innerHeight - 8) y = r.top - tip.offsetHeight - 6;
    tip.style.left = `${x + window.scrollX}px`;
    tip.style.top = `${y + window.scrollY}px`;
  }

  hideTip() {
    this.tooltip.hidden = true;
  }

  /** Re-labels everything after a language switch. */
  relabel() {
    for (const st of this.maps.values()) st.built = null;
    if (this.model) this.update(this.model);
  }
}

/** The last group of an address, as the label of a cell in a tiny range (".7", ":f"). */
function lastPart(ip) {
  return ip.includes(':') ? `:${ip.split(':').pop()}` : `.${ip.split('.').pop()}`;
}
