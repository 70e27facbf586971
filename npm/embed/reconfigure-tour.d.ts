// Types of the <servicecidr-reconfigure-tour> element (servicecidr-sim/embed/reconfigure-tour,
// a browser ES module; importing it defines the element and <servicecidr-example>).

/** One of the seven illustrative steps: its texts and the script its example runs. */
export interface ReconfigureStep {
  id: string;
  title: { en: string; ja: string };
  text: { en: string; ja: string };
  script: string;
}

export interface ReconfigureOptions {
  /** --service-cluster-ip-range before the change (default "10.96.0.0/24"). */
  range?: string;
  /** --service-cluster-ip-range after the change (default "10.100.0.0/24"). */
  newRange?: string;
  /** Services created per namespace in step 2 (default 15, at most 100). */
  services?: number | string;
}

export declare const DEFAULTS: { range: string; newRange: string; services: number; seed: number };

/** The steps of "Kubernetes Default Service CIDR Reconfiguration" for these ranges. */
export declare function reconfigureSteps(options?: ReconfigureOptions): ReconfigureStep[];

/** `<servicecidr-reconfigure-tour>`: the seven steps as chained `<servicecidr-example>`s. */
export declare class ServiceCIDRReconfigureTour extends HTMLElement {}

declare global {
  interface HTMLElementTagNameMap {
    'servicecidr-reconfigure-tour': ServiceCIDRReconfigureTour;
  }
}
