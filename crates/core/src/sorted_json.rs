//! JSON text of any `Serialize` value exactly as `serde_json::to_string(&serde_json::to_value(v))`
//! writes it — every object's keys in byte order, duplicates keeping the last — without
//! building the `Value` tree. A created Service's answer went through that tree; building and
//! dropping it was a tenth of a create through the JS API (issue #14).
//!
//! Values are written in the order they come; an object's members are put in key order when
//! the object ends, by moving the bytes of its members (one buffer per object).

use serde::ser::{self, Serialize};
use serde_json::Error;

/// `serde_json::to_string(&serde_json::to_value(v)?)`, byte for byte.
pub fn to_string<T: Serialize + ?Sized>(v: &T) -> Result<String, Error> {
    let mut out = Vec::with_capacity(1024);
    v.serialize(Ser { out: &mut out })?;
    String::from_utf8(out).map_err(ser::Error::custom)
}

fn scalar<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) -> Result<(), Error> {
    serde_json::to_writer(out, v)
}

struct Ser<'a> {
    out: &'a mut Vec<u8>,
}

/// The members of one object being written: key, and where its value's bytes are.
pub struct Object<'a> {
    out: &'a mut Vec<u8>,
    start: usize,
    members: Vec<(String, usize, usize)>,
    key: Option<String>,
    /// `{"variant": …}` around the object (struct variants).
    variant: Option<&'static str>,
}

pub struct Array<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
    /// `{"variant": …}` around the array (tuple variants).
    variant: bool,
}

impl<'a> Object<'a> {
    fn new(out: &'a mut Vec<u8>, variant: Option<&'static str>) -> Object<'a> {
        if let Some(v) = variant {
            out.push(b'{');
            let _ = scalar(out, v);
            out.push(b':');
        }
        let start = out.len();
        Object {
            out,
            start,
            members: Vec::new(),
            key: None,
            variant,
        }
    }

    fn value<T: Serialize + ?Sized>(&mut self, key: String, v: &T) -> Result<(), Error> {
        let s = self.out.len();
        v.serialize(Ser {
            out: &mut *self.out,
        })?;
        let e = self.out.len();
        self.members.push((key, s, e));
        Ok(())
    }

    fn finish(mut self) -> Result<(), Error> {
        let raw = self.out.split_off(self.start);
        // Stable: of equal keys the last one stays, as a Map insert keeps the last value.
        self.members.sort_by(|a, b| a.0.cmp(&b.0));
        self.out.push(b'{');
        let mut first = true;
        for (i, (k, s, e)) in self.members.iter().enumerate() {
            if self.members.get(i + 1).is_some_and(|n| &n.0 == k) {
                continue;
            }
            if !first {
                self.out.push(b',');
            }
            first = false;
            scalar(self.out, k.as_str())?;
            self.out.push(b':');
            self.out
                .extend_from_slice(&raw[s - self.start..e - self.start]);
        }
        self.out.push(b'}');
        if self.variant.is_some() {
            self.out.push(b'}');
        }
        Ok(())
    }
}

impl<'a> Array<'a> {
    fn new(out: &'a mut Vec<u8>, variant: Option<&'static str>) -> Array<'a> {
        if let Some(v) = variant {
            out.push(b'{');
            let _ = scalar(out, v);
            out.push(b':');
        }
        out.push(b'[');
        Array {
            out,
            first: true,
            variant: variant.is_some(),
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        v.serialize(Ser {
            out: &mut *self.out,
        })
    }

    fn finish(self) -> Result<(), Error> {
        self.out.push(b']');
        if self.variant {
            self.out.push(b'}');
        }
        Ok(())
    }
}

/// A map key as a `Value` map holds it (strings as they are; numbers and bools as text).
fn key_text<T: Serialize + ?Sized>(key: &T) -> Result<String, Error> {
    match serde_json::to_value(key)? {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        serde_json::Value::Bool(b) => Ok(b.to_string()),
        _ => Err(ser::Error::custom("key must be a string")),
    }
}

impl<'a> ser::Serializer for Ser<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Array<'a>;
    type SerializeTuple = Array<'a>;
    type SerializeTupleStruct = Array<'a>;
    type SerializeTupleVariant = Array<'a>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Object<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        scalar(self.out, &v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        scalar(self.out, &v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        scalar(self.out, &v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        scalar(self.out, &v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        scalar(self.out, &v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        // As a Value: a Number when it fits 64 bits, else an error.
        let n = serde_json::to_value(v)?;
        scalar(self.out, &n)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        scalar(self.out, &v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        scalar(self.out, &v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        scalar(self.out, &v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        scalar(self.out, &v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        let n = serde_json::to_value(v)?;
        scalar(self.out, &n)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        // A Value holds an f32 as the f64 it widens to.
        scalar(self.out, &f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        scalar(self.out, &v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        scalar(self.out, &v)
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        scalar(self.out, v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        scalar(self.out, v)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Error> {
        scalar(self.out, v)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.out.push(b'{');
        scalar(self.out, variant)?;
        self.out.push(b':');
        v.serialize(Ser {
            out: &mut *self.out,
        })?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Array<'a>, Error> {
        Ok(Array::new(self.out, None))
    }
    fn serialize_tuple(self, _: usize) -> Result<Array<'a>, Error> {
        Ok(Array::new(self.out, None))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Array<'a>, Error> {
        Ok(Array::new(self.out, None))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Array<'a>, Error> {
        Ok(Array::new(self.out, Some(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'a>, Error> {
        Ok(Object::new(self.out, None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object<'a>, Error> {
        Ok(Object::new(self.out, None))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Object<'a>, Error> {
        Ok(Object::new(self.out, Some(variant)))
    }
}

impl ser::SerializeSeq for Array<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTuple for Array<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Array<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Array<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key_text(key)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("a map value without a key"))?;
        self.value(key, v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.value(key.to_string(), v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.value(key.to_string(), v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn same<T: Serialize>(v: &T) {
        let want = serde_json::to_string(&serde_json::to_value(v).unwrap()).unwrap();
        assert_eq!(to_string(v).unwrap(), want);
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Inner {
        zeta: Option<u32>,
        alpha: Vec<f32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        gone: Option<String>,
        #[serde(flatten)]
        extra: BTreeMap<String, serde_json::Value>,
    }

    #[derive(Serialize)]
    enum E {
        Unit,
        New(i64),
        Tuple(u8, String),
        Struct { b: bool, a: char },
    }

    #[derive(Serialize)]
    struct Outer {
        z: Inner,
        m: BTreeMap<u32, &'static str>,
        e: Vec<E>,
        f: (f64, f64, f64),
        s: &'static str,
        u: (),
        big: u64,
        neg: i64,
    }

    /// Keys sort at every depth (struct fields, flattened maps, maps with number
    /// keys), and scalars, escapes, variants and non-finite floats read as a Value has them.
    #[test]
    fn writes_what_a_value_writes() {
        let mut extra = BTreeMap::new();
        extra.insert(
            "middle".to_string(),
            json!({"y": [1, {"b": 2, "a": null}], "x": "\u{1}\"é"}),
        );
        extra.insert("aardvark".to_string(), json!(1.5));
        let v = Outer {
            z: Inner {
                zeta: None,
                alpha: vec![0.1, 2.0],
                gone: None,
                extra,
            },
            m: [(10, "ten"), (9, "nine")].into_iter().collect(),
            e: vec![
                E::Unit,
                E::New(-3),
                E::Tuple(1, "t".into()),
                E::Struct { b: true, a: 'q' },
            ],
            f: (f64::NAN, 1e300, -0.0),
            s: "line\nbreak\t\\",
            u: (),
            big: u64::MAX,
            neg: i64::MIN,
        };
        same(&v);
        same(&json!({"b": {}, "a": [], "c": [[]]}));
    }

    /// A flattened map that repeats a field keeps the last value, as a Map insert does.
    #[test]
    fn a_repeated_key_keeps_the_last_value() {
        #[derive(Serialize)]
        struct Dup {
            a: u8,
            #[serde(flatten)]
            rest: BTreeMap<String, u8>,
        }
        let v = Dup {
            a: 1,
            rest: [("a".to_string(), 2), ("b".to_string(), 3)]
                .into_iter()
                .collect(),
        };
        same(&v);
    }
}
