//! JSON text of any `Serialize` value exactly as `serde_json::to_string(&serde_json::to_value(v))`
//! writes it — every object's keys in byte order, duplicates keeping the last — without
//! building the `Value` tree. A created Service's answer went through that tree; building and
//! dropping it was a tenth of a create through the JS API (issue #14).
//!
//! Members are written as they come (`"key":value`, comma-separated); an object whose keys
//! did not come in order is put in order when it ends, by moving its members' bytes through
//! one scratch buffer. Maps (BTreeMap, Value) come sorted and are left where they are.

use serde::ser::{self, Serialize};
use serde_json::Error;
use std::borrow::Cow;

/// `serde_json::to_string(&serde_json::to_value(v)?)`, byte for byte.
pub fn to_string<T: Serialize + ?Sized>(v: &T) -> Result<String, Error> {
    let mut cx = Cx {
        out: Vec::with_capacity(1024),
        members: Vec::new(),
        scratch: Vec::new(),
    };
    v.serialize(Ser { cx: &mut cx })?;
    String::from_utf8(cx.out).map_err(ser::Error::custom)
}

/// The output and the bookkeeping every open object shares (no allocation per object).
struct Cx {
    out: Vec<u8>,
    /// Per member of the open objects, innermost last: key, and where the member's
    /// `"key":value` bytes are in `out`.
    members: Vec<(Cow<'static, str>, usize, usize)>,
    scratch: Vec<u8>,
}

fn scalar<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) -> Result<(), Error> {
    serde_json::to_writer(out, v)
}

struct Ser<'a> {
    cx: &'a mut Cx,
}

/// One object being written.
pub struct Object<'a> {
    cx: &'a mut Cx,
    /// Its first member's index in `cx.members`.
    first: usize,
    key: Option<Cow<'static, str>>,
    /// `{"variant": …}` around the object (struct variants).
    variant: bool,
}

pub struct Array<'a> {
    cx: &'a mut Cx,
    first: bool,
    /// `{"variant": …}` around the array (tuple variants).
    variant: bool,
}

fn open_variant(out: &mut Vec<u8>, variant: Option<&'static str>) -> Result<bool, Error> {
    if let Some(v) = variant {
        out.push(b'{');
        scalar(out, v)?;
        out.push(b':');
    }
    Ok(variant.is_some())
}

impl<'a> Object<'a> {
    fn new(cx: &'a mut Cx, variant: Option<&'static str>) -> Result<Object<'a>, Error> {
        let variant = open_variant(&mut cx.out, variant)?;
        cx.out.push(b'{');
        let first = cx.members.len();
        Ok(Object {
            cx,
            first,
            key: None,
            variant,
        })
    }

    fn member<T: Serialize + ?Sized>(
        &mut self,
        key: Cow<'static, str>,
        v: &T,
    ) -> Result<(), Error> {
        if self.cx.members.len() > self.first {
            self.cx.out.push(b',');
        }
        let s = self.cx.out.len();
        scalar(&mut self.cx.out, key.as_ref())?;
        self.cx.out.push(b':');
        v.serialize(Ser { cx: &mut *self.cx })?;
        let e = self.cx.out.len();
        self.cx.members.push((key, s, e));
        Ok(())
    }

    fn finish(self) -> Result<(), Error> {
        let cx = self.cx;
        let members = &mut cx.members[self.first..];
        let ordered = members.windows(2).all(|w| w[0].0 < w[1].0);
        if !ordered {
            // Stable: of equal keys the last one stays, as a Map insert keeps the last value.
            // slice::sort_by, not crate::sort (DESIGN-NOTES "Size and first paint"): this runs
            // for every struct of every answer, and crate::sort allocates an index per call.
            members.sort_by(|a, b| a.0.cmp(&b.0));
            let start = members.iter().map(|m| m.1).min().unwrap_or(cx.out.len());
            cx.scratch.clear();
            cx.scratch.extend_from_slice(&cx.out[start..]);
            cx.out.truncate(start);
            let mut first = true;
            for (i, (k, s, e)) in members.iter().enumerate() {
                if members.get(i + 1).is_some_and(|n| &n.0 == k) {
                    continue;
                }
                if !first {
                    cx.out.push(b',');
                }
                first = false;
                cx.out.extend_from_slice(&cx.scratch[s - start..e - start]);
            }
        }
        cx.members.truncate(self.first);
        cx.out.push(b'}');
        if self.variant {
            cx.out.push(b'}');
        }
        Ok(())
    }
}

impl<'a> Array<'a> {
    fn new(cx: &'a mut Cx, variant: Option<&'static str>) -> Result<Array<'a>, Error> {
        let variant = open_variant(&mut cx.out, variant)?;
        cx.out.push(b'[');
        Ok(Array {
            cx,
            first: true,
            variant,
        })
    }

    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        if !self.first {
            self.cx.out.push(b',');
        }
        self.first = false;
        v.serialize(Ser { cx: &mut *self.cx })
    }

    fn finish(self) -> Result<(), Error> {
        self.cx.out.push(b']');
        if self.variant {
            self.cx.out.push(b'}');
        }
        Ok(())
    }
}

/// A map key as a `Value` map holds it (strings as they are; numbers and bools as text).
fn key_text<T: Serialize + ?Sized>(key: &T) -> Result<String, Error> {
    key.serialize(KeyText)
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
        scalar(&mut self.cx.out, &v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        scalar(&mut self.cx.out, &v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        scalar(&mut self.cx.out, &v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        scalar(&mut self.cx.out, &v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        scalar(&mut self.cx.out, &v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        // As a Value: a Number when it fits 64 bits, else an error.
        let n = serde_json::to_value(v)?;
        scalar(&mut self.cx.out, &n)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        scalar(&mut self.cx.out, &v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        scalar(&mut self.cx.out, &v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        scalar(&mut self.cx.out, &v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        scalar(&mut self.cx.out, &v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        let n = serde_json::to_value(v)?;
        scalar(&mut self.cx.out, &n)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        // A Value holds an f32 as the f64 it widens to.
        scalar(&mut self.cx.out, &f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        scalar(&mut self.cx.out, &v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        scalar(&mut self.cx.out, &v)
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        scalar(&mut self.cx.out, v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        scalar(&mut self.cx.out, v)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.cx.out.extend_from_slice(b"null");
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
        scalar(&mut self.cx.out, v)
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
        self.cx.out.push(b'{');
        scalar(&mut self.cx.out, variant)?;
        self.cx.out.push(b':');
        v.serialize(Ser { cx: &mut *self.cx })?;
        self.cx.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Array<'a>, Error> {
        Array::new(self.cx, None)
    }
    fn serialize_tuple(self, _: usize) -> Result<Array<'a>, Error> {
        Array::new(self.cx, None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Array<'a>, Error> {
        Array::new(self.cx, None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Array<'a>, Error> {
        Array::new(self.cx, Some(variant))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'a>, Error> {
        Object::new(self.cx, None)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object<'a>, Error> {
        Object::new(self.cx, None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Object<'a>, Error> {
        Object::new(self.cx, Some(variant))
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
        self.key = Some(Cow::Owned(key_text(key)?));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("a map value without a key"))?;
        self.member(key, v)
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
        self.member(Cow::Borrowed(key), v)
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
        self.member(Cow::Borrowed(key), v)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

/// Serialises a map key to the text a `Value` map keys it by.
struct KeyText;

fn key_error() -> Error {
    ser::Error::custom("key must be a string")
}

macro_rules! key_as_text {
    ($($f:ident: $t:ty),*) => {
        $(fn $f(self, v: $t) -> Result<String, Error> {
            Ok(v.to_string())
        })*
    };
}

macro_rules! key_refused {
    ($($f:ident: $t:ty),*) => {
        $(fn $f(self, _: $t) -> Result<String, Error> {
            Err(key_error())
        })*
    };
}

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = ser::Impossible<String, Error>;
    type SerializeTuple = ser::Impossible<String, Error>;
    type SerializeTupleStruct = ser::Impossible<String, Error>;
    type SerializeTupleVariant = ser::Impossible<String, Error>;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = ser::Impossible<String, Error>;
    type SerializeStructVariant = ser::Impossible<String, Error>;

    key_as_text!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_char: char,
        serialize_str: &str);
    key_refused!(serialize_f32: f32, serialize_f64: f64, serialize_bytes: &[u8]);

    fn serialize_none(self) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        v: &'static str,
    ) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<String, Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
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
