// The CEL admission module (servicecidr-sim/cel: crates/admission-wasm, a second wasm module
// of ≈ 250 KB gzip) for ValidatingAdmissionPolicies. The main module carries no CEL, so the
// pages fetch this one only when a cluster first meets a policy: before running a command
// that names one, before replaying a log or restoring a snapshot that holds one. Then
// `cluster.setPolicyEvaluator(module)` plugs it into the core's admission seam.
// Shared by the playground (www/js/app.js) and <servicecidr-example> (pkg/embed/ in the package).

// kubectl reaches the policy kinds only by these words: the resource names
// (validatingadmissionpolicies, …bindings; upstream gives them no short names), the kinds
// in a manifest (kind: ValidatingAdmissionPolicy), or their group (apiVersion: admissionregistration.k8s.io/v1).
const POLICY_WORDS = /validatingadmissionpolic|admissionregistration\.k8s\.io/i;

/** Does this text (a script, a manifest, a saved log or snapshot as JSON) involve a policy? */
export function mentionsPolicy(text) {
  return POLICY_WORDS.test(String(text ?? ''));
}

// What the core answers (503) when a policy is written to a cluster without the module: a
// script that reached it by other words (a variable built piece by piece) failed that request
// and changed nothing by it, so loading the module then lets the next try pass.
const NEEDS_CEL = /needs the CEL admission module/;

/** Did a command's result meet the core's "no evaluator" answer? */
export function neededCel(result) {
  return NEEDS_CEL.test(`${result?.output ?? ''}${result?.stderr ?? ''}`);
}

/**
 * Where the CEL module sits: beside the main module's folder, as the npm package lays them out
 * (web/servicecidr_sim.js and cel/web/…) and as pkg-scripts/build copies them into www/
 * (www/pkg/ and www/cel/web/). A page may name another place with
 * <meta name="servicecidr-sim-cel" content="URL of servicecidr_admission_wasm.js">.
 */
export function celUrl(mainModuleUrl) {
  const meta = globalThis.document?.querySelector('meta[name="servicecidr-sim-cel"]');
  if (meta?.content) return new URL(meta.content, document.baseURI);
  return new URL('../cel/web/servicecidr_admission_wasm.js', mainModuleUrl);
}

const loads = new Map();

/** The initialised CEL module (its exports are the evaluator), fetched once per URL per page. */
export function loadCel(url) {
  const key = String(url);
  let p = loads.get(key);
  if (!p) {
    performance.mark?.('servicecidr-sim:cel-load-start');
    p = import(key).then(async (mod) => {
      await mod.default();
      performance.mark?.('servicecidr-sim:cel-ready');
      return mod;
    });
    loads.set(key, p);
    // A failed load may be retried later (the network came back): forget the failure.
    p.catch(() => loads.delete(key));
  }
  return p;
}

/** The module when it has already been loaded (a promise settled or not), else null. */
export function celLoading(url) {
  return loads.get(String(url)) ?? null;
}
