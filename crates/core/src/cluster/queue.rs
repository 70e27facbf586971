//! One work queue for every controller, with timed requeues.
//!
//! Upstream controllers run asynchronously on informers and rate-limited
//! queues; here their work becomes explicit, replayable steps: a task is due
//! at a virtual time, and ties are broken by insertion order so a run is fully
//! determined by the sequence of API calls and clock moves.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A unit of controller work, keyed as the upstream workqueue would key it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "controller", content = "key", rename_all = "camelCase")]
pub enum Task {
    /// kube-controller-manager service-cidr-controller, key = ServiceCIDR name.
    ServiceCidr(String),
    /// kube-apiserver kubernetes-service-cidr-controller (the default ServiceCIDR).
    DefaultServiceCidr,
    /// kube-apiserver reconciler of the `default/kubernetes` Service.
    KubernetesService,
    /// ipallocator-repair-controller, Service worker; key = "namespace/name".
    RepairService(String),
    /// ipallocator-repair-controller, IPAddress worker; key = the IP.
    RepairIPAddress(String),
    /// ipallocator-repair-controller's periodic resync: a full pass over every
    /// Service and IPAddress (upstream: informer resync every repair interval).
    RepairResync,
    /// A kube-apiserver instance's start-up (key = instance name): its default
    /// ServiceCIDR controller, `kubernetes` Service reconciler and the repair
    /// loop's first pass. Queued by an import; `restart_apiserver` runs it at once.
    ApiserverStart(String),
    /// kube-controller-manager validatingadmissionpolicy-status-controller,
    /// key = the policy's name.
    PolicyStatus(String),
}

impl Task {
    pub fn controller(&self) -> &'static str {
        match self {
            Task::ServiceCidr(_) => "service-cidr-controller",
            Task::DefaultServiceCidr => "kubernetes-service-cidr-controller",
            Task::KubernetesService => "kubernetes-service-controller",
            Task::RepairService(_) | Task::RepairIPAddress(_) | Task::RepairResync => {
                "ipallocator-repair-controller"
            }
            Task::ApiserverStart(_) => "kube-apiserver",
            Task::PolicyStatus(_) => "validatingadmissionpolicy-status-controller",
        }
    }
    /// Periodic tasks always exist; `settle()` does not wait for them.
    pub fn is_periodic(&self) -> bool {
        matches!(self, Task::RepairResync)
    }
    pub fn key(&self) -> &str {
        match self {
            Task::ServiceCidr(k)
            | Task::RepairService(k)
            | Task::RepairIPAddress(k)
            | Task::ApiserverStart(k)
            | Task::PolicyStatus(k) => k,
            Task::DefaultServiceCidr => "kubernetes",
            Task::KubernetesService => "default/kubernetes",
            Task::RepairResync => "resync",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkQueue {
    /// (due ms, insertion seq, task), earliest first.
    #[serde(with = "entries")]
    heap: BTreeSet<(i64, u64, Task)>,
    #[serde(skip)]
    pending: BTreeMap<Task, (i64, u64)>,
    next_seq: u64,
}

impl WorkQueue {
    /// Adds `task` due at `due_ms`. A task already queued is kept once, at the
    /// earlier of the two times (the upstream queue de-duplicates keys too).
    pub fn add(&mut self, task: Task, due_ms: i64) {
        if let Some(&(d, s)) = self.pending.get(&task) {
            if d <= due_ms {
                return;
            }
            self.heap.remove(&(d, s, task.clone()));
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.pending.insert(task.clone(), (due_ms, seq));
        self.heap.insert((due_ms, seq, task));
    }

    /// The earliest task due at or before `now_ms`, removed from the queue.
    pub fn pop_due(&mut self, now_ms: i64) -> Option<Task> {
        if self.heap.first()?.0 > now_ms {
            return None;
        }
        let (_, _, task) = self.heap.pop_first()?;
        self.pending.remove(&task);
        Some(task)
    }

    pub fn next_due(&self) -> Option<i64> {
        self.heap.iter().next().map(|e| e.0)
    }

    /// Whether anything other than periodic resyncs is waiting.
    pub fn has_one_shot_work(&self) -> bool {
        self.pending.keys().any(|t| !t.is_periodic())
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Pending tasks in due order, for trace and the playground.
    pub fn pending(&self) -> impl Iterator<Item = &(i64, u64, Task)> {
        self.heap.iter()
    }

    /// Rebuilds the key index after deserialisation.
    pub fn reindex(&mut self) {
        self.pending = self
            .heap
            .iter()
            .map(|(d, s, t)| (t.clone(), (*d, *s)))
            .collect();
    }
}

mod entries {
    use super::Task;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeSet;

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Entry {
        due_ms: i64,
        seq: u64,
        task: Task,
    }

    pub fn serialize<S: Serializer>(
        v: &BTreeSet<(i64, u64, Task)>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let list: Vec<Entry> = v
            .iter()
            .map(|(d, q, t)| Entry {
                due_ms: *d,
                seq: *q,
                task: t.clone(),
            })
            .collect();
        list.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeSet<(i64, u64, Task)>, D::Error> {
        let list: Vec<Entry> = Vec::deserialize(d)?;
        Ok(list
            .into_iter()
            .map(|e| (e.due_ms, e.seq, e.task))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_ties_by_insertion_and_dedup_keeps_earlier() {
        let mut q = WorkQueue::default();
        q.add(Task::ServiceCidr("b".into()), 10);
        q.add(Task::ServiceCidr("a".into()), 10);
        q.add(Task::ServiceCidr("b".into()), 20);
        q.add(Task::DefaultServiceCidr, 5);
        assert_eq!(q.len(), 3);
        assert_eq!(q.pop_due(4), None);
        assert_eq!(q.pop_due(100), Some(Task::DefaultServiceCidr));
        assert_eq!(q.pop_due(100), Some(Task::ServiceCidr("b".into())));
        assert_eq!(q.pop_due(100), Some(Task::ServiceCidr("a".into())));
        assert!(q.is_empty());
        q.add(Task::ServiceCidr("x".into()), 50);
        q.add(Task::ServiceCidr("x".into()), 30);
        assert_eq!(q.next_due(), Some(30));
        assert_eq!(q.len(), 1);
    }
}
