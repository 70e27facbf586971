//! A server-side Table (meta.k8s.io Table) as kubectl holds it for printing: the column
//! definitions, and per row the cells as kubectl prints them (`%v`) plus what its
//! decorations read from the row's object (namespace, labels). Decoded straight from the
//! response bytes: a `Value` tree per row cost more than printing it (issue #14). The
//! whole object is kept only when the rows carry whole objects (`includeObject=Object`,
//! for `--sort-by`).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// A Table: `columnDefinitions` as sent (a handful of small objects), and the rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub columns: Value,
    pub rows: Vec<TableRow>,
}

/// One row of a Table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableRow {
    /// Each cell as kubectl prints it: a string as is, `<none>` for null, other values as
    /// their JSON text.
    pub cells: Vec<String>,
    /// The row object's `metadata.namespace` ("" when absent).
    pub namespace: String,
    /// The row object's `metadata.labels`.
    pub labels: Map<String, Value>,
    /// The whole object, when the rows carry whole objects.
    pub object: Option<Value>,
}

impl Table {
    /// Decodes a Table response body; `whole_objects` keeps each row's object.
    pub fn from_slice(bytes: &[u8], whole_objects: bool) -> Result<Table, serde_json::Error> {
        if whole_objects {
            let t: Wire<Value> = serde_json::from_slice(bytes)?;
            Ok(t.into_table())
        } else {
            let t: Wire<PartialObject> = serde_json::from_slice(bytes)?;
            Ok(t.into_table())
        }
    }

    /// A Table already held as JSON (the fake apiserver's, tables kubectl builds itself).
    pub fn from_value(v: &Value, whole_objects: bool) -> Table {
        let columns = v.get("columnDefinitions").cloned().unwrap_or(Value::Null);
        let rows = v
            .get("rows")
            .and_then(Value::as_array)
            .map(|rows| {
                rows.iter()
                    .map(|r| {
                        let cells = r
                            .get("cells")
                            .and_then(Value::as_array)
                            .map(|c| c.iter().map(cell_text).collect())
                            .unwrap_or_default();
                        let obj = r.get("object").cloned().unwrap_or(Value::Null);
                        row_of_object(cells, obj, whole_objects)
                    })
                    .collect()
            })
            .unwrap_or_default();
        Table { columns, rows }
    }
}

/// A row whose object is held as JSON: what the decorations read from it, and the
/// object itself when `keep`.
fn row_of_object(cells: Vec<String>, obj: Value, keep: bool) -> TableRow {
    TableRow {
        cells,
        namespace: obj
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        labels: obj
            .pointer("/metadata/labels")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
        object: keep.then_some(obj),
    }
}

/// `%v` of a cell's JSON value, as kubectl's printer writes it.
pub fn cell_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<none>".into(),
        other => other.to_string(),
    }
}

/// The Table as it comes over the wire, with the row objects as `O`.
#[derive(serde::Deserialize)]
#[serde(bound(deserialize = "O: Deserialize<'de>"))]
struct Wire<O> {
    #[serde(rename = "columnDefinitions", default)]
    columns: Value,
    #[serde(default = "Vec::new", deserialize_with = "null_as_empty")]
    rows: Vec<WireRow<O>>,
}

#[derive(serde::Deserialize)]
#[serde(bound(deserialize = "O: Deserialize<'de>"))]
struct WireRow<O> {
    #[serde(default = "Vec::new", deserialize_with = "null_as_empty")]
    cells: Vec<Cell>,
    #[serde(default)]
    object: Option<O>,
}

/// `null` where a list is expected reads as empty, as `Value::as_array` did.
fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// What the decorations read of a `PartialObjectMetadata`.
#[derive(serde::Deserialize, Default)]
struct PartialObject {
    #[serde(default)]
    metadata: Option<PartialMeta>,
}

#[derive(serde::Deserialize, Default)]
struct PartialMeta {
    #[serde(default)]
    namespace: Option<Value>,
    #[serde(default)]
    labels: Option<Value>,
}

trait RowObject: Sized {
    fn into_row(obj: Option<Self>, cells: Vec<String>) -> TableRow;
}

impl RowObject for Value {
    fn into_row(obj: Option<Self>, cells: Vec<String>) -> TableRow {
        row_of_object(cells, obj.unwrap_or(Value::Null), true)
    }
}

impl RowObject for PartialObject {
    fn into_row(obj: Option<Self>, cells: Vec<String>) -> TableRow {
        let meta = obj.and_then(|o| o.metadata).unwrap_or_default();
        TableRow {
            cells,
            namespace: match meta.namespace {
                Some(Value::String(s)) => s,
                _ => String::new(),
            },
            labels: match meta.labels {
                Some(Value::Object(m)) => m,
                _ => Map::new(),
            },
            object: None,
        }
    }
}

impl<O: RowObject> Wire<O> {
    fn into_table(self) -> Table {
        Table {
            columns: self.columns,
            rows: self
                .rows
                .into_iter()
                .map(|r| O::into_row(r.object, r.cells.into_iter().map(|c| c.0).collect()))
                .collect(),
        }
    }
}

/// A cell decoded straight to its printed text ([`cell_text`] of its value).
struct Cell(String);

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Cell, D::Error> {
        d.deserialize_any(CellVisitor)
    }
}

struct CellVisitor;

impl<'de> Visitor<'de> for CellVisitor {
    type Value = Cell;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table cell")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell, E> {
        Ok(Cell(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Cell, E> {
        Ok(Cell(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Cell, E> {
        Ok(Cell("<none>".into()))
    }
    fn visit_none<E: de::Error>(self) -> Result<Cell, E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Cell, D::Error> {
        Cell::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Cell, E> {
        Ok(Cell(cell_text(&Value::Bool(v))))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell, E> {
        Ok(Cell(cell_text(&Value::from(v))))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell, E> {
        Ok(Cell(cell_text(&Value::from(v))))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell, E> {
        Ok(Cell(cell_text(&Value::from(v))))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Cell, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element::<Value>()? {
            items.push(v);
        }
        Ok(Cell(cell_text(&Value::Array(items))))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Cell, A::Error> {
        let mut m = Map::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            m.insert(k, v);
        }
        Ok(Cell(cell_text(&Value::Object(m))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Decoding the bytes gives what reading the same Table as a `Value` gives.
    #[test]
    fn bytes_and_value_decode_alike() {
        let t = json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1",
        "columnDefinitions": [{"name": "Name", "type": "string", "format": "name", "priority": 0}],
        "rows": [
            {"cells": ["a", 3, -2, 1.5, true, null, [1, "x"], {"b": 1, "a": [null]}],
             "object": {"kind": "PartialObjectMetadata", "metadata": {"name": "a", "namespace": "ns",
                "labels": {"k": "v", "n": 1}}}},
            {"cells": [], "object": null},
            {"cells": ["only"]},
            {"cells": null, "object": {"metadata": {"namespace": 5, "labels": "x"}}},
        ]});
        let bytes = serde_json::to_vec(&t).unwrap();
        for whole in [false, true] {
            let typed = Table::from_slice(&bytes, whole).unwrap();
            let mut want = Table::from_value(&t, whole);
            if whole {
                // A missing object decodes as null either way.
                for r in &mut want.rows {
                    r.object.get_or_insert(Value::Null);
                }
            }
            assert_eq!(typed, want, "whole objects: {whole}");
        }
        let t = Table::from_slice(&bytes, false).unwrap();
        assert_eq!(
            t.rows[0].cells,
            [
                "a",
                "3",
                "-2",
                "1.5",
                "true",
                "<none>",
                r#"[1,"x"]"#,
                r#"{"a":[null],"b":1}"#
            ]
        );
        assert_eq!(t.rows[0].namespace, "ns");
        let null_columns = Table::from_slice(br#"{"columnDefinitions":null,"rows":null}"#, false);
        assert_eq!(null_columns.unwrap(), Table::default());
    }
}
