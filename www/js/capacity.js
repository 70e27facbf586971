// The capacity table (cluster.capacity(): per ServiceCIDR and CIDR) and the kube-apiserver
// instances (cluster.apiservers()). Both only draw the core's answers; counts are decimal
// strings because an IPv6 range can exceed a JS number, so they are shown as given.

import { t } from './i18n.js';
import './rehearse-strings.js';

function cell(tag, text, cls) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (cls) el.className = cls;
  return el;
}

function chip(text, cls) {
  return cell('span', text, `chip ${cls}`);
}

/** The row's name, as its header cell. */
function rowHeader(text) {
  const th = cell('th', text);
  th.scope = 'row';
  return th;
}

export class CapacityPane {
  /** capBody, apiBody: <tbody> elements of the two tables. */
  constructor(capBody, apiBody) {
    this.capBody = capBody;
    this.apiBody = apiBody;
    this.last = { cap: [], apis: [] };
  }

  update(cap, apis) {
    this.last = { cap: cap ?? [], apis: apis ?? [] };
    this.render();
  }

  render() {
    const { cap, apis } = this.last;
    this.capBody.textContent = '';
    if (!cap.length) {
      const tr = document.createElement('tr');
      const td = cell('td', t('capNone'));
      td.colSpan = 8;
      tr.append(td);
      this.capBody.append(tr);
    }
    for (const c of cap) {
      const tr = document.createElement('tr');
      tr.dataset.name = c.name;
      tr.dataset.cidr = c.cidr;
      const name = rowHeader(c.name);
      const free = BigInt(c.staticFree) + BigInt(c.dynamicFree);
      const state = document.createElement('td');
      if (c.terminating) state.append(chip(t('capTerminating'), 'warn'));
      else state.append(chip(t(c.ready ? 'capReady' : 'capNotReady'), c.ready ? 'ok' : 'warn'));
      if (!c.allocator) state.append(' ', chip(t('capNoAllocator'), 'muted'));
      tr.append(
        name,
        cell('td', c.cidr, 'mono'),
        cell('td', c.size, 'num'),
        cell('td', `${c.staticUsed} / ${c.staticSize}`, 'num static'),
        cell('td', `${c.dynamicUsed} / ${c.dynamicSize}`, 'num dynamic'),
        cell('td', free.toString(), 'num free'),
        state,
        cell('td', c.overlaps.join(', ') || '—', 'overlaps'),
      );
      this.capBody.append(tr);
    }
    this.apiBody.textContent = '';
    for (const a of apis) {
      const tr = document.createElement('tr');
      tr.dataset.name = a.name;
      tr.dataset.state = a.state;
      const name = rowHeader(a.name);
      const st = document.createElement('td');
      st.append(chip(a.state, a.state === 'Running' ? 'ok' : a.state === 'Failed' ? 'err' : 'muted'));
      tr.append(name, cell('td', `v${a.version} --service-cluster-ip-range=${a.serviceClusterIPRange}`, 'mono'), st, cell('td', a.message ?? '', 'msg'));
      this.apiBody.append(tr);
    }
  }
}
