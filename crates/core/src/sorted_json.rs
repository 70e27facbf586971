//! JSON text of any `Serialize` value with every object's keys in sorted order: the same
//! bytes as `serde_json::to_string(&serde_json::to_value(v)?)`, without building the
//! `Value` tree.
//!
//! Why: answers were built as `Value`s, whose maps sort their keys, and that order is what
//! JS callers and HTTP clients have always seen: a created Service's answer (building and
//! dropping its tree was a tenth of a create through the JS API), `list`, the apiserver's
//! Tables. Building the tree costs an allocation per key and per string, 5–10× the text
//! itself (issue #14). This writer emits the text straight from the typed
//! objects and reorders an object's members only when the type declared them out of order
//! (a struct's fields come in declaration order); a key written twice keeps its last value,
//! as a `Value` map does when `#[serde(flatten)]` repeats a field.
//!
//! Scalars go through serde_json's own serializer, so escaping and number formatting are
//! serde_json's; the few places where `to_value` differs from `to_string` are copied here:
//! an `f32` is widened to `f64` first, 128-bit integers must fit 64 bits, and map keys
//! may be strings, chars, bools, integers or finite floats (written as their text).

use serde::ser::{self, Error as _, Serialize};
use std::ops::Range;

/// `serde_json::to_string(&serde_json::to_value(v)?)`, without the `Value`.
pub fn to_string<T: Serialize + ?Sized>(v: &T) -> Result<String, serde_json::Error> {
    let mut w = Writer::with_capacity(1024);
    w.push(v)?;
    Ok(w.into_string())
}

/// `serde_json::to_vec(&serde_json::to_value(v)?)`, without the `Value`.
pub fn to_vec<T: Serialize + ?Sized>(v: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut w = Writer::default();
    w.push(v)?;
    Ok(w.out)
}

/// A growing JSON text: write values one after another (callers add the punctuation
/// between them with [`Writer::raw`]). Reuses its scratch space across values.
#[derive(Default)]
pub struct Writer {
    out: Vec<u8>,
    /// Members of the objects being written, innermost last.
    members: Vec<Member>,
    /// Their keys, as plain text (what they sort by).
    keys: String,
    /// Where an out-of-order object's members are copied while it is rewritten.
    tmp: Vec<u8>,
    order: Vec<usize>,
}

struct Member {
    key: Key,
    /// `"key":value` in `out`.
    text: Range<usize>,
}

/// A member's key: a struct field's name, or a map key's text in `Writer::keys`.
#[derive(Clone)]
enum Key {
    Field(&'static str),
    Map(Range<usize>),
}

impl Key {
    fn text<'k>(&'k self, keys: &'k str) -> &'k str {
        match self {
            Key::Field(k) => k,
            Key::Map(r) => keys.get(r.clone()).unwrap_or(""),
        }
    }
}

impl Writer {
    pub fn with_capacity(bytes: usize) -> Writer {
        Writer {
            out: Vec::with_capacity(bytes),
            ..Writer::default()
        }
    }

    /// Appends `v` as sorted-key JSON. On an error the text written so far is unspecified.
    pub fn push<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), serde_json::Error> {
        v.serialize(&mut *self)
    }

    /// Appends text as it is (punctuation, or JSON the caller knows to be sorted).
    pub fn raw(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    pub fn len(&self) -> usize {
        self.out.len()
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// Drops what was written after `len` (a length taken between top-level values, e.g.
    /// before a value whose serialisation failed half way).
    pub fn truncate(&mut self, len: usize) {
        self.out.truncate(len);
        self.members.clear();
        self.keys.clear();
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    pub fn into_string(self) -> String {
        // Only serde_json's output and the callers' `&str`s are ever written.
        String::from_utf8(self.out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    }

    fn scalar<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), serde_json::Error> {
        v.serialize(&mut serde_json::Serializer::new(&mut self.out))
    }

    /// A JSON string. Most strings of an object (names, IPs, timestamps, keys) need no
    /// escape and are copied as they are (serde_json's escaping loop was a third of a
    /// list); the others go through serde_json's escaping.
    fn string(&mut self, s: &str) {
        if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            self.out.reserve(s.len() + 2);
            self.out.push(b'"');
            self.out.extend_from_slice(s.as_bytes());
            self.out.push(b'"');
        } else {
            // Writing a str to a Vec cannot fail.
            let _ = self.scalar(s);
        }
    }

    fn begin_object(&mut self) -> Object<'_> {
        self.out.push(b'{');
        Object {
            members: self.members.len(),
            keys: self.keys.len(),
            body: self.out.len(),
            pending: None,
            close_variant: false,
            w: self,
        }
    }
}

/// An object being written: its members go out in the order they come, and `end` puts
/// them in key order if they were not.
pub struct Object<'a> {
    w: &'a mut Writer,
    members: usize,
    keys: usize,
    body: usize,
    /// A map entry whose key is written and whose value is not yet.
    pending: Option<(Key, usize)>,
    /// A struct variant's object, inside `{"Variant":`, which its end closes too.
    close_variant: bool,
}

impl Object<'_> {
    /// Writes `"key":` (after a comma unless first). A map key's text is kept in
    /// `Writer::keys` for the sort ([`Object::map_key`]); a field's name is `'static`.
    fn key(&mut self, key: Key, text: &str) -> (Key, usize) {
        if self.w.members.len() > self.members {
            self.w.out.push(b',');
        }
        let start = self.w.out.len();
        self.w.string(text);
        self.w.out.push(b':');
        (key, start)
    }

    fn map_key(&mut self, text: &str) -> (Key, usize) {
        let k = self.w.keys.len()..self.w.keys.len() + text.len();
        self.w.keys.push_str(text);
        self.key(Key::Map(k), text)
    }

    fn value<T: Serialize + ?Sized>(
        &mut self,
        (key, start): (Key, usize),
        v: &T,
    ) -> Result<(), serde_json::Error> {
        v.serialize(&mut *self.w)?;
        let text = start..self.w.out.len();
        self.w.members.push(Member { key, text });
        Ok(())
    }

    fn member<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), serde_json::Error> {
        let k = self.key(Key::Field(key), key);
        self.value(k, v)
    }

    fn finish(self) {
        let w = self.w;
        let members = &w.members[self.members..];
        let keys = w.keys.as_str();
        let in_order = members
            .windows(2)
            .all(|p| p[0].key.text(keys) < p[1].key.text(keys));
        if !in_order {
            // Stable insertion sort of the (few) members by key, then the last of equal keys.
            w.order.clear();
            for i in 0..members.len() {
                let mut j = w.order.len();
                while j > 0 && members[w.order[j - 1]].key.text(keys) > members[i].key.text(keys) {
                    j -= 1;
                }
                w.order.insert(j, i);
            }
            w.tmp.clear();
            w.tmp.extend_from_slice(&w.out[self.body..]);
            w.out.truncate(self.body);
            let mut first = true;
            for (n, &i) in w.order.iter().enumerate() {
                let next_same = w
                    .order
                    .get(n + 1)
                    .is_some_and(|&j| members[j].key.text(keys) == members[i].key.text(keys));
                if next_same {
                    continue;
                }
                if !first {
                    w.out.push(b',');
                }
                first = false;
                let t = &members[i].text;
                w.out
                    .extend_from_slice(&w.tmp[t.start - self.body..t.end - self.body]);
            }
        }
        w.out.push(b'}');
        if self.close_variant {
            w.out.push(b'}');
        }
        w.members.truncate(self.members);
        w.keys.truncate(self.keys);
    }
}

/// An array being written.
pub struct Array<'a> {
    w: &'a mut Writer,
    first: bool,
}

impl Array<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), serde_json::Error> {
        if !self.first {
            self.w.out.push(b',');
        }
        self.first = false;
        v.serialize(&mut *self.w)
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = Array<'a>;
    type SerializeTuple = Array<'a>;
    type SerializeTupleStruct = Array<'a>;
    type SerializeTupleVariant = Array<'a>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Object<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), serde_json::Error> {
        self.scalar(&v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), serde_json::Error> {
        self.scalar(&v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), serde_json::Error> {
        self.scalar(&v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), serde_json::Error> {
        self.scalar(&v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), serde_json::Error> {
        self.scalar(&v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), serde_json::Error> {
        match (u64::try_from(v), i64::try_from(v)) {
            (Ok(u), _) => self.scalar(&u),
            (_, Ok(i)) => self.scalar(&i),
            _ => Err(serde_json::Error::custom("number out of range")),
        }
    }
    fn serialize_u8(self, v: u8) -> Result<(), serde_json::Error> {
        self.scalar(&v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), serde_json::Error> {
        self.scalar(&v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), serde_json::Error> {
        self.scalar(&v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), serde_json::Error> {
        self.scalar(&v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), serde_json::Error> {
        match u64::try_from(v) {
            Ok(u) => self.scalar(&u),
            Err(_) => Err(serde_json::Error::custom("number out of range")),
        }
    }
    fn serialize_f32(self, v: f32) -> Result<(), serde_json::Error> {
        // `Value::from(f32)` widens first: 0.1f32 prints as 0.10000000149011612.
        self.scalar(&f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), serde_json::Error> {
        self.scalar(&v)
    }
    fn serialize_char(self, v: char) -> Result<(), serde_json::Error> {
        self.scalar(&v)
    }
    fn serialize_str(self, v: &str) -> Result<(), serde_json::Error> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), serde_json::Error> {
        self.scalar(v)
    }
    fn serialize_none(self) -> Result<(), serde_json::Error> {
        self.raw("null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), serde_json::Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), serde_json::Error> {
        self.raw("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), serde_json::Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), serde_json::Error> {
        self.scalar(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), serde_json::Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), serde_json::Error> {
        let mut o = self.begin_object();
        o.member(variant, v)?;
        o.finish();
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Array<'a>, serde_json::Error> {
        self.out.push(b'[');
        Ok(Array {
            w: self,
            first: true,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Array<'a>, serde_json::Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Array<'a>, serde_json::Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Array<'a>, serde_json::Error> {
        // `{"Variant":[` now; the array's `end` closes both (a single-key object needs no sort).
        self.out.push(b'{');
        self.scalar(variant)?;
        self.out.extend_from_slice(b":[");
        Ok(Array {
            w: self,
            first: true,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'a>, serde_json::Error> {
        Ok(self.begin_object())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object<'a>, serde_json::Error> {
        Ok(self.begin_object())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Object<'a>, serde_json::Error> {
        // `{"Variant":` now; the inner object's `end` closes the outer one too.
        self.out.push(b'{');
        self.scalar(variant)?;
        self.out.push(b':');
        Ok(self.begin_object())
    }
}

impl ser::SerializeSeq for Array<'_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), serde_json::Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), serde_json::Error> {
        self.w.out.push(b']');
        Ok(())
    }
}

impl ser::SerializeTuple for Array<'_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), serde_json::Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), serde_json::Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Array<'_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), serde_json::Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), serde_json::Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Array<'_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), serde_json::Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), serde_json::Error> {
        self.w.out.extend_from_slice(b"]}");
        Ok(())
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), serde_json::Error> {
        let text = key.serialize(MapKey)?;
        self.pending = Some(self.map_key(&text));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), serde_json::Error> {
        let k = self.pending.take().ok_or_else(|| {
            serde_json::Error::custom("serialize_value called before serialize_key")
        })?;
        self.value(k, v)
    }
    fn end(self) -> Result<(), serde_json::Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), serde_json::Error> {
        self.member(key, v)
    }
    fn end(self) -> Result<(), serde_json::Error> {
        self.finish();
        Ok(())
    }
}

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), serde_json::Error> {
        self.member(key, v)
    }
    fn end(mut self) -> Result<(), serde_json::Error> {
        self.close_variant = true;
        self.finish();
        Ok(())
    }
}

/// A map key as `Value`'s map serializer takes it: its text.
struct MapKey;

fn key_must_be_a_string() -> serde_json::Error {
    serde_json::Error::custom("key must be a string")
}

impl ser::Serializer for MapKey {
    type Ok = String;
    type Error = serde_json::Error;
    type SerializeSeq = ser::Impossible<String, serde_json::Error>;
    type SerializeTuple = ser::Impossible<String, serde_json::Error>;
    type SerializeTupleStruct = ser::Impossible<String, serde_json::Error>;
    type SerializeTupleVariant = ser::Impossible<String, serde_json::Error>;
    type SerializeMap = ser::Impossible<String, serde_json::Error>;
    type SerializeStruct = ser::Impossible<String, serde_json::Error>;
    type SerializeStructVariant = ser::Impossible<String, serde_json::Error>;

    fn serialize_bool(self, v: bool) -> Result<String, serde_json::Error> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, serde_json::Error> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, serde_json::Error> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, serde_json::Error> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, serde_json::Error> {
        Ok(v.to_string())
    }
    fn serialize_i128(self, v: i128) -> Result<String, serde_json::Error> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, serde_json::Error> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, serde_json::Error> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, serde_json::Error> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, serde_json::Error> {
        Ok(v.to_string())
    }
    fn serialize_u128(self, v: u128) -> Result<String, serde_json::Error> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, v: f32) -> Result<String, serde_json::Error> {
        // Value's key text for a float is serde_json's own number text.
        if v.is_finite() {
            serde_json::to_string(&v)
        } else {
            Err(serde_json::Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ))
        }
    }
    fn serialize_f64(self, v: f64) -> Result<String, serde_json::Error> {
        if v.is_finite() {
            serde_json::to_string(&v)
        } else {
            Err(serde_json::Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ))
        }
    }
    fn serialize_char(self, v: char) -> Result<String, serde_json::Error> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String, serde_json::Error> {
        Ok(v.to_string())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, serde_json::Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<String, serde_json::Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, serde_json::Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<String, serde_json::Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, serde_json::Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, serde_json::Error> {
        Ok(variant.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<String, serde_json::Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, serde_json::Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, serde_json::Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, serde_json::Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, serde_json::Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, serde_json::Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, serde_json::Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, serde_json::Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, serde_json::Error> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IPAddress, Service, ServiceCIDR};
    use serde::Serialize;
    use serde_json::{json, Value};
    use std::collections::BTreeMap;

    /// What the writer must equal: the text of the `Value` tree.
    fn via_value<T: Serialize>(v: &T) -> String {
        serde_json::to_string(&serde_json::to_value(v).unwrap()).unwrap()
    }

    fn same<T: Serialize>(v: &T) {
        assert_eq!(to_string(v).unwrap(), via_value(v));
        assert_eq!(to_vec(v).unwrap(), via_value(v).into_bytes());
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    enum E {
        Unit,
        New(u8),
        Tuple(i32, String),
        Struct { z: u8, a: Option<u8> },
    }

    #[derive(Serialize)]
    struct Unsorted {
        zeta: u32,
        alpha: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        mid: Vec<E>,
        nested: Inner,
        #[serde(flatten)]
        extra: BTreeMap<String, Value>,
    }

    #[derive(Serialize)]
    struct Inner {
        b: f32,
        a: f64,
        c: (i128, u128),
        bytes: serde_bytes_like::Bytes,
        unit: (),
        ch: char,
    }

    mod serde_bytes_like {
        pub struct Bytes(pub Vec<u8>);
        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.0)
            }
        }
    }

    #[test]
    fn equals_the_value_text_for_every_shape() {
        let mut extra = BTreeMap::new();
        extra.insert(
            "beta".to_string(),
            json!({"y": [1, {"b": 2, "a": "é\n\"x\""}], "x": null}),
        );
        // A flattened key that repeats a field: the Value keeps the later one.
        extra.insert("zeta".to_string(), json!("from extra"));
        // Keys and strings that need escaping, and one just above the control characters.
        extra.insert(
            "q\"k\\\u{7f}".to_string(),
            json!(["\u{1f}", " ~\u{7f}\u{80}", "\\"]),
        );
        let v = Unsorted {
            zeta: 7,
            alpha: "a\u{1}b",
            skipped: None,
            mid: vec![
                E::Unit,
                E::New(3),
                E::Tuple(-1, "t".into()),
                E::Struct { z: 1, a: None },
            ],
            nested: Inner {
                b: 0.1,
                a: f64::NAN,
                c: (-5, 6),
                bytes: serde_bytes_like::Bytes(vec![0, 255]),
                unit: (),
                ch: '∂',
            },
            extra,
        };
        same(&v);
        let keys: BTreeMap<i32, bool> = [(10, true), (-2, false), (3, true)].into();
        same(&keys);
        let keys: BTreeMap<bool, u8> = [(true, 1), (false, 0)].into();
        same(&keys);
        same(&json!({"b": [], "a": {}, "c": [[], {}]}));
        same(&Vec::<u8>::new());
        same(&Option::<String>::None);
    }

    #[test]
    fn big_integers_fail_as_the_value_does() {
        assert!(to_string(&(u64::MAX as u128 + 1)).is_err());
        assert!(serde_json::to_value(u64::MAX as u128 + 1).is_err());
        assert!(to_string(&(i64::MIN as i128 - 1)).is_err());
        let bad: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
        assert!(to_string(&bad).is_err() && serde_json::to_value(&bad).is_err());
    }

    #[test]
    fn the_stored_kinds_as_a_cluster_holds_them() {
        let mut c = crate::Cluster::new(crate::ClusterOptions {
            seed: Some(1.0),
            now: Some(json!("2024-01-01T00:00:00Z")),
            ..Default::default()
        })
        .unwrap();
        c.create(json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web", "namespace": "default", "labels": {"b": "2", "a": "1"},
                "annotations": {"z": "", "k": "v"}, "finalizers": ["x/y"]},
            "spec": {"type": "NodePort", "selector": {"app": "web"}, "sessionAffinity": "ClientIP",
                "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}},
                "externalIPs": ["1.2.3.4"], "trafficDistribution": "PreferClose",
                "ports": [{"name": "http", "port": 80, "targetPort": "web", "appProtocol": "http"}]}}))
            .unwrap();
        let services = c.list("services", None).unwrap();
        assert!(services.len() >= 2);
        for s in &services {
            let typed: Service = serde_json::from_value(s.clone()).unwrap();
            same(&typed);
            assert_eq!(to_string(&typed).unwrap(), s.to_string());
        }
        for s in c.list("ipaddresses", None).unwrap() {
            same(&serde_json::from_value::<IPAddress>(s).unwrap());
        }
        for s in c.list("servicecidrs", None).unwrap() {
            same(&serde_json::from_value::<ServiceCIDR>(s).unwrap());
        }
    }

    proptest::proptest! {
        /// Any Service a client could send (unknown spec fields kept in `extra`) writes as
        /// its Value does.
        #[test]
        fn services_with_arbitrary_extra_fields(
            extra in proptest::collection::btree_map("[a-zA-Z]{1,12}", "[ -~]{0,8}", 0..6),
            labels in proptest::collection::btree_map("[a-z./]{1,10}", "[a-z]{0,5}", 0..4),
            ports in proptest::collection::vec((1i32..65535, proptest::option::of(30000i32..32767)), 0..3),
        ) {
            let mut spec = json!({"type": "ClusterIP", "clusterIPs": ["10.0.0.1"],
                "ports": ports.iter().map(|(p, n)| json!({"port": p, "nodePort": n, "protocol": "TCP"})).collect::<Vec<_>>()});
            for (k, v) in &extra {
                spec[k] = json!(v);
            }
            let obj = json!({"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "s", "namespace": "default", "labels": labels}, "spec": spec});
            if let Ok(s) = serde_json::from_value::<Service>(obj) {
                proptest::prop_assert_eq!(to_string(&s).unwrap(), via_value(&s));
            }
        }
    }
}

/// The create path's tests of this writer (written with its first version on perf-create).
#[cfg(test)]
mod create_path_tests {
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
