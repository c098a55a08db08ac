//! Requests as arguments, both ways, from the catalogue's rows: the JSON schema of each
//! kind's tool, a tool call's arguments checked against it and read into a [`Request`], a
//! request written back as arguments, and as the `pftui` command line that does the same.

use serde_json::{Map, Value, json};

use super::catalogue::{Arg, Kind, Role, Shape};
use super::request::{Given, Request};
use crate::model::Address;
use crate::model::words::shell_word;

/// The JSON schema of `kind`'s arguments: an object of typed properties, the required ones
/// listed, nothing else allowed.
pub fn schema(kind: Kind) -> Value {
    let spec = kind.spec();
    let properties: Map<String, Value> = spec
        .args
        .iter()
        .map(|a| (a.name.to_string(), property(a)))
        .collect();
    let required: Vec<&str> = spec
        .args
        .iter()
        .filter(|a| a.required)
        .map(|a| a.name)
        .collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn property(arg: &Arg) -> Value {
    match arg.shape {
        Shape::Text => json!({"type": "string", "minLength": 1, "description": arg.help}),
        Shape::Flag => json!({"type": "boolean", "description": arg.help}),
        Shape::Count { min, max, .. } => json!({
            "type": "integer",
            "minimum": min,
            "maximum": max,
            "description": arg.help,
        }),
    }
}

/// Check a tool call's arguments against its kind's schema and read them into a request.
/// The error is text for a model: what is wrong and what is expected.
pub fn parse(tool: &str, input: &Value) -> Result<Request, String> {
    let Some(kind) = Kind::by_tool(tool) else {
        let tools: Vec<&str> = Kind::all().map(Kind::tool).collect();
        return Err(format!(
            "unknown tool '{tool}'; the tools are: {}",
            tools.join(", ")
        ));
    };
    Request::from_arguments(kind, input).map_err(|e| format!("{tool}: {e}"))
}

impl Request {
    /// A request of `kind` from arguments as a tool call (or a command line) gives them,
    /// checked against the kind's schema first.
    pub fn from_arguments(kind: Kind, input: &Value) -> Result<Request, String> {
        validate(&schema(kind), input)?;
        let spec = kind.spec();
        let mut address: Option<Address> = None;
        let mut request = Request::platform(kind);
        for arg in spec.args {
            let Some(value) = input.get(arg.name).filter(|v| !v.is_null()) else {
                continue;
            };
            let text = value.as_str().map(str::to_string);
            match arg.role {
                Role::Project => {
                    address.get_or_insert_with(empty).project = text.unwrap_or_default()
                }
                Role::Environment => address.get_or_insert_with(empty).environment = text,
                Role::Resource => address.get_or_insert_with(empty).resource = text,
                Role::Option => {
                    request = match (arg.shape, value) {
                        (Shape::Flag, Value::Bool(true)) => request.flag(arg.name),
                        (Shape::Flag, _) => request,
                        (Shape::Text, _) => request.text(arg.name, text.unwrap_or_default()),
                        (Shape::Count { .. }, v) => {
                            request.count(arg.name, v.as_u64().unwrap_or(0))
                        }
                    }
                }
            }
        }
        request.scope = address;
        Ok(request)
    }

    /// A request of `kind` from words as typed after its name (`air dev staging`, `air prod
    /// --to abc123`): positional arguments in the catalogue's order, then `--name [value]`.
    pub fn from_words(kind: Kind, words: &[String]) -> Result<Request, String> {
        let spec = kind.spec();
        let mut positional = spec.args.iter().filter(|a| a.positional);
        let mut given = Map::new();
        let mut words = words.iter();
        while let Some(word) = words.next() {
            let Some(name) = word.strip_prefix("--") else {
                let arg = positional
                    .next()
                    .ok_or_else(|| format!("{kind} takes no more words: '{word}'"))?;
                given.insert(arg.name.to_string(), json!(word));
                continue;
            };
            let arg = spec
                .args
                .iter()
                .find(|a| !a.positional && a.name == name)
                .ok_or_else(|| format!("{kind} has no option --{name}"))?;
            let mut value = || {
                words
                    .next()
                    .ok_or_else(|| format!("--{name} needs a value ({})", arg.value_name))
            };
            let value = match arg.shape {
                Shape::Flag => json!(true),
                Shape::Text => json!(value()?),
                Shape::Count { .. } => {
                    let text = value()?;
                    json!(
                        text.parse::<u64>()
                            .map_err(|_| format!("--{name} takes a number, not '{text}'"))?
                    )
                }
            };
            given.insert(arg.name.to_string(), value);
        }
        Request::from_arguments(kind, &Value::Object(given))
    }

    /// The tool call's arguments that express this request (the inverse of [`parse`]).
    pub fn arguments(&self) -> Value {
        let mut out = Map::new();
        for arg in self.kind.spec().args {
            let value = match self.value_of(arg) {
                Some(Given::Text(t)) => json!(t),
                Some(Given::Flag) => json!(true),
                Some(Given::Count(n)) => json!(n),
                None => continue,
            };
            out.insert(arg.name.to_string(), value);
        }
        Value::Object(out)
    }

    /// The `pftui` command that does the same: `pftui deploy air staging air-staging
    /// --force`, the project lower-cased as operators type it.
    pub fn command_line(&self) -> String {
        let mut words = vec!["pftui".to_string(), self.kind.name().to_string()];
        let mut flags = Vec::new();
        for arg in self.kind.spec().args {
            let value = match self.value_of(arg) {
                Some(Given::Text(t)) if arg.role == Role::Project => t.to_ascii_lowercase(),
                Some(Given::Text(t)) => t,
                Some(Given::Flag) => String::new(),
                Some(Given::Count(n)) => n.to_string(),
                None => continue,
            };
            if arg.positional {
                words.push(shell_word(&value));
            } else {
                flags.push(format!("--{}", arg.name));
                if arg.shape != Shape::Flag {
                    flags.push(shell_word(&value));
                }
            }
        }
        words.extend(flags);
        words.join(" ")
    }

    /// What the request gives for an argument: a part of its address, or an option.
    fn value_of(&self, arg: &Arg) -> Option<Given> {
        let address = self.scope.as_ref();
        let text = |part: Option<&String>| part.map(|p| Given::Text(p.clone()));
        match arg.role {
            Role::Project => text(address.map(|a| &a.project)),
            Role::Environment => text(address.and_then(|a| a.environment.as_ref())),
            Role::Resource => text(address.and_then(|a| a.resource.as_ref())),
            Role::Option => self
                .options()
                .find(|(name, _)| *name == arg.name)
                .map(|(_, given)| given.clone()),
        }
    }
}

fn empty() -> Address {
    Address::new("", None, None)
}

/// A small JSON-schema check covering what the catalogue's schemas use: objects with typed
/// properties, required keys, no unknown keys, string lengths, integer ranges.
pub fn validate(schema: &Value, input: &Value) -> Result<(), String> {
    let Some(object) = input.as_object() else {
        return Err(format!(
            "the input must be a JSON object, got {}",
            kind_of(input)
        ));
    };
    let empty = Map::new();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let expected = || {
        if properties.is_empty() {
            "none".to_string()
        } else {
            properties.keys().cloned().collect::<Vec<_>>().join(", ")
        }
    };
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for key in required.iter().filter_map(Value::as_str) {
            if object.get(key).is_none_or(Value::is_null) {
                return Err(format!(
                    "missing the required argument '{key}' (arguments: {})",
                    expected()
                ));
            }
        }
    }
    for (key, value) in object {
        let Some(rule) = properties.get(key) else {
            return Err(format!(
                "unknown argument '{key}' (arguments: {})",
                expected()
            ));
        };
        if value.is_null() {
            continue;
        }
        check_value(key, rule, value)?;
    }
    Ok(())
}

fn check_value(key: &str, rule: &Value, value: &Value) -> Result<(), String> {
    let wanted = rule.get("type").and_then(Value::as_str).unwrap_or("");
    let ok = match wanted {
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_u64() || value.is_i64(),
        "number" => value.is_number(),
        _ => true,
    };
    if !ok {
        return Err(format!(
            "'{key}' must be a {wanted}, got {}",
            kind_of(value)
        ));
    }
    if let (Some(s), Some(min)) = (
        value.as_str(),
        rule.get("minLength").and_then(Value::as_u64),
    ) && (s.trim().chars().count() as u64) < min
    {
        return Err(format!("'{key}' must not be empty"));
    }
    if let Some(n) = value.as_i64() {
        let min = rule.get("minimum").and_then(Value::as_i64);
        let max = rule.get("maximum").and_then(Value::as_i64);
        if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
            return Err(format!(
                "'{key}' must be between {} and {}, got {n}",
                min.map(|m| m.to_string()).unwrap_or_else(|| "-inf".into()),
                max.map(|m| m.to_string()).unwrap_or_else(|| "inf".into()),
            ));
        }
    }
    if let Some(options) = rule.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        return Err(format!(
            "'{key}' must be one of {}",
            Value::Array(options.clone())
        ));
    }
    Ok(())
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::catalogue::{FORCE, TO};

    /// A request of `kind` with every argument given (`full`) or only the required ones.
    fn sample(kind: Kind, full: bool) -> Request {
        let mut address: Option<Address> = None;
        let mut request = Request::platform(kind);
        for arg in kind.spec().args.iter().filter(|a| full || a.required) {
            let text = format!("{}-value", arg.name);
            match arg.role {
                Role::Project => address.get_or_insert_with(empty).project = text,
                Role::Environment => address.get_or_insert_with(empty).environment = Some(text),
                Role::Resource => address.get_or_insert_with(empty).resource = Some(text),
                Role::Option => {
                    request = match arg.shape {
                        Shape::Text => request.text(arg.name, text),
                        Shape::Flag => request.flag(arg.name),
                        Shape::Count { max, .. } => request.count(arg.name, max),
                    }
                }
            }
        }
        request.scope = address;
        request
    }

    #[test]
    fn every_kind_reads_back_what_it_writes() {
        for kind in Kind::all() {
            for full in [true, false] {
                let request = sample(kind, full);
                let arguments = request.arguments();
                assert_eq!(
                    validate(&schema(kind), &arguments),
                    Ok(()),
                    "{kind}: {arguments}"
                );
                assert_eq!(parse(kind.tool(), &arguments), Ok(request), "{kind}");
            }
        }
    }

    #[test]
    fn every_kind_reads_back_its_command_line_as_words() {
        for kind in Kind::operations() {
            for full in [true, false] {
                let request = sample(kind, full);
                let line = request.command_line();
                let skip = 1 + kind.name().split(' ').count();
                let words: Vec<String> = line.split(' ').skip(skip).map(str::to_string).collect();
                assert_eq!(Request::from_words(kind, &words), Ok(request), "{line}");
            }
        }
        let err = Request::from_words(Kind::Rollback, &["air".into(), "--to".into()]);
        assert!(err.unwrap_err().contains("--to needs a value (TAG)"));
        let err = Request::from_words(Kind::Deploy, &["air".into(), "--bogus".into()]);
        assert!(err.unwrap_err().contains("deploy has no option --bogus"));
    }

    #[test]
    fn every_schema_rejects_a_missing_required_argument_and_an_unknown_one() {
        for kind in Kind::all() {
            let full = sample(kind, true).arguments();
            for arg in kind.spec().args.iter().filter(|a| a.required) {
                let mut without = full.clone();
                without.as_object_mut().map(|o| o.remove(arg.name));
                let err = parse(kind.tool(), &without).unwrap_err();
                assert!(
                    err.contains(&format!("missing the required argument '{}'", arg.name)),
                    "{kind}: {err}"
                );
            }
            let mut extra = full.clone();
            extra["bogus"] = json!(1);
            assert!(
                parse(kind.tool(), &extra)
                    .unwrap_err()
                    .contains("unknown argument 'bogus'")
            );
        }
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        let err = |name: &str, v: Value| parse(name, &v).unwrap_err();
        let deploy = Kind::Deploy.tool();
        assert!(
            err(
                deploy,
                json!({"project": "air", "environment": "dev", "force": "yes"})
            )
            .contains("'force' must be a boolean")
        );
        assert!(err(deploy, json!("deploy air dev")).contains("must be a JSON object"));
        assert!(
            err(deploy, json!({"project": " ", "environment": "dev"}))
                .contains("must not be empty")
        );
        assert!(
            err(
                Kind::DeploymentLog.tool(),
                json!({"project": "a", "environment": "b", "lines": 5000})
            )
            .contains("between 1 and 200")
        );
        assert!(err("rm_rf", json!({})).contains("unknown tool 'rm_rf'"));
    }

    #[test]
    fn promotion_names_its_environments_from_and_to() {
        let request = parse(
            Kind::Promote.tool(),
            &json!({"project": "baiv", "from": "staging", "to": "prod"}),
        )
        .unwrap();
        assert_eq!(
            request,
            Request::new(Kind::Promote, Address::parse("baiv/staging")).text(TO, "prod")
        );
        assert_eq!(request.command_line(), "pftui promote baiv staging prod");
    }

    #[test]
    fn command_lines_read_like_what_an_operator_types() {
        let request = Request::new(Kind::Deploy, Address::parse("AIR/staging/air-staging"));
        assert_eq!(
            request.clone().flag(FORCE).command_line(),
            "pftui deploy air staging air-staging --force"
        );
        assert_eq!(
            Request::new(Kind::Restart, Address::parse("AIR/staging")).command_line(),
            "pftui restart air staging"
        );
        assert_eq!(
            Request::new(Kind::Rollback, Address::parse("air/prod/my app"))
                .text(TO, "abc")
                .command_line(),
            "pftui rollback air prod 'my app' --to abc"
        );
    }
}
