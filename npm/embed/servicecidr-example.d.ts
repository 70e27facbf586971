// Types of the <servicecidr-example> element (servicecidr-sim/embed, a browser ES module;
// importing it defines the custom element). The simulator's own types come from the web build.
import type { Cluster, ClusterSnapshot } from '../web/servicecidr_sim.js';

/** One command run by an example. */
export interface TranscriptEntry {
  command: string;
  output: string;
  exitCode: number;
}

/** `<servicecidr-example>`: a runnable shell example for docs pages (docs/EMBEDDING.md). */
export declare class ServiceCIDRExample extends HTMLElement {
  /** Runs every remaining command. Resolves when the transcript is complete. */
  run(): Promise<void>;
  /** Runs the next command only. */
  step(): Promise<void>;
  /** Throws the cluster away; the next Run starts again (from the predecessor's state). */
  reset(): Promise<void>;
  /** The live Cluster (null before the first run). */
  readonly cluster: Cluster | null;
  /** The Cluster's snapshot after this example's whole script has run. */
  snapshot(): Promise<ClusterSnapshot>;
  /** Every command run so far (comments excluded). */
  readonly transcript: TranscriptEntry[];
  /** The playground's share link for this example's state. */
  playgroundUrl(): Promise<string>;
}

/** The package's web build, initialised once for the whole page (on first need). */
export declare function loadSimulator(): Promise<typeof import('../web/servicecidr_sim.js')>;

/**
 * The CEL module (servicecidr-sim/cel's web build, at ../cel/web/ beside the web build, or the
 * URL in <meta name="servicecidr-sim-cel">), initialised once per page; an example loads it
 * itself before its first command that names a ValidatingAdmissionPolicy.
 */
export declare function loadPolicyEvaluator(): Promise<import('../web/servicecidr_sim.js').PolicyEvaluator>;

declare global {
  interface HTMLElementTagNameMap {
    'servicecidr-example': ServiceCIDRExample;
  }
}
