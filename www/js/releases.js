// The releases the playground offers and, for the side-by-side view, what differs
// between two of them and which upstream change made it so. The behaviour itself is the
// core's (crates/core/src/release.rs): these are only the words a learner reads next to
// its output. Keep them in step with docs/DESIGN-NOTES.md "Releases".

/**
 * Picker entries: every modelled minor (its newest modelled patch) plus the patch
 * releases that behave differently from their minor's newest patch. The core resolves
 * each value and reports the exact release as `cluster.version`.
 */
export const RELEASES = ['1.37', '1.36', '1.35', '1.34.8', '1.34.0', '1.33.11', '1.33.6', '1.33.0', '1.32', '1.31', '1.30', '1.29'];

const PR = (n) => ({ label: `kubernetes#${n}`, href: `https://github.com/kubernetes/kubernetes/pull/${n}` });
const ISSUE = (n) => ({ label: `kubernetes#${n}`, href: `https://github.com/kubernetes/kubernetes/issues/${n}` });

/**
 * Behaviours that differ between releases. `in` lists the inclusive [from, to] ranges of
 * releases that have the behaviour; a note is shown when exactly one of the two compared
 * releases has it.
 */
export const BEHAVIOURS = [
  {
    id: 'ipv6-64',
    in: [['1.33.0', '1.34.7']],
    en: 'IPv6 /64 out-of-prefix bug: the dynamic scan\'s random offset is cast to int64, so about half the Services on a /64 get an address below the prefix; the repair loop then reports ClusterIPOutOfRange. Fixed in 1.35.0 and back-ported to 1.34.8.',
    ja: 'IPv6 /64 範囲外バグ: 動的スキャンのランダムなオフセットが int64 に変換されるため、/64 では約半数の Service にプレフィックスより下のアドレスが割り当てられ、repair ループが ClusterIPOutOfRange を報告します。1.35.0 で修正され、1.34.8 にバックポートされました。',
    links: [ISSUE(138374), PR(134193), PR(138385)],
  },
  {
    id: 'strict-ip',
    in: [['1.36.0', '9.99.99']],
    en: 'Strict IP/CIDR validation (StrictIPCIDRValidation on): IPv4-mapped IPv6 (::ffff:10.96.0.3) and leading zeros (10.096.0.5) are rejected; before, they were accepted with a warning and treated as the plain IPv4 address. Unchanged old values are still accepted on update (ratcheting).',
    ja: '厳格な IP/CIDR 検証 (StrictIPCIDRValidation 有効): IPv4 射影 IPv6 (::ffff:10.96.0.3) や先頭の 0 (10.096.0.5) は拒否されます。それ以前は警告付きで受け付けられ、通常の IPv4 アドレスとして扱われていました。更新時、変わっていない古い値は引き続き受け付けられます (ratcheting)。',
    links: [PR(137053)],
  },
  {
    id: 'v1alpha1',
    in: [['1.29.0', '1.30.99']],
    en: 'networking.k8s.io/v1alpha1 is the served ServiceCIDR API (MultiCIDRServiceAllocator gate on); 1.30 sends its deprecation warning.',
    ja: 'ServiceCIDR の API は networking.k8s.io/v1alpha1 です (MultiCIDRServiceAllocator ゲート有効)。1.30 では非推奨の警告が出ます。',
    links: [],
  },
  {
    id: 'v1beta1',
    in: [['1.31.0', '1.36.99']],
    en: 'networking.k8s.io/v1beta1 is served (added in 1.31, removed in 1.37); from 1.34 it carries a deprecation warning.',
    ja: 'networking.k8s.io/v1beta1 が提供されます (1.31 で追加、1.37 で削除)。1.34 からは非推奨の警告が出ます。',
    links: [PR(122047), PR(139820)],
  },
  {
    id: 'v1',
    in: [['1.33.0', '9.99.99']],
    en: 'networking.k8s.io/v1: ServiceCIDR and IPAddress are GA.',
    ja: 'networking.k8s.io/v1: ServiceCIDR と IPAddress が GA になりました。',
    links: [PR(128971)],
  },
  {
    id: 'dual-write',
    in: [['1.29.0', '1.33.99']],
    en: 'The allocator still writes the legacy bitmap too, so --service-cluster-ip-range is capped at /12 (IPv4) and /108 (IPv6); 1.34 drops the bitmap and the cap.',
    ja: 'アロケーターは旧来のビットマップにも書き込むため、--service-cluster-ip-range は /12 (IPv4) と /108 (IPv6) までに制限されます。1.34 でビットマップと制限がなくなりました。',
    links: [],
  },
  {
    id: 'go-values',
    in: [['1.29.0', '1.33.99']],
    en: 'Field errors render values Go-style (e.g. []string{…}); from 1.34 they are JSON.',
    ja: 'フィールドエラーの値は Go 形式 ([]string{…} など) で表示されます。1.34 からは JSON 形式です。',
    links: [],
  },
  {
    id: 'ip-warnings',
    in: [['1.33.0', '9.99.99']],
    en: 'New Service IP warnings ("non-standard IP address … will be considered invalid in a future Kubernetes release").',
    ja: 'Service の IP に関する新しい警告 (「non-standard IP address … will be considered invalid in a future Kubernetes release」)。',
    links: [PR(128786)],
  },
  {
    id: 'single-to-dual',
    in: [['1.33.0', '9.99.99']],
    en: 'A single-stack ServiceCIDR may be updated to dual-stack (spec.cidrs was wholly immutable before), and the default ServiceCIDR is upgraded with the flag.',
    ja: 'シングルスタックの ServiceCIDR をデュアルスタックに更新できます (以前は spec.cidrs が完全に変更不可)。デフォルトの ServiceCIDR もフラグに合わせて更新されます。',
    links: [PR(131263)],
  },
  {
    id: 'wrong-ref-delay',
    in: [['1.33.6', '9.99.99']],
    en: 'The repair loop waits 5 s before reporting IPAddressWrongReference (a Service being created is not a leak).',
    ja: 'repair ループは IPAddressWrongReference を報告する前に 5 秒待ちます (作成中の Service はリークではないため)。',
    links: [PR(132906), PR(133954)],
  },
  {
    id: 'default-cidr-controller',
    in: [['1.34.0', '9.99.99']],
    en: 'The default "kubernetes" ServiceCIDR controller was rewritten: it sets Ready once and reports inconsistencies with the flag as events.',
    ja: 'デフォルトの「kubernetes」ServiceCIDR コントローラーが書き直されました: Ready を一度だけ設定し、フラグとの不一致はイベントで報告します。',
    links: [PR(131469)],
  },
  {
    id: 'delete-line',
    in: [['1.34.0', '9.99.99']],
    en: 'kubectl\'s delete line names the namespace: service "x" deleted from default namespace.',
    ja: 'kubectl の削除メッセージに名前空間が入ります: service "x" deleted from default namespace。',
    links: [PR(126619)],
  },
  {
    id: 'stop-on-error',
    in: [['1.35.0', '9.99.99']],
    en: 'The allocator stops on errors other than "full" or "not ready" instead of trying the next ServiceCIDR.',
    ja: 'アロケーターは「full」「not ready」以外のエラーで、次の ServiceCIDR を試さずに停止します。',
    links: [PR(135499)],
  },
  {
    id: 'repair-forbidden',
    in: [['1.33.11', '1.33.99'], ['1.36.0', '9.99.99']],
    en: 'The repair loop retries when the apiserver answers Forbidden.',
    ja: 'apiserver が Forbidden を返したとき、repair ループは再試行します。',
    links: [PR(137147), PR(137677)],
  },
  {
    id: 'external-name-requeue',
    in: [['1.36.0', '9.99.99']],
    en: 'A Service flipped to or from ExternalName is requeued after 1 s.',
    ja: 'ExternalName との間で切り替えた Service は 1 秒後に再キューされます。',
    links: [PR(135503)],
  },
];

/** "1.33.11" / "v1.33.11" -> [1, 33, 11] (a missing patch is 0); null if it is not a version. */
export function parseVersion(v) {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(String(v ?? '').trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

function cmp(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Whether exact release `v` ([major, minor, patch]) has the behaviour. */
export function has(behaviour, v) {
  return behaviour.in.some(([from, to]) => cmp(parseVersion(from), v) <= 0 && cmp(v, parseVersion(to)) <= 0);
}

/**
 * The behaviours one of two exact releases (as `cluster.version` reports them) has and
 * the other has not: [{ behaviour, side: 'a' | 'b' }], side naming the release that has it.
 */
export function differences(a, b) {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) return [];
  const out = [];
  for (const beh of BEHAVIOURS) {
    const ha = has(beh, va);
    const hb = has(beh, vb);
    if (ha !== hb) out.push({ behaviour: beh, side: ha ? 'a' : 'b' });
  }
  return out;
}

/**
 * Which lines of two outputs have no partner in the other (a longest common subsequence
 * of lines): [flagsA, flagsB], true where a line differs. Runs of spaces count as one:
 * kubectl pads table columns to the widest cell, and a wider address in one release
 * must not mark every row of the table.
 */
export function diffLines(linesA, linesB) {
  const norm = (l) => l.replace(/\s+/g, ' ').trim();
  const a = linesA.map(norm);
  const b = linesB.map(norm);
  const n = a.length;
  const m = b.length;
  // Outputs are short (a script's transcript); past this size mark nothing rather than stall.
  if (n * m > 4_000_000) return [a.map(() => false), b.map(() => false)];
  const L = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) L[i][j] = a[i] === b[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  }
  const fa = a.map(() => true);
  const fb = b.map(() => true);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      fa[i++] = false;
      fb[j++] = false;
    } else if (L[i + 1][j] >= L[i][j + 1]) i++;
    else j++;
  }
  return [fa, fb];
}

/**
 * Ready-made comparisons: the releases, the range and a script that shows the change
 * (`behaviour`, else `id`, names it in BEHAVIOURS).
 */
export const EXAMPLES = [
  {
    id: 'ipv6-64',
    a: '1.34.0',
    b: '1.34.8',
    range: 'fd00:10:96::/64',
    script: 'for i in 1 2 3 4; do kubectl create service clusterip web$i --tcp 80; done\nkubectl get services\nkubectl get events',
    en: '/64 bug: 1.34.0 vs 1.34.8',
    ja: '/64 バグ: 1.34.0 と 1.34.8',
  },
  {
    id: 'strict-ip',
    a: '1.35',
    b: '1.36',
    range: '10.96.0.0/24',
    script: 'kubectl create service clusterip mapped --tcp 80 --clusterip ::ffff:10.96.0.3\nkubectl create service clusterip zeros --tcp 80 --clusterip 10.096.0.5\nkubectl get ipaddresses',
    en: 'Strict IP validation: 1.35 vs 1.36',
    ja: '厳格な IP 検証: 1.35 と 1.36',
  },
  {
    id: 'delete-line',
    a: '1.33.11',
    b: '1.34.8',
    range: '10.96.0.0/24',
    script: 'kubectl create service clusterip web --tcp 80\nkubectl delete service web\nkubectl version',
    en: 'kubectl output: 1.33 vs 1.34',
    ja: 'kubectl の出力: 1.33 と 1.34',
  },
  {
    // The commands of the "Extend Service IP Ranges" docs page (en and ja alike), whose
    // sample output comes from 1.33: on 1.36 only kubectl's delete lines differ.
    id: 'docs-page',
    behaviour: 'delete-line',
    a: '1.33.11',
    b: '1.36',
    range: '10.96.0.0/28',
    script: [
      'kubectl get servicecidr',
      'kubectl get service kubernetes',
      'for i in $(seq 1 13); do kubectl create service clusterip "test-$i" --tcp 80 -o json | jq -r .spec.clusterIP; done',
      'cat <<EOF | kubectl apply -f -',
      'apiVersion: networking.k8s.io/v1',
      'kind: ServiceCIDR',
      'metadata:',
      '  name: newcidr1',
      'spec:',
      '  cidrs:',
      '  - 10.96.0.0/24',
      'EOF',
      'for i in $(seq 13 16); do kubectl create service clusterip "test-$i" --tcp 80 -o json | jq -r .spec.clusterIP; done',
      'kubectl delete servicecidr newcidr1 --wait=false',
      'kubectl get servicecidr newcidr1 -o yaml',
      'for i in $(seq 13 16); do kubectl delete service "test-$i" ; done',
      'kubectl get servicecidr newcidr1',
    ].join('\n'),
    en: 'The docs page: 1.33 vs 1.36',
    ja: 'ドキュメントのページ: 1.33 と 1.36',
  },
];
