// The guided tour of the "Extend Service IP Ranges" task and the scenario presets.
// Texts are our own words, in English and Japanese. Each step carries the exact
// commands it runs, so the terminal shows what a person would type.

import { lang, t } from './i18n.js';

const FILL_13 = 'for i in $(seq 1 13); do kubectl create service clusterip "test-$i" --tcp 80 -o json | jq -r .spec.clusterIP; done';
const MORE_4 = 'for i in $(seq 13 16); do kubectl create service clusterip "test-$i" --tcp 80 -o json | jq -r .spec.clusterIP; done';
const NEWCIDR1 = `cat <<EOF | kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: newcidr1
spec:
  cidrs:
  - 10.96.0.0/24
EOF`;
const DEL_4 = 'for i in $(seq 13 16); do kubectl delete service "test-$i" ; done';

export const TOUR_SETTINGS = { range: '10.96.0.0/28', seed: 1 };

/** ops: {run: script} | {adv: seconds} | {settle: true} | {reset: settings} */
export const TOUR = [
  {
    id: 'intro',
    title: { en: 'What you will do', ja: 'このツアーで行うこと' },
    text: {
      en: 'A cluster whose Service range is only a /28 runs out of ClusterIPs quickly. You will fill it, add a second ServiceCIDR to get more addresses, and then remove that ServiceCIDR again, watching the finalizer keep it alive while Services still use its addresses. Starting the tour replaces the current cluster with a fresh one (--service-cluster-ip-range=10.96.0.0/28).',
      ja: 'Service の範囲が /28 しかないクラスターでは ClusterIP がすぐに足りなくなります。範囲を使い切り、2 つ目の ServiceCIDR を追加してアドレスを増やし、その ServiceCIDR を削除します。Service がまだそのアドレスを使っている間は、ファイナライザーが削除を止める様子を確認します。ツアーを始めると、現在のクラスターは新しいクラスター（--service-cluster-ip-range=10.96.0.0/28）に置き換わります。',
    },
    ops: [{ reset: TOUR_SETTINGS }],
    button: { en: 'Start with a fresh /28 cluster', ja: '新しい /28 クラスターで開始' },
  },
  {
    id: 'default-cidr',
    title: { en: 'The default ServiceCIDR', ja: 'デフォルトの ServiceCIDR' },
    text: {
      en: 'The API server keeps a ServiceCIDR named "kubernetes" that mirrors its --service-cluster-ip-range flag. Its map shows all 16 addresses of the /28: the network address and the broadcast address can never be handed out. A /28 is too small for a separate static band, so every usable address is picked at random.',
      ja: 'API サーバーは --service-cluster-ip-range フラグと同じ範囲を持つ「kubernetes」という ServiceCIDR を維持します。マップには /28 の 16 個のアドレスがすべて表示されます。ネットワークアドレスとブロードキャストアドレスは割り当てられません。/28 は小さすぎるため静的帯域は分けられず、使えるアドレスはすべてランダムに選ばれます。',
    },
    ops: [{ run: 'kubectl get servicecidr' }],
  },
  {
    id: 'kubernetes-svc',
    title: { en: 'The kubernetes Service', ja: 'kubernetes Service' },
    text: {
      en: 'The built-in default/kubernetes Service always takes the first address after the network address: 10.96.0.1. The cluster also runs kube-dns at the tenth address, 10.96.0.10, as kubeadm and kind clusters do.',
      ja: '組み込みの default/kubernetes Service は、常にネットワークアドレスの次のアドレス 10.96.0.1 を使います。kubeadm や kind と同じく、このクラスターでは 10 番目のアドレス 10.96.0.10 を kube-dns が使っています。',
    },
    ops: [{ run: 'kubectl get service kubernetes' }],
  },
  {
    id: 'ipaddress',
    title: { en: 'Every ClusterIP is an IPAddress object', ja: 'ClusterIP はすべて IPAddress オブジェクト' },
    text: {
      en: 'Each allocated ClusterIP is recorded as an IPAddress object named after the address, with a parentRef pointing back at its Service. An address is taken exactly when such an object exists.',
      ja: '割り当てられた ClusterIP は、アドレスを名前とする IPAddress オブジェクトとして記録され、parentRef が所有する Service を指します。このオブジェクトが存在するアドレスが「使用中」です。',
    },
    ops: [{ run: 'kubectl get ipaddress 10.96.0.1' }],
  },
  {
    id: 'fill',
    title: { en: 'Fill the range', ja: '範囲を使い切る' },
    text: {
      en: 'A /28 has 14 usable addresses and two are already taken, so only 12 of these 13 Services get an address. The last one fails with "range is full". Watch the cells of the map turn into Service colours.',
      ja: '/28 で使えるアドレスは 14 個で、すでに 2 個が使用中です。そのため 13 個の Service のうち 12 個だけがアドレスを得て、最後の 1 個は「range is full」で失敗します。マップのセルが Service の色に変わっていく様子を見てください。',
    },
    ops: [{ run: FILL_13 }],
  },
  {
    id: 'add-cidr',
    title: { en: 'Add a ServiceCIDR', ja: 'ServiceCIDR を追加する' },
    text: {
      en: 'Extending the range is one new object: a ServiceCIDR for 10.96.0.0/24. It contains the old /28, so the first 16 cells of its map are shared with "kubernetes" (marked with a corner). A /24 is big enough for a static band: addresses .1 to .16 are kept for fixed ClusterIPs, dynamic picks come from .17 to .254.',
      ja: '範囲の拡張は、新しいオブジェクトを 1 つ作るだけです。10.96.0.0/24 の ServiceCIDR を作ります。これは元の /28 を含むので、マップの最初の 16 セルは「kubernetes」と共有されます（角の印）。/24 では静的帯域が分けられ、.1〜.16 は固定の ClusterIP 用に残され、動的な割り当ては .17〜.254 から選ばれます。',
    },
    ops: [{ run: NEWCIDR1 }],
  },
  {
    id: 'more',
    title: { en: 'Create Services again', ja: 'もう一度 Service を作る' },
    text: {
      en: 'Now there is room again. The new Services get addresses from the dynamic band of the /24; each new allocation flashes on the map, and the event log says which ServiceCIDR it came from.',
      ja: '再び空きができました。新しい Service は /24 の動的帯域からアドレスを得ます。新しい割り当てはマップ上で一瞬強調され、イベントログにはどの ServiceCIDR から割り当てたかが表示されます。',
    },
    ops: [{ run: MORE_4 }],
  },
  {
    id: 'delete-cidr',
    title: { en: 'Delete the new ServiceCIDR', ja: '新しい ServiceCIDR を削除する' },
    text: {
      en: 'The delete is accepted, but the object stays: its finalizer waits while some IPAddress is contained only by this ServiceCIDR. The card shows a Terminating badge and lists exactly those addresses. No new address is handed out from a terminating ServiceCIDR.',
      ja: '削除は受け付けられますが、オブジェクトは残ります。この ServiceCIDR だけに含まれる IPAddress がある間、ファイナライザーが削除を待たせるからです。カードには Terminating バッジと、削除を止めているアドレスの一覧が表示されます。削除中の ServiceCIDR から新しいアドレスは割り当てられません。',
    },
    ops: [{ run: 'kubectl delete servicecidr newcidr1 --wait=false' }],
  },
  {
    id: 'yaml',
    title: { en: 'Look at the finalizer', ja: 'ファイナライザーを確認する' },
    text: {
      en: 'The object has a deletionTimestamp, still carries the finalizer networking.k8s.io/service-cidr-finalizer, and its Ready condition is False with reason Terminating.',
      ja: 'オブジェクトには deletionTimestamp が付き、ファイナライザー networking.k8s.io/service-cidr-finalizer が残り、Ready 条件は理由 Terminating で False になっています。',
    },
    ops: [{ run: 'kubectl get servicecidr newcidr1 -o yaml' }],
  },
  {
    id: 'delete-svcs',
    title: { en: 'Remove the Services that block it', ja: '削除を止めている Service を消す' },
    text: {
      en: 'Deleting the four Services releases their addresses. The blocking list empties; the controller now only waits for its grace period.',
      ja: '4 つの Service を削除するとアドレスが解放されます。ブロックしている一覧は空になり、コントローラーは猶予期間が過ぎるのを待つだけになります。',
    },
    ops: [{ run: DEL_4 }],
  },
  {
    id: 'grace',
    title: { en: 'Let 10 seconds pass', ja: '10 秒進める' },
    text: {
      en: 'The controller removes the finalizer no earlier than 10 seconds after the deletion was requested. The clock here only moves when you say so: this step moves it 10 seconds, then asks for the ServiceCIDR, which is gone.',
      ja: 'コントローラーは、削除が要求されてから 10 秒以上経ってからファイナライザーを外します。ここでは時計はあなたが進めたときだけ動きます。このステップで 10 秒進めてから ServiceCIDR を取得すると、もう存在しません。',
    },
    ops: [{ adv: 10 }, { run: 'kubectl get servicecidr newcidr1' }],
  },
  {
    id: 'done',
    title: { en: 'Done', ja: '完了' },
    text: {
      en: 'That is the whole task. Try the scenarios below, or type your own commands: Tab completes commands, resources, flags and object names.',
      ja: 'これでタスクは完了です。下のシナリオを試すか、自分でコマンドを入力してみてください。Tab キーでコマンド、リソース、フラグ、オブジェクト名を補完できます。',
    },
    ops: [],
  },
];

const leakYAML = `cat <<EOF | kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: IPAddress
metadata:
  name: 10.96.0.200
  labels:
    ipaddress.kubernetes.io/ip-family: IPv4
    ipaddress.kubernetes.io/managed-by: ipallocator.k8s.io
spec:
  parentRef:
    group: ""
    resource: services
    namespace: default
    name: ghost
EOF`;

const svcYAML = (name, policy) => `cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  ipFamilyPolicy: ${policy}
  ports:
  - port: 80
EOF`;

const cidrYAML = (name, cidr) => `cat <<EOF | kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: ServiceCIDR
metadata:
  name: ${name}
spec:
  cidrs:
  - ${cidr}
EOF`;

// The en page's "Kubernetes Service CIDR Policies" sample (vap-servicecidr-default.yaml),
// verbatim. Its comment holds backquotes, so the here-document delimiter is quoted, as a
// reader pasting it into bash would need.
export const VAP_DEFAULT = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: "servicecidrs.default"
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups:   ["networking.k8s.io"]
      apiVersions: ["v1"]
      operations:  ["CREATE", "UPDATE"]
      resources:   ["servicecidrs"]
  matchConditions:
  - name: 'exclude-default-servicecidr'
    expression: "object.metadata.name != 'kubernetes'"
  variables:
  - name: allowed
    expression: "['10.96.0.0/16','2001:db8::/64']"
  validations:
  - expression: "object.spec.cidrs.all(newCIDR, variables.allowed.exists(allowedCIDR, cidr(allowedCIDR).containsCIDR(newCIDR)))"
  # For all CIDRs (newCIDR) listed in the spec.cidrs of the submitted ServiceCIDR
  # object, check if there exists at least one CIDR (allowedCIDR) in the \`allowed\`
  # list of the VAP such that the allowedCIDR fully contains the newCIDR.
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: "servicecidrs-default-binding"
spec:
  policyName: "servicecidrs.default"
  validationActions: [Deny,Audit]
`;
const CLAUSE = `  matchConditions:
  - name: 'exclude-default-servicecidr'
    expression: "object.metadata.name != 'kubernetes'"
`;
// The same policy without the clause the page's note asks for.
const VAP_NO_CLAUSE = VAP_DEFAULT.split('---\n')[0].replace(CLAUSE, '');
const applyQuoted = (yaml) => `cat <<'EOF' | kubectl apply -f -\n${yaml}EOF`;

export const SCENARIOS = [
  {
    id: 'exhaust',
    title: { en: 'Exhaust a /28 and extend it', ja: '/28 を使い切って拡張する' },
    next: { en: 'The /28 is full, the /24 took the rest. Look at the shared cells.', ja: '/28 は満杯になり、残りは /24 から割り当てられました。共有セルを見てください。' },
    settings: { range: '10.96.0.0/28', seed: 1 },
    ops: [{ run: FILL_13 }, { run: NEWCIDR1 }, { run: MORE_4 }],
  },
  {
    id: 'blocked',
    title: { en: 'Delete a ServiceCIDR that still has IPs', ja: 'IP が残る ServiceCIDR を削除する' },
    next: { en: 'The Terminating badge lists the blocking IPs. Delete the Services, then +10 s.', ja: 'Terminating バッジにブロックしている IP が表示されます。Service を削除してから +10 秒 進めてください。' },
    settings: { range: '10.96.0.0/24', seed: 2 },
    ops: [
      { run: cidrYAML('extra', '10.100.0.0/24') },
      { run: 'kubectl create service clusterip web --tcp 80 --clusterip 10.100.0.20' },
      { run: 'kubectl create service clusterip api --tcp 80 --clusterip 10.100.0.21' },
      { run: 'kubectl delete servicecidr extra --wait=false' },
    ],
  },
  {
    id: 'overlay',
    title: { en: 'Overlay a bigger CIDR, delete the smaller', ja: '大きな CIDR で覆い、小さい方を削除する' },
    next: { en: '"small" is not blocked: "big" contains all its addresses. Press +10 s and it is gone; the Services keep their IPs.', ja: '「small」はブロックされません。「big」がすべてのアドレスを含むからです。+10 秒 進めると消え、Service の IP はそのまま残ります。' },
    settings: { range: '10.96.0.0/24', seed: 3 },
    ops: [
      { run: cidrYAML('small', '10.100.0.0/28') },
      { run: 'for i in 2 3 4; do kubectl create service clusterip "app-$i" --tcp 80 --clusterip "10.100.0.$i"; done' },
      { run: cidrYAML('big', '10.100.0.0/24') },
      { run: 'kubectl delete servicecidr small --wait=false' },
    ],
  },
  {
    id: 'ds-single',
    title: { en: 'Dual-stack Service on a single-stack cluster', ja: 'シングルスタックのクラスターでデュアルスタック Service' },
    next: { en: 'RequireDualStack is refused; PreferDualStack quietly gets one IPv4 address.', ja: 'RequireDualStack は拒否され、PreferDualStack は IPv4 アドレスを 1 つだけ得ます。' },
    settings: { range: '10.96.0.0/24', seed: 4 },
    ops: [{ run: svcYAML('both', 'RequireDualStack') }, { run: svcYAML('maybe', 'PreferDualStack') }, { run: 'kubectl get service maybe -o jsonpath={.spec.clusterIPs}' }],
  },
  {
    id: 'ds-dual',
    title: { en: 'Dual-stack Service on a dual-stack cluster', ja: 'デュアルスタックのクラスターでデュアルスタック Service' },
    next: { en: 'The Service gets one address of each family. The IPv6 /112 is drawn as a heat map: click a bucket to zoom in.', ja: 'Service は各ファミリーのアドレスを 1 つずつ得ます。IPv6 の /112 はヒートマップで表示されます。バケットをクリックすると拡大します。' },
    settings: { range: '10.96.0.0/24,fd00:10:96::/112', seed: 5 },
    ops: [{ run: svcYAML('both', 'RequireDualStack') }, { run: 'kubectl get service both -o jsonpath={.spec.clusterIPs}' }],
  },
  {
    id: 'bands',
    title: { en: 'Static IP in the lower band vs dynamic', ja: '下位帯域の静的 IP と動的割り当て' },
    next: { en: 'The pinned address sits in the static band (.1–.16); dynamic ones land in .17–.254. Pinning a taken address fails.', ja: '固定したアドレスは静的帯域（.1〜.16）にあり、動的なものは .17〜.254 に入ります。使用中のアドレスの固定は失敗します。' },
    settings: { range: '10.96.0.0/24', seed: 6 },
    ops: [
      { run: 'kubectl create service clusterip pinned --tcp 80 --clusterip 10.96.0.5' },
      { run: 'for i in 1 2 3; do kubectl create service clusterip "dyn-$i" --tcp 80 -o json | jq -r .spec.clusterIP; done' },
      { run: 'kubectl create service clusterip clash --tcp 80 --clusterip 10.96.0.10' },
    ],
  },
  {
    id: 'leak',
    title: { en: 'A leaked IPAddress and the repair loop', ja: 'リークした IPAddress と修復ループ' },
    next: { en: '10.96.0.200 points at a Service that does not exist. Press +1 min: the repair loop deletes it and records a Warning event.', ja: '10.96.0.200 は存在しない Service を指しています。+1 分 進めると、修復ループがこれを削除し Warning イベントを記録します。' },
    settings: { range: '10.96.0.0/24', seed: 7 },
    ops: [{ run: leakYAML }],
  },
  {
    id: 'policies',
    title: { en: 'Guard ServiceCIDRs with a ValidatingAdmissionPolicy', ja: 'ValidatingAdmissionPolicy で ServiceCIDR を守る' },
    next: {
      en: "The page's policy admitted 10.96.1.0/24 and refused 172.20.0.0/16. Then, without the exclude-default-servicecidr clause, the API server's own write was refused: the kubernetes ServiceCIDR (10.96.0.0/12) was deleted and cannot come back (see the policy pane and the Warning event). Apply the page's sample again and press +10 s: the API server recreates it.",
      ja: 'ページのポリシーは 10.96.1.0/24 を受け入れ、172.20.0.0/16 を拒否しました。次に exclude-default-servicecidr の条件を外すと、API サーバー自身の書き込みが拒否されました。削除された kubernetes ServiceCIDR（10.96.0.0/12）は再作成できません（ポリシーのパネルと Warning イベントを見てください）。ページのサンプルをもう一度適用して +10 秒 進めると、API サーバーが再作成します。',
    },
    // kubeadm's default range: the default ServiceCIDR lies outside the policy's allowed ranges.
    settings: { range: '10.96.0.0/12', seed: 8 },
    ops: [
      { run: applyQuoted(VAP_DEFAULT) },
      { run: cidrYAML('newcidr1', '10.96.1.0/24') },
      { run: cidrYAML('newcidr2', '172.20.0.0/16') },
      // An allowed range that holds the kubernetes and kube-dns Services' addresses, so the
      // default ServiceCIDR may be deleted; the clause lets the controller drop its finalizer.
      { run: cidrYAML('cover', '10.96.0.0/24') },
      { run: 'kubectl delete servicecidr kubernetes --wait=false' },
      { adv: 10 },
      { run: 'kubectl get servicecidr' },
      // Before the API server's next sync recreates it, the clause goes.
      { run: applyQuoted(VAP_NO_CLAUSE) },
      { adv: 10 },
      { run: 'kubectl get servicecidr kubernetes' },
    ],
  },
];

export function pick(o) {
  return o[lang()] ?? o.en;
}

/** Renders the tour panel; run(ops) performs a step's operations. */
export class Tour {
  constructor(root, { run, getStep, setStep, steps = TOUR, titleId = 'tour-step-title' }) {
    this.root = root;
    // Another tour (www/js/reconfigure.js) renders with its own steps and heading id.
    this.steps = steps;
    this.titleId = titleId;
    this.run = run;
    this.getStep = getStep;
    this.setStep = setStep;
    this.done = new Set();
  }

  render() {
    const i = Math.max(0, Math.min(this.steps.length - 1, this.getStep()));
    const s = this.steps[i];
    this.root.textContent = '';
    this.root.dataset.step = s.id;
    const prog = document.createElement('p');
    prog.className = 'progress';
    prog.textContent = t('stepOf', { n: i + 1, total: this.steps.length });
    const h = document.createElement('h3');
    h.textContent = pick(s.title);
    h.tabIndex = -1;
    h.id = this.titleId;
    const p = document.createElement('p');
    p.textContent = pick(s.text);
    this.root.append(prog, h, p);
    for (const op of s.ops) {
      if (op.run === undefined && op.adv === undefined) continue;
      const pre = document.createElement('pre');
      pre.className = 'code';
      pre.textContent = op.run ?? t('advanceOp', { n: op.adv });
      this.root.append(pre);
    }
    const bar = document.createElement('div');
    bar.className = 'tour-bar';
    const mk = (label, cls, fn, disabled = false) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = cls;
      b.textContent = label;
      b.disabled = disabled;
      b.addEventListener('click', fn);
      bar.append(b);
      return b;
    };
    mk(t('back'), 'tour-back', () => this.go(i - 1), i === 0);
    let primary = null;
    if (s.ops.length && !this.done.has(i)) {
      primary = mk(s.button ? pick(s.button) : t('runStep'), 'primary tour-run', async () => {
        primary.disabled = true;
        await this.run(s.ops);
        this.done.add(i);
        this.render();
        this.root.querySelector('.tour-next')?.focus();
      });
    }
    const next = mk(t('next'), `tour-next${primary ? '' : ' primary'}`, () => this.go(i + 1), i === this.steps.length - 1);
    void next;
    this.root.append(bar);
  }

  go(i, focus = true) {
    this.setStep(Math.max(0, Math.min(this.steps.length - 1, i)));
    this.render();
    if (focus) document.getElementById(this.titleId)?.focus();
  }
}
