//! The cluster's one PRNG: xoshiro256** seeded through SplitMix64. Its whole
//! state is four words, so snapshots carry it and a restored cluster draws the
//! same numbers the original would have.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rng {
    /// Serialised as decimal strings: JS numbers cannot hold 64 bits.
    #[serde(with = "u64_strings")]
    s: [u64; 4],
}

impl Rng {
    pub fn from_seed(seed: u64) -> Rng {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, n) without modulo bias (Lemire's method); 0 when n == 0.
    pub fn below_u64(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        loop {
            let m = (self.next_u64() as u128) * (n as u128);
            let lo = m as u64;
            if lo >= n.wrapping_neg() % n {
                return (m >> 64) as u64;
            }
        }
    }

    /// Uniform in [0, n) for n up to 2^128 - 1.
    pub fn below_u128(&mut self, n: u128) -> u128 {
        if n <= u64::MAX as u128 {
            return self.below_u64(n as u64) as u128;
        }
        // Rejection sampling on the smallest covering power of two.
        let bits = 128 - (n - 1).leading_zeros();
        let mask = if bits == 128 {
            u128::MAX
        } else {
            (1u128 << bits) - 1
        };
        loop {
            let v = (((self.next_u64() as u128) << 64) | self.next_u64() as u128) & mask;
            if v < n {
                return v;
            }
        }
    }

    /// Fisher-Yates shuffle: Go's map iteration order, made reproducible.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below_u64(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }

    /// A random (version 4) UUID, as the apiserver assigns to metadata.uid.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        uuid_from_words(a, b)
    }

    /// Five characters from the apiserver's generateName alphabet (no vowels, no
    /// look-alikes), as `names.SimpleNameGenerator` appends.
    pub fn name_suffix(&mut self) -> String {
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..5)
            .map(|_| ALPHABET[self.below_u64(ALPHABET.len() as u64) as usize] as char)
            .collect()
    }
}

/// The v4 UUID text `Rng::uuid` makes of two drawn words (lower-case hex, 8-4-4-4-12),
/// written without a formatter: uids are made on every write (issue #14).
pub fn uuid_from_words(a: u64, b: u64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_be_bytes());
    bytes[8..].copy_from_slice(&b.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[usize::from(byte >> 4)] as char);
        out.push(HEX[usize::from(byte & 0xf)] as char);
    }
    out
}

mod u64_strings {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &[u64; 4], s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(4))?;
        for x in v {
            seq.serialize_element(&x.to_string())?;
        }
        seq.end()
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u64; 4], D::Error> {
        let v: Vec<String> = Vec::deserialize(d)?;
        if v.len() != 4 {
            return Err(D::Error::custom("rng state must have 4 words"));
        }
        let mut out = [0u64; 4];
        for (o, s) in out.iter_mut().zip(v) {
            *o = s.parse().map_err(D::Error::custom)?;
        }
        if out == [0; 4] {
            return Err(D::Error::custom("rng state must not be all zero"));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn same_seed_same_stream_and_state_round_trips() {
        let mut a = Rng::from_seed(42);
        let mut b = Rng::from_seed(42);
        for _ in 0..10 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let json = serde_json::to_string(&a).unwrap();
        let mut c: Rng = serde_json::from_str(&json).unwrap();
        assert_eq!(a.next_u64(), c.next_u64());
        assert!(a.below_u64(7) < 7);
        assert!(a.below_u128(u128::MAX) < u128::MAX);
        assert_eq!(a.uuid().len(), 36);
        // The text of two known words, checked by hand: version 4, variant 10.
        assert_eq!(
            uuid_from_words(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210),
            "01234567-89ab-4def-bedc-ba9876543210"
        );
    }
}
