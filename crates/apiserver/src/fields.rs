//! Field selectors (`fieldSelector=`): `field=value`, `field==value`,
//! `field!=value` joined by commas, over the fields each resource supports
//! (every resource: metadata.name and metadata.namespace; Events more).

use crate::served::Storage;
use serde_json::Value;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldSelector {
    reqs: Vec<(String, bool, String)>,
}

/// The field labels a resource's field selector accepts (its AttrFunc).
fn supported(storage: Storage) -> &'static [&'static str] {
    match storage {
        Storage::CoreEvents => &[
            "metadata.name",
            "metadata.namespace",
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        Storage::Core(servicecidr_core::model::Resource::Events) => &[
            "metadata.name",
            "metadata.namespace",
            "regarding.kind",
            "regarding.namespace",
            "regarding.name",
            "regarding.uid",
            "regarding.apiVersion",
            "regarding.resourceVersion",
            "regarding.fieldPath",
            "reason",
            "reportingController",
            "type",
        ],
        _ => &["metadata.name", "metadata.namespace"],
    }
}

impl FieldSelector {
    /// fields.ParseSelector, then the resource's field label conversion
    /// (`field label not supported: …`).
    pub fn parse(s: &str, storage: Storage) -> Result<FieldSelector, String> {
        let mut reqs = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, eq, value) = if let Some((k, v)) = part.split_once("!=") {
                (k, false, v)
            } else if let Some((k, v)) = part.split_once("==") {
                (k, true, v)
            } else if let Some((k, v)) = part.split_once('=') {
                (k, true, v)
            } else {
                return Err(format!(
                    "invalid selector: '{s}'; can't understand '{part}'"
                ));
            };
            let key = key.trim();
            if !supported(storage).contains(&key) {
                return Err(format!("field label not supported: {key}"));
            }
            reqs.push((key.to_string(), eq, value.trim().to_string()));
        }
        Ok(FieldSelector { reqs })
    }

    pub fn is_empty(&self) -> bool {
        self.reqs.is_empty()
    }

    /// The object's field values as strings (absent = "").
    pub fn matches(&self, v: &Value) -> bool {
        self.reqs.iter().all(|(key, eq, want)| {
            let ptr = format!("/{}", key.replace('.', "/"));
            let got = match v.pointer(&ptr) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Object(m)) if key == "source" => m
                    .get("component")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            (got == *want) == *eq
        })
    }

    /// [`FieldSelector::matches`] on an object's typed metadata; None when a requirement
    /// names another field (only Events have others).
    pub fn matches_meta(&self, meta: &servicecidr_core::model::ObjectMeta) -> Option<bool> {
        let mut all = true;
        for (key, eq, want) in &self.reqs {
            let got = match key.as_str() {
                "metadata.name" => &meta.name,
                "metadata.namespace" => &meta.namespace,
                _ => return None,
            };
            all &= (got == want) == *eq;
        }
        Some(all)
    }

    /// The name a `metadata.name=` requirement pins, if any.
    pub fn name(&self) -> Option<&str> {
        self.reqs
            .iter()
            .find(|(k, eq, _)| k == "metadata.name" && *eq)
            .map(|(_, _, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use servicecidr_core::model::Resource;

    #[test]
    fn name_and_namespace_fields() {
        let s = Storage::Core(Resource::Services);
        let f = FieldSelector::parse("metadata.name!=a,metadata.namespace=default", s).unwrap();
        assert!(f.matches(&json!({"metadata": {"name": "b", "namespace": "default"}})));
        assert!(!f.matches(&json!({"metadata": {"name": "a", "namespace": "default"}})));
        assert_eq!(
            FieldSelector::parse("spec.type=ClusterIP", s),
            Err("field label not supported: spec.type".into())
        );
        assert_eq!(
            FieldSelector::parse("metadata.name", s),
            Err("invalid selector: 'metadata.name'; can't understand 'metadata.name'".into())
        );
        let f = FieldSelector::parse("metadata.name==x", s).unwrap();
        assert_eq!(f.name(), Some("x"));
    }

    #[test]
    fn event_fields() {
        let f = FieldSelector::parse("involvedObject.name=web,type=Warning", Storage::CoreEvents)
            .unwrap();
        assert!(f.matches(&json!({"involvedObject": {"name": "web"}, "type": "Warning"})));
        assert!(
            FieldSelector::parse("involvedObject.name=web", Storage::Core(Resource::Events))
                .is_err()
        );
    }
}
