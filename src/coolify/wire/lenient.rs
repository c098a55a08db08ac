//! Deserializers that accept what Laravel may send for a field and never fail a whole
//! payload over one odd value. Each reads the value straight from the parser (no
//! intermediate `serde_json::Value`); a value of an unexpected shape is skipped and read
//! as absent.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use jiff::Timestamp;
use serde::{Deserialize, Deserializer};

/// How [`list`] reads its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Straight into the item type; an item that does not fit fails the whole read
    /// (and [`super::from_slice`] then reads again, forgiving).
    Fast,
    /// Each item through a `Value` first, so one that does not fit is skipped. The
    /// default, for wire types decoded directly with `serde_json`.
    Forgiving,
}

thread_local! {
    static MODE: Cell<Mode> = const { Cell::new(Mode::Forgiving) };
}

impl Mode {
    /// Run a decode with lists in this mode (restored afterwards).
    pub fn run<R>(self, f: impl FnOnce() -> R) -> R {
        struct Restore(Mode);
        impl Drop for Restore {
            fn drop(&mut self) {
                MODE.with(|m| m.set(self.0));
            }
        }
        let _restore = Restore(MODE.with(|m| m.replace(self)));
        f()
    }

    fn current() -> Mode {
        MODE.with(Cell::get)
    }
}

/// A visitor that maps each JSON shape to `Option<T>`; shapes it has no rule for are
/// skipped (arrays and objects drained) and read as `None`.
trait Shapes<'de>: Sized {
    type Out;
    const EXPECTING: &'static str;
    fn string(self, _v: &str) -> Option<Self::Out> {
        None
    }
    fn unsigned(self, _v: u64) -> Option<Self::Out> {
        None
    }
    fn signed(self, v: i64) -> Option<Self::Out> {
        match u64::try_from(v) {
            Ok(u) => self.unsigned(u),
            Err(_) => self.negative(v),
        }
    }
    fn negative(self, _v: i64) -> Option<Self::Out> {
        None
    }
    fn float(self, _v: f64) -> Option<Self::Out> {
        None
    }
    fn boolean(self, _v: bool) -> Option<Self::Out> {
        None
    }
}

struct Any<S>(S);

impl<'de, S: Shapes<'de>> Visitor<'de> for Any<S> {
    type Value = Option<S::Out>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(S::EXPECTING)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.string(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(self.0.unsigned(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(self.0.signed(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(self.0.float(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(self.0.boolean(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

struct Text;
impl Shapes<'_> for Text {
    type Out = String;
    const EXPECTING: &'static str = "a string";
    fn string(self, v: &str) -> Option<String> {
        Some(v.to_string())
    }
    fn unsigned(self, v: u64) -> Option<String> {
        Some(v.to_string())
    }
    fn negative(self, v: i64) -> Option<String> {
        Some(v.to_string())
    }
    fn float(self, v: f64) -> Option<String> {
        // As `serde_json::Number` prints it (`1.0`, not `1`).
        serde_json::Number::from_f64(v).map(|n| n.to_string())
    }
    fn boolean(self, v: bool) -> Option<String> {
        Some(v.to_string())
    }
}

struct Id;
impl Shapes<'_> for Id {
    type Out = u64;
    const EXPECTING: &'static str = "an id";
    fn string(self, v: &str) -> Option<u64> {
        v.trim().parse().ok()
    }
    fn unsigned(self, v: u64) -> Option<u64> {
        Some(v)
    }
}

struct Flag;
impl Shapes<'_> for Flag {
    type Out = bool;
    const EXPECTING: &'static str = "a flag";
    fn string(self, v: &str) -> Option<bool> {
        match v.trim() {
            "1" | "true" => Some(true),
            "0" | "false" | "" => Some(false),
            _ => None,
        }
    }
    fn unsigned(self, v: u64) -> Option<bool> {
        i64::try_from(v).ok().map(|n| n != 0)
    }
    fn negative(self, _v: i64) -> Option<bool> {
        Some(true)
    }
    fn boolean(self, v: bool) -> Option<bool> {
        Some(v)
    }
}

struct Stamp;
impl Shapes<'_> for Stamp {
    type Out = Timestamp;
    const EXPECTING: &'static str = "a timestamp";
    fn string(self, v: &str) -> Option<Timestamp> {
        parse_timestamp(v)
    }
}

pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(Any(Text))
}

/// A value whose absence and `null` mean different things (a deployment's `logs`): with
/// `#[serde(default)]`, `None` when the key is missing, `Some(None)` for `null`, else the
/// value's text: a string's content, any other value as the JSON it was sent as (so that
/// reading it later says what it is).
pub fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(match Value::deserialize(d)? {
        Value::Null => None,
        Value::String(text) => Some(text),
        other => Some(other.to_string()),
    }))
}

pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    d.deserialize_any(Any(Id))
}

pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    d.deserialize_any(Any(Flag))
}

pub fn timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    d.deserialize_any(Any(Stamp))
}

/// RFC 3339 (`2026-08-22T10:11:12.123456Z`), or Laravel's `2026-08-22 10:11:12` (UTC).
pub fn parse_timestamp(raw: &str) -> Option<Timestamp> {
    raw.parse().ok().or_else(|| {
        let civil: jiff::civil::DateTime = raw.trim().parse().ok()?;
        jiff::tz::TimeZone::UTC.to_timestamp(civil).ok()
    })
}

/// A list whose items are each read leniently; items that do not fit are skipped (in
/// [`Mode::Forgiving`]), and `null` or a non-list is an empty list.
pub fn list<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    items(d, false)
}

/// A list read like [`list`], told apart from a missing key (`None`, with
/// `#[serde(default)]`).
pub fn listed<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    items(d, false).map(Some)
}

/// The items of a list; with `only_lists`, anything but a list is an error instead of
/// an empty list.
pub fn items<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
    d: D,
    only_lists: bool,
) -> Result<Vec<T>, D::Error> {
    struct Items<T>(PhantomData<T>);
    impl<'de, T: serde::de::DeserializeOwned> Visitor<'de> for Items<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            match Mode::current() {
                Mode::Fast => {
                    while let Some(item) = seq.next_element::<Owned<T>>()? {
                        out.push(item.0);
                    }
                }
                Mode::Forgiving => {
                    while let Some(item) = seq.next_element::<Value>()? {
                        match serde_json::from_value(item) {
                            Ok(v) => out.push(v),
                            Err(err) => tracing::warn!(
                                %err,
                                "skipping an item Coolify sent that does not fit"
                            ),
                        }
                    }
                }
            }
            Ok(out)
        }
    }
    /// Anything else: an empty list.
    struct OrEmpty<T>(Items<T>);
    impl<'de, T: serde::de::DeserializeOwned> Visitor<'de> for OrEmpty<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
            self.0.visit_seq(seq)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_str<E: de::Error>(self, _v: &str) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_u64<E: de::Error>(self, _v: u64) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_i64<E: de::Error>(self, _v: i64) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_f64<E: de::Error>(self, _v: f64) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_bool<E: de::Error>(self, _v: bool) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Vec::new())
        }
    }
    if only_lists {
        d.deserialize_seq(Items(PhantomData))
    } else {
        d.deserialize_any(OrEmpty(Items(PhantomData)))
    }
}

/// Reads a `DeserializeOwned` item from any deserializer lifetime.
struct Owned<T>(T);
impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Owned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Owned)
    }
}

/// A nested object, or `None` when it is absent, null or of another shape. The object
/// types read with it have only lenient, optional fields, so they fit in the fast mode
/// too; the forgiving mode reads one that does not as `None`.
pub fn object<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
    d: D,
) -> Result<Option<T>, D::Error> {
    if Mode::current() == Mode::Forgiving {
        return Ok(match Value::deserialize(d)? {
            v @ Value::Object(_) => serde_json::from_value(v).ok(),
            _ => None,
        });
    }
    struct Visit<T>(PhantomData<T>);
    impl<'de, T: serde::de::DeserializeOwned> Visitor<'de> for Visit<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
            T::deserialize(MapAccessDeserializer::new(map)).map(Some)
        }
        fn visit_str<E: de::Error>(self, _v: &str) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_u64<E: de::Error>(self, _v: u64) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_i64<E: de::Error>(self, _v: i64) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_f64<E: de::Error>(self, _v: f64) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_bool<E: de::Error>(self, _v: bool) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<T>, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }
    d.deserialize_any(Visit(PhantomData))
}
