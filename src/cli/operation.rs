//! The operation subcommands (`pftui deploy`, `restart`, ... `rollback`), made from the
//! catalogue: one subcommand per operation, its positional arguments and flags from the
//! operation's arguments, `--wait` where what it starts can be followed, and the
//! confirmation flags every operation takes.

use clap::builder::RangedU64ValueParser;
use clap::{ArgAction, ArgMatches, Args, FromArgMatches, Subcommand};
use serde_json::{Map, Value, json};

use crate::ops::catalogue::{Shape, Wait};
use crate::ops::{Kind, Request};

/// An operation asked for on the command line.
#[derive(Debug)]
pub struct Operation {
    pub request: Request,
    /// Follow what it starts to its end.
    pub wait: bool,
    pub confirm: ConfirmArgs,
}

/// How a non-interactive run says yes.
#[derive(Debug, Clone, Args)]
pub struct ConfirmArgs {
    /// Confirm without asking (needed without a terminal).
    #[arg(long)]
    pub yes: bool,
    /// Confirm by naming the environment, as the policy asks for production.
    #[arg(long, value_name = "ENV")]
    pub confirm: Option<String>,
}

const WAIT: &str = "wait";
const NO_WAIT: &str = "no-wait";

/// The operations whose names start with `group` (`config apply` is `apply` of the group
/// `config`), or with no group the top-level ones, each with its subcommand's name.
fn in_group(group: Option<&str>) -> impl Iterator<Item = (Kind, &'static str)> + '_ {
    Kind::operations().filter_map(move |kind| {
        let name = kind.name();
        match (group, name.split_once(' ')) {
            (None, None) => Some((kind, name)),
            (Some(g), Some((first, word))) if first == g => Some((kind, word)),
            _ => None,
        }
    })
}

/// The subcommand of one operation, called `word`.
fn command(kind: Kind, word: &'static str) -> clap::Command {
    let spec = kind.spec();
    let mut cmd = clap::Command::new(word);
    for arg in spec.args {
        let mut a = clap::Arg::new(arg.name).help(arg.help);
        if arg.positional {
            a = a.required(arg.required).value_name(arg.value_name);
        } else {
            a = a.long(arg.name);
            a = match arg.shape {
                Shape::Flag => a.action(ArgAction::SetTrue),
                Shape::Text => a.value_name(arg.value_name),
                Shape::Count { min, max, .. } => a
                    .value_name(arg.value_name)
                    .value_parser(RangedU64ValueParser::<u64>::new().range(min..=max)),
            };
        }
        cmd = cmd.arg(a);
    }
    cmd = match spec.wait {
        Wait::OnRequest => cmd.arg(
            clap::Arg::new(WAIT)
                .long(WAIT)
                .action(ArgAction::SetTrue)
                .help("Follow what it starts to its end, streaming the logs, then check health; exit 1 if one fails."),
        ),
        Wait::ByDefault => cmd.arg(
            clap::Arg::new(NO_WAIT)
                .long(NO_WAIT)
                .action(ArgAction::SetTrue)
                .help("Return once Coolify has accepted it, without waiting for the resources to settle."),
        ),
        Wait::Never => cmd,
    };
    // The flattened arguments bring their own description: the operation's comes last.
    ConfirmArgs::augment_args(cmd).about(spec.summary)
}

/// The arguments a command line gave, as a tool call would give them.
fn arguments(kind: Kind, matches: &ArgMatches) -> Value {
    let mut out = Map::new();
    for arg in kind.spec().args {
        let value = match arg.shape {
            Shape::Flag => matches.get_flag(arg.name).then_some(json!(true)),
            Shape::Text => matches.get_one::<String>(arg.name).map(|v| json!(v)),
            Shape::Count { .. } => matches.get_one::<u64>(arg.name).map(|v| json!(v)),
        };
        if let Some(value) = value {
            out.insert(arg.name.to_string(), value);
        }
    }
    Value::Object(out)
}

fn operation(group: Option<&str>, name: &str) -> Option<Kind> {
    in_group(group).find_map(|(kind, word)| (word == name).then_some(kind))
}

impl Operation {
    /// The operation of `group` a command line names.
    fn parse_in(group: Option<&str>, matches: &ArgMatches) -> Result<Self, clap::Error> {
        let Some((name, sub)) = matches.subcommand() else {
            return Err(clap::Error::raw(
                clap::error::ErrorKind::MissingSubcommand,
                "name an operation",
            ));
        };
        let Some(kind) = operation(group, name) else {
            return Err(clap::Error::raw(
                clap::error::ErrorKind::InvalidSubcommand,
                format!("'{name}' is not an operation"),
            ));
        };
        let request = Request::from_arguments(kind, &arguments(kind, sub))
            .map_err(|e| clap::Error::raw(clap::error::ErrorKind::ValueValidation, e))?;
        let wait = match kind.spec().wait {
            Wait::OnRequest => sub.get_flag(WAIT),
            Wait::ByDefault => !sub.get_flag(NO_WAIT),
            Wait::Never => false,
        };
        Ok(Self {
            request,
            wait,
            confirm: ConfirmArgs::from_arg_matches(sub)?,
        })
    }

    fn subcommands_in(group: Option<&str>, cmd: clap::Command) -> clap::Command {
        in_group(group).fold(cmd, |cmd, (kind, word)| cmd.subcommand(command(kind, word)))
    }
}

impl FromArgMatches for Operation {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        Self::parse_in(None, matches)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Subcommand for Operation {
    fn augment_subcommands(cmd: clap::Command) -> clap::Command {
        Self::subcommands_in(None, cmd)
    }

    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_subcommands(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        operation(None, name).is_some()
    }
}

/// The operations of `pftui config` (`config apply`), made from the catalogue as the
/// top-level ones are.
#[derive(Debug)]
pub struct ConfigOperation(pub Operation);

const CONFIG: Option<&str> = Some("config");

impl FromArgMatches for ConfigOperation {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        Operation::parse_in(CONFIG, matches).map(Self)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Subcommand for ConfigOperation {
    fn augment_subcommands(cmd: clap::Command) -> clap::Command {
        Operation::subcommands_in(CONFIG, cmd)
    }

    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_subcommands(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        operation(CONFIG, name).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use crate::model::Address;
    use crate::ops::catalogue::{FORCE, Role, TO};
    use clap::Parser;

    fn parse(words: &[&str]) -> Operation {
        use crate::cli::config::ConfigCommand;
        let cli = Cli::try_parse_from(words).unwrap();
        match cli.command {
            Some(Command::Operation(op)) => op,
            Some(Command::Config(args)) => match args.command {
                ConfigCommand::Operation(op) => op.0,
                other => panic!("not an operation: {other:?}"),
            },
            other => panic!("not an operation: {other:?}"),
        }
    }

    #[test]
    fn every_operation_is_a_subcommand() {
        use clap::CommandFactory;
        let cli = Cli::command();
        for kind in Kind::operations() {
            // `config apply` is `apply` under `config`.
            let mut sub = &cli;
            for word in kind.name().split(' ') {
                sub = sub.find_subcommand(word).unwrap();
            }
            assert_eq!(
                sub.get_about().map(|a| a.to_string()).as_deref(),
                Some(kind.spec().summary)
            );
        }
        assert!(!Operation::has_subcommand(Kind::Servers.name()));
        assert!(Operation::has_subcommand("deploy") && !Operation::has_subcommand("apply"));
        assert!(ConfigOperation::has_subcommand("apply"));
    }

    #[test]
    fn command_lines_become_requests() {
        let op = parse(&[
            "pftui", "deploy", "air", "staging", "--force", "--wait", "--yes",
        ]);
        assert_eq!(
            op.request,
            Request::new(Kind::Deploy, Address::parse("air/staging")).flag(FORCE)
        );
        assert!(op.wait && op.confirm.yes);
        let op = parse(&[
            "pftui", "rollback", "air", "prod", "air-prod", "--to", "abc",
        ]);
        assert_eq!(
            op.request,
            Request::new(Kind::Rollback, Address::parse("air/prod/air-prod")).text(TO, "abc")
        );
        assert!(!op.wait);
        let op = parse(&[
            "pftui",
            "promote",
            "air",
            "dev",
            "staging",
            "--confirm",
            "staging",
        ]);
        assert_eq!(
            op.request,
            Request::new(Kind::Promote, Address::parse("air/dev")).text(TO, "staging")
        );
        assert_eq!(op.confirm.confirm.as_deref(), Some("staging"));
        assert!(parse(&["pftui", "stop", "air", "dev"]).wait, "stop settles");
        assert!(!parse(&["pftui", "cancel", "air", "dev"]).wait);
    }

    #[test]
    fn every_operation_reads_back_its_own_command_line() {
        for kind in Kind::operations() {
            let mut request = Request::new(kind, Address::parse("air/staging/air-staging"));
            for arg in kind.spec().args.iter().filter(|a| a.role == Role::Option) {
                request = match arg.shape {
                    Shape::Flag => request.flag(arg.name),
                    Shape::Text => request.text(arg.name, "prod"),
                    Shape::Count { min, .. } => request.count(arg.name, min),
                };
            }
            if kind.spec().args.iter().all(|a| a.role != Role::Resource) {
                request.scope = Some(Address::parse("air/staging"));
            }
            let line = request.command_line();
            let words: Vec<&str> = line.split(' ').collect();
            assert_eq!(parse(&words).request, request, "{line}");
        }
    }
}
