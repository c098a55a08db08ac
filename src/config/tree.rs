//! The positioned YAML tree: every node, and every mapping key, knows the file, line and
//! column it was written at; layers merge on this tree so a merged value keeps the origin
//! of the layer it came from.
//!
//! Plain scalars are typed by the YAML 1.2 core schema (`true`, `12`, `0.5`, `~`); quoted
//! ones are strings. A mapping key written twice is a problem, not a silent overwrite.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::origin::{Origin, Problem};

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in the order written.
    Map(Vec<Entry>),
}

/// One mapping entry: the key with its own position, and the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_origin: Origin,
    pub node: Node,
}

impl Node {
    /// An empty mapping at `origin` (an empty file).
    pub fn empty_map(origin: Origin) -> Self {
        Self {
            value: Value::Map(Vec::new()),
            origin,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The entry under `key`, when this is a mapping that has it.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.node)
    }

    /// The node at a key path (`["resources", "cpu_limit"]`).
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// This mapping without the entries under `keys`, and those entries' nodes.
    pub fn split_off(&self, keys: &[&str]) -> (Node, Vec<Option<Node>>) {
        let mut taken = vec![None; keys.len()];
        let rest = match &self.value {
            Value::Map(entries) => Value::Map(
                entries
                    .iter()
                    .filter(|e| match keys.iter().position(|k| *k == e.key) {
                        Some(i) => {
                            taken[i] = Some(e.node.clone());
                            false
                        }
                        None => true,
                    })
                    .cloned()
                    .collect(),
            ),
            other => other.clone(),
        };
        let rest = Node {
            value: rest,
            origin: self.origin.clone(),
        };
        (rest, taken)
    }

    /// A short description of what this node holds, for messages (`a string "512M"`).
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Null => "nothing (null)".into(),
            Value::Bool(b) => format!("a boolean {b}"),
            Value::Int(i) => format!("an integer {i}"),
            Value::Float(x) => format!("a number {x}"),
            Value::Str(s) => format!("a string {s:?}"),
            Value::Seq(_) => "a list".into(),
            Value::Map(_) => "a mapping".into(),
        }
    }

    /// The plain value, for the schema check and typed reading.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(x) => serde_json::Number::from_f64(*x)
                .map(J::Number)
                .unwrap_or_else(|| J::String(x.to_string())),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.node.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Deep merge: mappings merge key by key (the child's entries after the parent's new
/// ones); any other value, lists included, is the child's. A merged mapping takes the
/// child's position.
pub fn merge(parent: Node, child: Node) -> Node {
    match (parent.value, child.value) {
        (Value::Map(mut entries), Value::Map(theirs)) => {
            for entry in theirs {
                match entries.iter().position(|e| e.key == entry.key) {
                    Some(i) => {
                        let mine = entries.remove(i);
                        entries.insert(
                            i,
                            Entry {
                                key: entry.key,
                                key_origin: entry.key_origin,
                                node: merge(mine.node, entry.node),
                            },
                        );
                    }
                    None => entries.push(entry),
                }
            }
            Node {
                value: Value::Map(entries),
                origin: child.origin,
            }
        }
        (_, value) => Node {
            value,
            origin: child.origin,
        },
    }
}

/// Read one YAML document with positions. An empty file is an empty mapping. Syntax errors
/// stop the reading (one problem); duplicate keys and other structural problems are all
/// reported, with the tree as far as it could be built.
pub fn parse(text: &str, file: &Arc<Path>) -> Result<(Node, Vec<Problem>), Problem> {
    let mut reader = Reader {
        events: Parser::new_from_str(text),
        file: Arc::clone(file),
        anchors: HashMap::new(),
        problems: Vec::new(),
        path: Vec::new(),
    };
    let mut root = None;
    loop {
        let (event, span) = reader.next()?;
        match event {
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) if root.is_some() => {
                let at = reader.origin(span);
                reader.problems.push(Problem::new(
                    at,
                    "",
                    "a second YAML document (`---`): each configuration file holds one",
                ));
                break;
            }
            Event::DocumentStart(_) => {
                let (event, span) = reader.next()?;
                root = Some(reader.node(event, span)?);
            }
            other => return Err(reader.unexpected(&other, span)),
        }
    }
    let root = match root {
        Some(Node {
            value: Value::Null, ..
        })
        | None => Node::empty_map(Origin::top(file)),
        Some(node) => node,
    };
    Ok((root, reader.problems))
}

struct Reader<'a> {
    events: Parser<'a, saphyr_parser::StrInput<'a>>,
    file: Arc<Path>,
    anchors: HashMap<usize, Node>,
    problems: Vec<Problem>,
    /// The keys leading to the node being read.
    path: Vec<String>,
}

impl<'a> Reader<'a> {
    fn origin(&self, span: Span) -> Origin {
        Origin::new(&self.file, span.start.line(), span.start.col() + 1)
    }

    fn next(&mut self) -> Result<(Event<'a>, Span), Problem> {
        match self.events.next() {
            Some(Ok(item)) => Ok(item),
            Some(Err(e)) => Err(Problem::new(
                Origin::new(&self.file, e.marker().line(), e.marker().col() + 1),
                "",
                format!("not valid YAML: {}", e.info()),
            )),
            None => Err(Problem::new(
                Origin::top(&self.file),
                "",
                "not valid YAML: the document ends too early",
            )),
        }
    }

    fn unexpected(&self, event: &Event<'_>, span: Span) -> Problem {
        Problem::new(
            self.origin(span),
            "",
            format!("not valid YAML: unexpected {event:?}"),
        )
    }

    fn node(&mut self, event: Event<'a>, span: Span) -> Result<Node, Problem> {
        let origin = self.origin(span);
        let (node, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let quoted = style != ScalarStyle::Plain || tag.is_some_and(|t| t.suffix == "str");
                let value = if quoted {
                    Value::Str(text.into_owned())
                } else {
                    plain(&text)
                };
                (Node { value, origin }, anchor)
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                loop {
                    let (event, span) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(event, span)?);
                }
                let value = Value::Seq(items);
                (Node { value, origin }, anchor)
            }
            Event::MappingStart(anchor, _) => (self.mapping(origin)?, anchor),
            Event::Alias(id) => {
                return match self.anchors.get(&id) {
                    Some(node) => Ok(node.clone()),
                    None => Err(Problem::new(origin, "", "an alias to an unknown anchor")),
                };
            }
            other => return Err(self.unexpected(&other, span)),
        };
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }

    fn mapping(&mut self, origin: Origin) -> Result<Node, Problem> {
        let mut entries: Vec<Entry> = Vec::new();
        loop {
            let (event, span) = self.next()?;
            if matches!(event, Event::MappingEnd) {
                break;
            }
            let key = self.node(event, span)?;
            let name = match &key.value {
                Value::Str(s) => Some(s.clone()),
                Value::Int(i) => Some(i.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                Value::Float(x) => Some(x.to_string()),
                Value::Null | Value::Seq(_) | Value::Map(_) => None,
            };
            self.path.push(name.clone().unwrap_or_default());
            let (event, span) = self.next()?;
            let node = self.node(event, span);
            let path = self.path.join(".");
            self.path.pop();
            let node = node?;
            let Some(name) = name else {
                let message = format!("a mapping key must be a name, not {}", key.describe());
                self.problems.push(Problem::new(key.origin, path, message));
                continue;
            };
            if let Some(first) = entries.iter().find(|e| e.key == name) {
                let message = format!(
                    "duplicate key `{name}` (first written at line {}); remove one of them",
                    first.key_origin.line
                );
                self.problems.push(Problem::new(key.origin, path, message));
                continue;
            }
            entries.push(Entry {
                key: name,
                key_origin: key.origin,
                node,
            });
        }
        Ok(Node {
            value: Value::Map(entries),
            origin,
        })
    }
}

/// A plain scalar typed by the YAML 1.2 core schema.
pub fn plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(i) = text.parse()
    {
        return Value::Int(i);
    }
    let radix = |prefix: &str, radix: u32| {
        text.strip_prefix(prefix)
            .and_then(|d| i64::from_str_radix(d, radix).ok())
    };
    if let Some(i) = radix("0x", 16).or_else(|| radix("0o", 8)) {
        return Value::Int(i);
    }
    let numeric = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if numeric
        && text.bytes().any(|b| b.is_ascii_digit())
        && let Ok(x) = text.parse()
    {
        return Value::Float(x);
    }
    Value::Str(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> Arc<Path> {
        Arc::from(Path::new("t.yaml"))
    }

    fn read(text: &str) -> Node {
        let (node, problems) = parse(text, &file()).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        node
    }

    #[test]
    fn every_node_and_key_has_its_position() {
        let root = read("app:\n  node_version: \"20\"\n  port: 3000\nlist: [a, 1]\n");
        let v = root.at(&["app", "node_version"]).unwrap();
        assert_eq!(v.value, Value::Str("20".into()));
        assert_eq!((v.origin.line, v.origin.column), (2, 17));
        let port = root.at(&["app", "port"]).unwrap();
        assert_eq!(port.value, Value::Int(3000));
        let key = root.get("app").unwrap().entry("port").unwrap();
        assert_eq!((key.key_origin.line, key.key_origin.column), (3, 3));
        assert_eq!(
            root.get("list").unwrap().to_json(),
            serde_json::json!(["a", 1])
        );
    }

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        let cases = [
            ("~", Value::Null),
            ("True", Value::Bool(true)),
            ("-12", Value::Int(-12)),
            ("0x1F", Value::Int(31)),
            ("0.5", Value::Float(0.5)),
            ("1e3", Value::Float(1000.0)),
            ("512M", Value::Str("512M".into())),
            ("1.2.3", Value::Str("1.2.3".into())),
            ("inf", Value::Str("inf".into())),
            ("#1E40AF", Value::Str("#1E40AF".into())),
        ];
        for (text, want) in cases {
            assert_eq!(plain(text), want, "{text}");
        }
        assert!(matches!(plain(".nan"), Value::Float(x) if x.is_nan()));
    }

    #[test]
    fn duplicate_keys_and_syntax_errors_are_positioned() {
        let (_, problems) = parse("a: 1\nb:\n  c: 1\n  c: 2\n", &file()).unwrap();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].origin.line, 4);
        assert!(problems[0].message.contains("first written at line 3"));
        assert_eq!(problems[0].path, "b.c");
        let err = parse("a: [1, 2\nb: 3\n", &file()).unwrap_err();
        assert!(err.message.starts_with("not valid YAML"), "{err}");
        assert!(err.origin.line >= 2, "{err}");
    }

    #[test]
    fn an_empty_file_is_an_empty_mapping_and_anchors_are_copied() {
        assert_eq!(read("# nothing\n").entries().len(), 0);
        let root = read("base: &b {x: 1}\nother: *b\n");
        assert_eq!(root.at(&["other", "x"]).unwrap().value, Value::Int(1));
    }

    #[test]
    fn merge_is_deep_for_maps_and_the_child_wins_otherwise() {
        let parent = read("r: {memory: 512M, cpu: 0.5}\nlist: [1, 2]\nkeep: yes\n");
        let child = read("r: {memory: 768M}\nlist: [3]\nnew: 1\n");
        let merged = merge(parent, child);
        assert_eq!(
            merged.to_json(),
            serde_json::json!({"r": {"memory": "768M", "cpu": 0.5}, "list": [3], "keep": "yes", "new": 1})
        );
        assert_eq!(merged.at(&["r", "cpu"]).unwrap().origin.line, 1);
    }
}
