//! Laravel's validator as Coolify's controllers use it: each field has a list of rules,
//! checked in order, and every rule that fails adds its message under the field's name.
//! The messages are Laravel 12's English ones (`lang/en/validation.php` of the framework;
//! Coolify does not override them). Also the PHP notions the rules rest on (`is_numeric`,
//! `FILTER_VALIDATE_INT`, string casts) and the patterns of Coolify's
//! `app/Support/ValidationPatterns.php` the simulated routes use.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::request::{Errors, attribute, is_laravel_bool};

/// One rule of a field.
#[derive(Clone, Copy)]
pub(crate) enum Rule {
    /// `nullable`: a null value passes the field's other rules.
    Nullable,
    /// `required`, worded as `customApiValidator` words it; a missing, null or blank value
    /// fails it, and then the field's other rules are not checked.
    Required,
    /// `string`
    Str,
    /// `boolean`: true, false, 0, 1, "0" or "1".
    Bool,
    /// `numeric`: PHP's `is_numeric`.
    Numeric,
    /// `integer`: PHP's `FILTER_VALIDATE_INT`.
    Integer,
    /// `array`: a JSON array or object (both are PHP arrays).
    Array,
    /// `min:` of the number on a numeric field, else of the string's length.
    Min(i64),
    /// `max:`, as `min:`.
    Max(i64),
    /// `in:` and `Rule::enum`: the value, as a string, is one of these.
    OneOf(&'static [&'static str]),
    /// `regex:`: a string or a number that matches.
    Format(fn(&str) -> bool),
    /// A closure or rule object: its messages, `:attribute` replaced by the field's name.
    Custom(fn(&Value) -> Vec<String>),
}

/// A field a route validates, with its rules.
pub(crate) type Field = (&'static str, &'static [Rule]);

pub(crate) const BOOL: &[Rule] = &[Rule::Bool];
pub(crate) const STR: &[Rule] = &[Rule::Str];
pub(crate) const STR_OR_NULL: &[Rule] = &[Rule::Str, Rule::Nullable];
pub(crate) const NUMERIC: &[Rule] = &[Rule::Numeric];
/// A field the route accepts without checking it.
pub(crate) const UNCHECKED: &[Rule] = &[];

/// The names of `fields`, for "This field is not allowed.".
pub(crate) fn names(fields: &[Field]) -> Vec<&'static str> {
    fields.iter().map(|(name, _)| *name).collect()
}

/// Check the values of `body` against the rules of `fields` (keys `fields` does not name
/// are not looked at).
pub(crate) fn validate(body: &Map<String, Value>, fields: &[Field], errors: &mut Errors) {
    for (name, rules) in fields {
        let has = |wanted: fn(&Rule) -> bool| rules.iter().any(wanted);
        let Some(v) = body.get(*name) else {
            if has(|r| matches!(r, Rule::Required)) {
                errors.add(name, REQUIRED);
            }
            continue;
        };
        if v.is_null() && has(|r| matches!(r, Rule::Nullable)) {
            continue;
        }
        let numeric_field = has(|r| matches!(r, Rule::Numeric | Rule::Integer));
        let attr = attribute(name);
        for rule in *rules {
            let failed = failures(rule, v, &attr, numeric_field);
            let stop = matches!(rule, Rule::Required) && !failed.is_empty();
            for msg in failed {
                errors.add(name, msg);
            }
            if stop {
                break;
            }
        }
    }
}

const REQUIRED: &str = "This field is required.";

fn failures(rule: &Rule, v: &Value, attr: &str, numeric_field: bool) -> Vec<String> {
    let msg = match rule {
        Rule::Nullable => None,
        Rule::Required => blank(v).then(|| REQUIRED.to_string()),
        Rule::Str => (!v.is_string()).then(|| format!("The {attr} field must be a string.")),
        Rule::Bool => {
            (!is_laravel_bool(v)).then(|| format!("The {attr} field must be true or false."))
        }
        Rule::Numeric => (!is_numeric(v)).then(|| format!("The {attr} field must be a number.")),
        Rule::Integer => php_int(v)
            .is_none()
            .then(|| format!("The {attr} field must be an integer.")),
        Rule::Array => (!(v.is_array() || v.is_object()))
            .then(|| format!("The {attr} field must be an array.")),
        Rule::Min(n) => size(v, numeric_field).filter(|s| *s < *n as f64).map(|_| {
            format!(
                "The {attr} field must be at least {n}{}.",
                unit(numeric_field)
            )
        }),
        Rule::Max(n) => size(v, numeric_field).filter(|s| *s > *n as f64).map(|_| {
            format!(
                "The {attr} field must not be greater than {n}{}.",
                unit(numeric_field)
            )
        }),
        Rule::OneOf(list) => (!php_string(v).is_some_and(|s| list.contains(&s.as_str())))
            .then(|| format!("The selected {attr} is invalid.")),
        Rule::Format(matches) => (!((v.is_string() || is_numeric(v))
            && php_string(v).is_some_and(|s| matches(&s))))
        .then(|| format!("The {attr} field format is invalid.")),
        Rule::Custom(check) => {
            return check(v)
                .into_iter()
                .map(|m| m.replace(":attribute", attr))
                .collect();
        }
    };
    msg.into_iter().collect()
}

/// What `min:` and `max:` compare: the number on a numeric field, else a string's length
/// in characters (other values are not sized here).
fn size(v: &Value, numeric_field: bool) -> Option<f64> {
    if numeric_field && is_numeric(v) {
        return match v {
            Value::Number(n) => n.as_f64(),
            _ => v.as_str().and_then(|s| php_trim_ws(s).parse().ok()),
        };
    }
    v.as_str().map(|s| s.chars().count() as f64)
}

fn unit(numeric_field: bool) -> &'static str {
    if numeric_field { "" } else { " characters" }
}

/// Laravel's `blank()`: null, a blank string, an empty array.
pub(crate) fn blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// The whitespace PHP's `is_numeric` and `FILTER_VALIDATE_INT` allow around a number.
fn php_trim_ws(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r', '\x0B', '\x0C'])
}

/// PHP's `is_numeric`: a number, or a string holding a decimal number (sign, fraction and
/// exponent allowed; whitespace around it too).
pub(crate) fn is_numeric(v: &Value) -> bool {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$").expect("pattern")
    });
    match v {
        Value::Number(_) => true,
        Value::String(s) => NUMBER.is_match(php_trim_ws(s)),
        _ => false,
    }
}

/// PHP's `filter_var($v, FILTER_VALIDATE_INT)`: integers, integral floats, `true` (as 1),
/// and strings of an integer without leading zeros.
fn php_int(v: &Value) -> Option<i64> {
    static INT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("^[+-]?(0|[1-9][0-9]*)$").expect("pattern"));
    match v {
        Value::Number(n) => whole(n),
        Value::Bool(true) => Some(1),
        Value::String(s) => {
            let s = php_trim_ws(s);
            INT.is_match(s).then(|| s.parse().ok()).flatten()
        }
        _ => None,
    }
}

/// A JSON number that PHP reads as a whole number: an integer, or a float with no fraction
/// that PHP prints without an exponent (below 10^15).
fn whole(n: &serde_json::Number) -> Option<i64> {
    n.as_i64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
            .map(|f| f as i64)
    })
}

/// What PostgreSQL stores in an `integer` column for a validated value: the value when it
/// is a whole number that fits, else nothing (the database refuses `30.5` or `1e3`).
pub(crate) fn integer_column(v: &Value) -> Option<i32> {
    match v {
        Value::Number(n) => whole(n).and_then(|n| i32::try_from(n).ok()),
        Value::Bool(true) => Some(1),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A scalar cast to a PHP string (`(string) $v`); arrays have none.
pub(crate) fn php_string(v: &Value) -> Option<String> {
    match v {
        Value::Null | Value::Bool(false) => Some(String::new()),
        Value::Bool(true) => Some("1".into()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// A `regex:` rule's pattern (PHP's, written for Rust's regex crate without its Unicode
/// classes: `\d` is `[0-9]`).
macro_rules! pattern {
    ($(#[$doc:meta])* $vis:vis $name:ident, $re:literal) => {
        $(#[$doc])*
        $vis fn $name(s: &str) -> bool {
            static RE: ::std::sync::LazyLock<::regex::Regex> = ::std::sync::LazyLock::new(|| {
                ::regex::Regex::new($re).expect("a constant pattern")
            });
            RE.is_match(s)
        }
    };
}
pub(crate) use pattern;

pattern!(
    /// `SHELL_SAFE_COMMAND_PATTERN`: words, quoted strings, `&&` and `||`.
    pub(crate) shell_safe,
    r#"^(?:[ \t]+|&&|\|\||"[^"$`\\\n\r]*"|'[^'\n\r]*'|[a-zA-Z0-9._\-/=:@,+\[\]{}#%^~*?!]+)+$"#
);
pattern!(
    /// `DIRECTORY_PATH_PATTERN`
    pub(crate) directory_path,
    r"^/([a-zA-Z0-9._\-/~@+]*)?$"
);
pattern!(
    /// `FILE_PATH_PATTERN`
    pub(crate) file_path,
    r"^/[a-zA-Z0-9._\-/~@+]+$"
);
pattern!(
    /// `CONTAINER_NAME_PATTERN` (and `DOCKER_TARGET_PATTERN`, the same).
    pub(crate) container_name,
    r"^[a-zA-Z0-9][a-zA-Z0-9._-]*$"
);
pattern!(
    /// `DOCKER_IMAGE_TAG_PATTERN`
    pub(crate) docker_image_tag,
    r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"
);
pattern!(
    /// `DOCKER_IMAGE_NAME_PATTERN` without its length look-ahead (see `docker_image_name`).
    docker_image_path,
    r"^(?:(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?:@sha256)?$"
);
pattern!(
    /// `ENVIRONMENT_VARIABLE_KEY_PATTERN`
    pub(crate) env_key,
    r"^[A-Za-z_][A-Za-z0-9_.]*$"
);

/// `DOCKER_IMAGE_NAME_PATTERN`: 1 to 255 characters (its look-ahead) of a repository path.
pub(crate) fn docker_image_name(s: &str) -> bool {
    (1..=255).contains(&s.len()) && docker_image_path(s)
}
