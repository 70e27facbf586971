// The seven illustrative steps of "Kubernetes Default Service CIDR Reconfiguration"
// (kubernetes.io/docs/tasks/network/reconfigure-default-service-ip-ranges/), as scripts for
// the simulator's shell, with our own explanations in English and Japanese. One source for
// the playground's tour (www/js/reconfigure.js) and the docs element below:
//
//   <script type="module" src="/embed/reconfigure-tour.js"></script>
//   <servicecidr-reconfigure-tour lang="ja" range="10.96.0.0/24" new-range="10.100.0.0/24"
//     services="15" heading="h2" map></servicecidr-reconfigure-tour>
//
// Attributes: lang (en|ja, follows changes), range and new-range (--service-cluster-ip-range
// before and after), services (per namespace, 1–100), seed, now, version (of the first
// example), heading (h2–h6, default h3), map (range maps under each step).
//
// The element writes one <servicecidr-example> per step into itself, each continuing the one
// before (`after`), so a reader can run any step and the ones above it replay first. The
// apiserver restarts use the shell's `kube-apiserver` pseudo-command, which marks its output
// "(simulated)": a page cannot restart a real process.

import './servicecidr-example.js';

export const DEFAULTS = { range: '10.96.0.0/24', newRange: '10.100.0.0/24', services: 15, seed: 11 };

/** The namespaces the Services of step 2 go to (the model knows default, kube-system, kube-public, kube-node-lease). */
const NAMESPACES = ['default', 'kube-public'];

/**
 * The steps for a cluster started with `range` that moves to `newRange`; `services` Services
 * per namespace of NAMESPACES (plus `kubernetes` and kube-dns, which every cluster has).
 * Each step: { id, title: {en, ja}, text: {en, ja}, script }.
 */
export function reconfigureSteps({ range = DEFAULTS.range, newRange = DEFAULTS.newRange, services = DEFAULTS.services } = {}) {
  const n = Math.max(1, Math.min(100, Math.trunc(Number(services)) || DEFAULTS.services));
  const cidrs = newRange.split(',').map((c) => `  - ${c.trim()}`).join('\n');
  // The Service is read, its IPs dropped, then deleted and created again: a new address from
  // a ServiceCIDR that still allocates. There are no files in this shell, so it sits in a variable.
  const recreate = `for ns in default kube-system kube-public; do
  for name in $(kubectl get services -n "$ns" -o jsonpath='{.items[*].metadata.name}'); do
    if [ "$name" != kubernetes ]; then
      svc=$(kubectl get service -n "$ns" "$name" -o json | jq 'del(.metadata.uid, .metadata.resourceVersion, .metadata.creationTimestamp, .spec.clusterIP, .spec.clusterIPs)')
      kubectl delete service -n "$ns" "$name" >/dev/null
      echo "$svc" | kubectl create -f - -o jsonpath='{.metadata.namespace}/{.metadata.name} {.spec.clusterIP}{"\\n"}'
    fi
  done
done`;
  return [
    {
      id: 'start',
      title: { en: '1. Start kube-apiserver with the initial range', ja: '1. 最初の範囲で kube-apiserver を起動する' },
      text: {
        en: `The cluster runs kube-apiserver with --service-cluster-ip-range=${range}. The first apiserver that starts creates the ServiceCIDR named "kubernetes" from that flag. The restart below is simulated: its output says so.`,
        ja: `クラスターは --service-cluster-ip-range=${range} を指定した kube-apiserver で動いています。最初に起動した API サーバーが、このフラグから「kubernetes」という名前の ServiceCIDR を作成します。以下の再起動はシミュレーションで、出力にもそう表示されます。`,
      },
      script: `kube-apiserver --service-cluster-ip-range=${range}\nkubectl get servicecidr kubernetes`,
    },
    {
      id: 'services',
      title: { en: '2. Create Services that take IPs from this range', ja: '2. この範囲から IP を得る Service を作成する' },
      text: {
        en: `${n * NAMESPACES.length} Services in ${NAMESPACES.join(' and ')} get ClusterIPs from ${range}, next to kubernetes and kube-dns.`,
        ja: `${NAMESPACES.join(' と ')} に ${n * NAMESPACES.length} 個の Service を作成します。kubernetes や kube-dns と同じく、${range} から ClusterIP が割り当てられます。`,
      },
      script: `for i in $(seq 1 ${n}); do\n  kubectl create service clusterip "web-$i" --tcp 80 -o name\n  kubectl create service clusterip "api-$i" -n kube-public --tcp 80 -o name\ndone`,
    },
    {
      id: 'target',
      title: { en: '3. Add a ServiceCIDR as the temporary target', ja: '3. 一時的な移行先として ServiceCIDR を追加する' },
      text: {
        en: `A new ServiceCIDR holds ${newRange}. Services can get addresses from it at once, without touching the apiserver's flags.`,
        ja: `新しい ServiceCIDR に ${newRange} を指定します。API サーバーのフラグを変えなくても、Service はすぐにここからアドレスを得られます。`,
      },
      script: `kubectl create -f - <<EOF\napiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: reconfigure-target\nspec:\n  cidrs:\n${cidrs}\nEOF\nkubectl get servicecidr`,
    },
    {
      id: 'delete-default',
      title: { en: '4. Mark the "kubernetes" ServiceCIDR for deletion', ja: '4. ServiceCIDR「kubernetes」に削除のマークを付ける' },
      text: {
        en: 'The deletion is accepted but the object stays: its finalizer waits while Services still hold addresses only it contains. From now on no new address comes from the old range.',
        ja: '削除は受け付けられますが、オブジェクトは残ります。このオブジェクトだけが含むアドレスを Service が使っている間、ファイナライザーが削除を待たせるためです。これ以降、古い範囲から新しいアドレスは割り当てられません。',
      },
      script: "kubectl delete servicecidr kubernetes --wait=false\nkubectl get servicecidr kubernetes -o jsonpath='{.status.conditions[0].reason}{\"\\n\"}'",
    },
    {
      id: 'recreate',
      title: { en: '5. Recreate the existing Services', ja: '5. 既存の Service を作り直す' },
      text: {
        en: `Every Service except kubernetes is deleted and created again without its ClusterIP, so it gets a new one from ${newRange}. In a real cluster this means downtime and new IPs for clients.`,
        ja: `kubernetes 以外のすべての Service を削除し、ClusterIP を外して作り直します。新しい ClusterIP は ${newRange} から割り当てられます。実際のクラスターではダウンタイムが発生し、クライアントから見た IP も変わります。`,
      },
      script: recreate,
    },
    {
      id: 'restart',
      title: { en: '6. Restart kube-apiserver with the new range', ja: '6. 新しい範囲で kube-apiserver を再起動する' },
      text: {
        en: `A second kube-apiserver starts with --service-cluster-ip-range=${newRange}, then the old instance is shut down. Both are simulated processes.`,
        ja: `--service-cluster-ip-range=${newRange} を指定した 2 つ目の kube-apiserver を起動し、古いインスタンスを停止します。どちらもシミュレーションされたプロセスです。`,
      },
      script: `kube-apiserver --service-cluster-ip-range=${newRange} --name=kube-apiserver-new\nkube-apiserver --stop=kube-apiserver`,
    },
    {
      id: 'kubernetes-svc',
      title: { en: '7. Delete the kubernetes.default Service', ja: '7. Service kubernetes.default を削除する' },
      text: {
        en: 'The new kube-apiserver recreates it with the first address of the new range. With the last old address gone, the old "kubernetes" ServiceCIDR is deleted, and the new apiserver creates "kubernetes" again from its own flag.',
        ja: '新しい kube-apiserver が、新しい範囲の最初のアドレスで Service を作り直します。古いアドレスがすべてなくなると古い ServiceCIDR「kubernetes」は削除され、新しい API サーバーが自分のフラグから「kubernetes」を再び作成します。',
      },
      script: 'kubectl delete service kubernetes\nsleep 10\nkubectl get service kubernetes\nsleep 10\nkubectl get servicecidr',
    },
  ];
}

const INTRO = {
  en: 'Each box below is a terminal on a simulated control plane in your browser. Running a step first replays the steps above it.',
  ja: '以下の各枠は、ブラウザー内でシミュレーションされたコントロールプレーンの端末です。ステップを実行すると、その前のステップが先に再生されます。',
};

let counter = 0;

/** <servicecidr-reconfigure-tour>: the seven steps as chained runnable examples. */
export class ServiceCIDRReconfigureTour extends HTMLElement {
  static get observedAttributes() { return ['lang']; }

  _lang() {
    const l = (this.getAttribute('lang') || this.closest('[lang]')?.getAttribute('lang') || 'en').toLowerCase();
    return l.startsWith('ja') ? 'ja' : 'en';
  }

  connectedCallback() {
    if (this._parts) return;
    const opts = {
      range: this.getAttribute('range') || DEFAULTS.range,
      newRange: this.getAttribute('new-range') || DEFAULTS.newRange,
      services: this.getAttribute('services') || DEFAULTS.services,
    };
    const prefix = this.id || `servicecidr-reconfigure-${++counter}`;
    const intro = document.createElement('p');
    this.append(intro);
    this._parts = { intro, steps: [] };
    let prev = null;
    for (const step of reconfigureSteps(opts)) {
      // Only a heading level may be asked for (the page's outline decides which).
      const level = /^h[2-6]$/i.test(this.getAttribute('heading') ?? '') ? this.getAttribute('heading') : 'h3';
      const h = document.createElement(level);
      const p = document.createElement('p');
      const ex = document.createElement('servicecidr-example');
      ex.id = `${prefix}-${step.id}`;
      if (prev) ex.setAttribute('after', prev);
      else {
        ex.setAttribute('range', opts.range);
        ex.setAttribute('seed', this.getAttribute('seed') || String(DEFAULTS.seed));
        for (const a of ['version', 'now']) if (this.hasAttribute(a)) ex.setAttribute(a, this.getAttribute(a));
      }
      if (this.hasAttribute('map')) ex.setAttribute('map', '');
      ex.textContent = step.script;
      this.append(h, p, ex);
      this._parts.steps.push({ step, h, p, ex });
      prev = ex.id;
    }
    this._label();
  }

  attributeChangedCallback() {
    if (this._parts) this._label();
  }

  /** Texts in the element's language; the examples keep their clusters and transcripts. */
  _label() {
    const lang = this._lang();
    this._parts.intro.textContent = INTRO[lang];
    for (const { step, h, p, ex } of this._parts.steps) {
      h.textContent = step.title[lang];
      p.textContent = step.text[lang];
      ex.setAttribute('lang', lang);
    }
  }
}

if (globalThis.customElements && !customElements.get('servicecidr-reconfigure-tour')) {
  customElements.define('servicecidr-reconfigure-tour', ServiceCIDRReconfigureTour);
}
