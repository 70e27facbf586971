// Compile-only: the documented JS API, written the way a TypeScript user would, must
// type-check against the generated pkg/web declarations, and misuse must not.
// Every `@ts-expect-error` line fails the check if the types ever loosen (e.g. to `any`).
import init, {
  Cluster,
  initSync,
  type ClusterError,
  type AllocatorInfo,
  type ClusterOptions,
  type BlockingIPs,
  type ClusterSnapshot,
  type RangeView,
  type CommandResult,
  type Condition,
  type Event,
  type IPAddress,
  type KubeObject,
  type ObjectMeta,
  type ParentReference,
  type PendingWork,
  type Service,
  type ServiceCIDR,
  type Status,
  type TraceRecord,
  type WatchEvent,
  type ImportReport,
  type SkippedObject,
  type ApiserverInstance,
  type ApiserverState,
  type CidrCapacity,
  type Plan,
  type PlanCategory,
  type PlanStep,
  type ScriptOptions,
  type ScriptSlice,
} from '../../pkg/web/servicecidr_sim.js';

export async function walkThrough(bytes: BufferSource): Promise<string[]> {
  await init({ module_or_path: bytes });
  initSync({ module: bytes });

  const options: ClusterOptions = { serviceClusterIPRange: '10.96.0.0/28', seed: 1, now: '2023-10-12T15:11:07Z' };
  const cluster = new Cluster(options);
  new Cluster();
  new Cluster({ now: 1697123467000, kubeDNS: false, autoReconcile: false });
  const release: string = new Cluster({ version: '1.33' }).version;
  void release;

  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'test-1', labels: { app: 'test-1' } },
    spec: { ports: [{ name: '80', protocol: 'TCP', port: 80, targetPort: 80 }], selector: { app: 'test-1' }, type: 'ClusterIP' },
  };
  const ips: string[] = [];
  const created: KubeObject = cluster.create(svc);
  if (created.kind === 'Service') {
    // Narrowed by kind.
    ips.push(created.spec?.clusterIP ?? '');
  }

  const cidr: ServiceCIDR = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'ServiceCIDR',
    metadata: { name: 'newcidr1' },
    spec: { cidrs: ['10.96.0.0/24'] },
  };
  cluster.apply(cidr);
  cluster.update(cidr);
  const got = cluster.get('servicecidr', 'newcidr1') as ServiceCIDR;
  const ready: Condition | undefined = got.status?.conditions?.find((c) => c.type === 'Ready');
  const readyStatus: 'True' | 'False' | 'Unknown' | undefined = ready?.status;
  void readyStatus;
  const meta: ObjectMeta = got.metadata;
  const finalizers: string[] = meta.finalizers ?? [];
  void finalizers;

  const ip = cluster.get('ipaddress', '10.96.0.1', null) as IPAddress;
  const parent: ParentReference | undefined = ip.spec?.parentRef;
  void parent;

  const all: KubeObject[] = cluster.list('services', 'default');
  cluster.list('servicecidrs');
  void all;

  try {
    cluster.delete('servicecidr', 'newcidr1');
  } catch (e) {
    const err = e as ClusterError;
    const code: number = err.code;
    const reason: string = err.reason;
    const status: Status = err.status;
    const causes = status.details?.causes?.map((c) => `${c.field}: ${c.message}`) ?? [];
    void [code, reason, err.message, causes];
  }

  cluster.reconcile();
  cluster.advance(10);
  cluster.settle();

  const events: Event[] = cluster.events();
  const warnings = events.filter((e) => e.type === 'Warning').map((e) => e.note);
  void warnings;

  const out: CommandResult = cluster.kubectl('get servicecidr');
  cluster.kubectl('apply -f -', 'apiVersion: v1\n');
  const ran: CommandResult = cluster.run('kubectl get svc');
  // A script in slices: at most maxSteps steps per call; exitCode is null until done.
  const opts: ScriptOptions = { settle: false, maxSteps: 50 };
  let slice: ScriptSlice = cluster.startScript('for i in 1 2; do kubectl get svc; done', opts);
  while (!slice.done) slice = cluster.resumeScript(50);
  const code: number | null = slice.exitCode;
  const steps: number = slice.steps;
  const cancelled: boolean = cluster.cancelScript();
  // @ts-expect-error maxSteps is a number
  cluster.startScript('echo', { maxSteps: '5' });
  const newest: TraceRecord[] = cluster.trace(0, 100);
  void [code, steps, cancelled, newest];
  const exit: number = out.exitCode + ran.exitCode;
  const text: string = out.stdout + out.stderr + out.output;
  void [exit, text];

  const snap: ClusterSnapshot = cluster.snapshot();
  const copy: Cluster = Cluster.restore(JSON.parse(JSON.stringify(snap)) as ClusterSnapshot);
  copy.free();

  const changes: WatchEvent[] = cluster.watch();
  const later = cluster.watch(changes.at(-1)?.object.metadata.resourceVersion);
  const kinds: Array<'ADDED' | 'MODIFIED' | 'DELETED'> = later.map((w) => w.type);
  void kinds;

  const trace: TraceRecord[] = cluster.trace();
  const recent = cluster.trace(trace.at(-1)?.seq);
  const lines = recent.map((r) => `${r.seq} ${r.time} ${r.source}: ${r.message}`);

  // The playground's read-only views are typed too (generated from the core's Rust types).
  const bands: AllocatorInfo[] = cluster.allocatorState();
  const family: 'IPv4' | 'IPv6' | undefined = bands[0]?.family;
  const dynamicBand: [string, string] | null | undefined = bands[0]?.dynamicBand;
  const work: PendingWork[] = cluster.pendingWork();
  const due: number | undefined = work[0]?.dueMs;
  const blocking: string[] = cluster.blockingIPs('newcidr1', 10);
  void [family, dynamicBand, due, blocking];
  // @ts-expect-error: sizes are decimal strings (IPv6 ranges exceed 2^53)
  const size: number = bands[0].size;
  void size;
  // What the playground draws: the core's answers, typed.
  const report: BlockingIPs = cluster.blockingIPsReport('kubernetes', 10);
  const listed: string[] = [...cluster.blockingIPs('kubernetes'), ...report.ips, ...report.covering];
  const total: number = report.total;
  const alloc = bands[0];
  const view: RangeView = cluster.rangeView('kubernetes', alloc.cidr, '0', alloc.hostBits);
  const roles: string[] = view.cells.flatMap((c) => c.roles);
  void [listed, total, roles];

  // Rehearsing a range change (#15): import, apiserver instances, capacity, plan.
  const imported: Cluster = Cluster.fromObjects(cluster.kubectl('get svc -A -o json').stdout, { seed: 2 });
  const took: ImportReport | null = imported.importReport;
  const skipped: SkippedObject[] = took?.skipped ?? [];
  const fromList: Cluster = Cluster.fromObjects({ kind: 'List', items: cluster.list('svc') });
  const servers: ApiserverInstance[] = cluster.apiservers();
  const state: ApiserverState | undefined = servers[0]?.state;
  const restarted: ApiserverInstance = cluster.restartApiserver({ serviceClusterIPRange: '10.96.0.0/12' });
  cluster.startApiserver({ name: 'second', serviceClusterIPRange: '10.96.0.0/12' });
  const left: ApiserverInstance[] = cluster.stopApiserver('second');
  const cap: CidrCapacity[] = cluster.capacity();
  const free: string | undefined = cap[0]?.dynamicFree;
  const plan: Plan = cluster.planRangeChange({ serviceClusterIPRange: '10.100.0.0/16' });
  const category: PlanCategory = plan.category;
  const step: PlanStep | undefined = plan.steps[0];
  const effect: WatchEvent[] = step ? cluster.runPlanStep(step) : [];
  void [skipped, state, restarted, left, free, category, effect];
  fromList.free();
  imported.free();
  // @ts-expect-error: the range is required
  cluster.planRangeChange({});
  // @ts-expect-error: a plan step is typed
  cluster.runPlanStep({ action: 'reboot' });

  // @ts-expect-error: options are typed
  new Cluster({ seed: 'one' });
  // @ts-expect-error: unknown options are rejected
  new Cluster({ serviceClusterIpRange: '10.0.0.0/24' });
  // @ts-expect-error: objects are typed, not any
  cluster.create(42);
  // @ts-expect-error: a Service's spec.type is one of four
  cluster.create({ metadata: { name: 'x' }, spec: { type: 'Bogus' } });
  // @ts-expect-error: results are typed, not any
  const n: number = cluster.get('svc', 'x');
  void n;
  // @ts-expect-error: exitCode is a number
  const s: string = out.exitCode;
  void s;
  // @ts-expect-error: a view starts at a decimal offset string (IPv6 offsets exceed 2^53)
  cluster.rangeView('kubernetes', '10.96.0.0/28', 16);
  // @ts-expect-error: the report's total is a number
  const t: string = report.total;
  void t;
  // @ts-expect-error: advance takes seconds as a number
  cluster.advance('10s');

  return [...ips, ...lines];
}
