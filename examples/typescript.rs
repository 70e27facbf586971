//! Writes the TypeScript declarations of every type the JS API takes or returns, generated
//! from the Rust types by ts-rs. pkg-scripts/build appends them to the `.d.ts` files
//! wasm-bindgen writes (whose `Cluster` methods name these types):
//!
//!   cargo run --features ts --example typescript > target/types.d.ts
//!
//! A dev-time generator: ts-rs never reaches the wasm module (the `ts` feature is off there).

use servicecidr_sim::apiserver::envelope::{HttpRequest, HttpResponse, HttpWatchPoll};
use servicecidr_sim::cluster::capacity::CidrCapacity;
use servicecidr_sim::cluster::import::{ImportReport, SkippedObject};
use servicecidr_sim::cluster::plan::{
    BlockedServiceCidr, Plan, PlanAction, PlanCategory, PlanStep, RecreateService,
};
use servicecidr_sim::cluster::range_view::{RangeCell, RangeView};
use servicecidr_sim::cluster::{
    AllocatorInfo, ApiserverFlags, ApiserverInstance, ApiserverState, ClusterOptions,
    ClusterSnapshot, PendingWork, PolicyDecisionRecord, TraceRecord, WatchEventView, WatchObject,
};
use servicecidr_sim::controllers::servicecidr::BlockingIPs;
use servicecidr_sim::kubectl::{ScriptOptions, ScriptSlice};
use servicecidr_sim::model::{
    Condition, Event, IPAddress, IPAddressSpec, ObjectMeta, ObjectReference, ParentReference,
    Service, ServiceCIDR, ServiceCIDRSpec, ServiceCIDRStatus, ServicePort, ServiceSpec,
    ServiceStatus, Status, StatusCause, StatusDetails,
};
use servicecidr_sim::{CommandOutput, RunOptions};
use ts_rs::{Config, TS};

fn export<T: TS + ?Sized>(cfg: &Config, out: &mut String) {
    if let Some(docs) = T::docs() {
        out.push_str(&docs);
    }
    out.push_str("export ");
    out.push_str(&T::decl(cfg));
    out.push_str("\n\n");
}

fn main() {
    // serde-wasm-bindgen's json_compatible serializer turns 64-bit integers into numbers.
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust types by examples/typescript.rs (ts-rs); do not edit.\n\n",
    );
    out.push_str("/** Any JSON value. */\n");
    export::<serde_json::Value>(&cfg, &mut out);
    export::<ClusterOptions>(&cfg, &mut out);
    export::<ObjectMeta>(&cfg, &mut out);
    export::<Condition>(&cfg, &mut out);
    export::<ServicePort>(&cfg, &mut out);
    export::<ServiceSpec>(&cfg, &mut out);
    export::<ServiceStatus>(&cfg, &mut out);
    export::<Service>(&cfg, &mut out);
    export::<ServiceCIDRSpec>(&cfg, &mut out);
    export::<ServiceCIDRStatus>(&cfg, &mut out);
    export::<ServiceCIDR>(&cfg, &mut out);
    export::<ParentReference>(&cfg, &mut out);
    export::<IPAddressSpec>(&cfg, &mut out);
    export::<IPAddress>(&cfg, &mut out);
    export::<WatchObject>(&cfg, &mut out);
    export::<ObjectReference>(&cfg, &mut out);
    export::<Event>(&cfg, &mut out);
    export::<StatusCause>(&cfg, &mut out);
    export::<StatusDetails>(&cfg, &mut out);
    export::<Status>(&cfg, &mut out);
    export::<WatchEventView>(&cfg, &mut out);
    export::<PolicyDecisionRecord>(&cfg, &mut out);
    export::<TraceRecord>(&cfg, &mut out);
    export::<AllocatorInfo>(&cfg, &mut out);
    export::<PendingWork>(&cfg, &mut out);
    export::<BlockingIPs>(&cfg, &mut out);
    export::<RangeCell>(&cfg, &mut out);
    export::<RangeView>(&cfg, &mut out);
    export::<RunOptions>(&cfg, &mut out);
    export::<CommandOutput>(&cfg, &mut out);
    export::<ScriptOptions>(&cfg, &mut out);
    export::<ScriptSlice>(&cfg, &mut out);
    export::<ClusterSnapshot>(&cfg, &mut out);
    export::<HttpRequest>(&cfg, &mut out);
    export::<HttpResponse>(&cfg, &mut out);
    export::<HttpWatchPoll>(&cfg, &mut out);
    export::<SkippedObject>(&cfg, &mut out);
    export::<ImportReport>(&cfg, &mut out);
    export::<ApiserverFlags>(&cfg, &mut out);
    export::<ApiserverState>(&cfg, &mut out);
    export::<ApiserverInstance>(&cfg, &mut out);
    export::<CidrCapacity>(&cfg, &mut out);
    export::<PlanCategory>(&cfg, &mut out);
    export::<RecreateService>(&cfg, &mut out);
    export::<BlockedServiceCidr>(&cfg, &mut out);
    export::<PlanAction>(&cfg, &mut out);
    export::<PlanStep>(&cfg, &mut out);
    export::<Plan>(&cfg, &mut out);
    print!("{out}");
}
