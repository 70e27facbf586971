// The playground's second guided tour: "Kubernetes Default Service CIDR Reconfiguration", its
// seven illustrative steps on a cluster with a few dozen Services. The steps' scripts and texts
// are the docs element's (www/embed/reconfigure-tour.js), so the playground and docs pages agree.

import { DEFAULTS, reconfigureSteps } from '../embed/reconfigure-tour.js';
import { EN, JA } from './rehearse-strings.js';

const both = (key, params) => {
  const fill = (s) => s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return { en: fill(EN[key]), ja: fill(JA[key]) };
};

export const RECONF_SETTINGS = { range: DEFAULTS.range, seed: DEFAULTS.seed };

/** Steps in tour.js's shape: { id, title, text, ops, button? }. */
export const RECONF_TOUR = [
  {
    id: 'reconf-intro',
    title: both('reconfIntroTitle', {}),
    text: both('reconfIntro', { range: DEFAULTS.range }),
    ops: [{ reset: RECONF_SETTINGS }],
    button: both('reconfStart', { range: DEFAULTS.range }),
  },
  ...reconfigureSteps().map((s) => ({ id: `reconf-${s.id}`, title: s.title, text: s.text, ops: [{ run: s.script }] })),
  {
    id: 'reconf-done',
    title: both('reconfDoneTitle', {}),
    text: both('reconfDone', { range: DEFAULTS.newRange }),
    ops: [],
  },
];
