// The simulator's own endpoint on `servicecidr-sim apiserver`: the kube-apiserver processes
// themselves (issue #15, step 6 of "Kubernetes Default Service CIDR Reconfiguration"). A
// real cluster restarts kube-apiserver with new flags from outside the API; here the
// processes are simulated, so they are driven over HTTP, under /simulator/v1 — never /api
// or /apis, so no Kubernetes client mistakes it for a Kubernetes resource. Errors are
// metav1.Status objects, as everywhere else on this server. The behaviour is the Cluster's
// (apiservers, startApiserver, stopApiserver, restartApiserver, planRangeChange,
// runPlanStep); this file only routes.
//
//   GET    /simulator/v1/apiservers                 the instances, the serving one first
//   POST   /simulator/v1/apiservers                 {name, serviceClusterIPRange}: start another
//   POST   /simulator/v1/apiservers/NAME/restart    {serviceClusterIPRange, version?}: restart the serving one
//   DELETE /simulator/v1/apiservers/NAME            stop one (requests go to the next running one)
//   POST   /simulator/v1/plan                       {serviceClusterIPRange}: planRangeChange
//   POST   /simulator/v1/plan/steps                 one step of a plan: runPlanStep, answers its changes

export const PREFIX = '/simulator/';

function status(code, reason, message) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function answer(code, body) {
  return { status: code, body: JSON.stringify(body) };
}

function methodNotAllowed(method, path) {
  return answer(405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource: ${method} ${path}`));
}

/** The request body as JSON; a Status answer when it is not an object. */
function readJson(body) {
  let v;
  try {
    v = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch (e) {
    return { error: answer(400, status(400, 'BadRequest', `the request body is not JSON: ${e.message}`)) };
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return { error: answer(400, status(400, 'BadRequest', 'the request body must be a JSON object')) };
  }
  return { value: v };
}

const list = (kind, items) => ({ kind, apiVersion: 'simulator/v1', items });

/**
 * Answers a request under /simulator/ as { status, body } (JSON text). `cluster` is the
 * serving Cluster; a failed call changes nothing (the Cluster's guarantee) and answers the
 * Status it threw.
 */
export function handleAdmin(cluster, method, path, body) {
  const parts = path.slice(PREFIX.length).split('/').filter((p) => p !== '');
  const withBody = (f) => {
    const { value, error } = readJson(body);
    return error ?? f(value);
  };
  try {
    if (parts[0] !== 'v1') return notFound(path);
    const [, collection, name, verb, ...rest] = parts;
    if (rest.length) return notFound(path);
    if (collection === 'apiservers') {
      if (name === undefined) {
        if (method === 'GET') return answer(200, list('ApiserverList', cluster.apiservers()));
        if (method === 'POST') return withBody((flags) => answer(201, cluster.startApiserver(flags)));
        return methodNotAllowed(method, path);
      }
      let name_;
      try {
        name_ = decodeURIComponent(name);
      } catch {
        return notFound(path);
      }
      if (verb === 'restart') {
        if (method !== 'POST') return methodNotAllowed(method, path);
        const serving = cluster.apiservers()[0]?.name;
        if (name_ !== serving) {
          return answer(400, status(400, 'BadRequest', `only the serving kube-apiserver (${serving}) restarts; start another beside it with POST ${PREFIX}v1/apiservers`));
        }
        return withBody((flags) => answer(200, cluster.restartApiserver(flags)));
      }
      if (verb !== undefined) return notFound(path);
      if (method === 'GET') {
        const found = cluster.apiservers().find((a) => a.name === name_);
        return found ? answer(200, found) : answer(404, status(404, 'NotFound', `kube-apiserver "${name_}" not found`));
      }
      if (method === 'DELETE') return answer(200, list('ApiserverList', cluster.stopApiserver(name_)));
      return methodNotAllowed(method, path);
    }
    if (collection === 'plan' && verb === undefined) {
      if (method !== 'POST') return methodNotAllowed(method, path);
      if (name === undefined) return withBody((flags) => answer(200, cluster.planRangeChange(flags)));
      if (name === 'steps') return withBody((step) => answer(200, list('WatchEventList', cluster.runPlanStep(step))));
    }
    return notFound(path);
  } catch (e) {
    if (e?.status?.kind === 'Status') return answer(e.status.code, e.status);
    if (typeof e?.code === 'number') return answer(e.code, status(e.code, e.reason ?? 'BadRequest', e.message));
    throw e;
  }
}

function notFound(path) {
  return answer(404, status(404, 'NotFound', `the server could not find the requested resource (${path})`));
}
