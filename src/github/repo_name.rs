//! `owner/name` from the spellings a repository comes in: Coolify's `git_repository` holds
//! `owner/name` for GitHub App sources and a clone URL for public or deploy-key ones.

use std::fmt;
use std::str::FromStr;

use super::error::GithubError;

/// A GitHub repository's owner and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RepoName {
    pub owner: String,
    pub name: String,
}

impl RepoName {
    /// Parse `owner/name`, `owner/name.git`, `https://github.com/owner/name(.git)(/)`,
    /// `github.com/owner/name`, `ssh://git@github.com/owner/name.git` or
    /// `git@github.com:owner/name.git`. Any host is accepted in the URL forms (GitHub
    /// Enterprise); only the path matters.
    pub fn parse(input: &str) -> Result<Self, GithubError> {
        let invalid = |detail: &str| GithubError::InvalidRepository {
            input: input.to_string(),
            detail: detail.to_string(),
        };
        let s = input.trim();
        if s.is_empty() {
            return Err(invalid("it is empty"));
        }
        let path = if let Some(i) = s.find("://") {
            let scheme = &s[..i];
            if !matches!(scheme, "https" | "http" | "ssh" | "git" | "git+ssh") {
                return Err(invalid(&format!("'{scheme}://' is not a git URL scheme")));
            }
            match s[i + 3..].split_once('/') {
                Some((_, path)) => path,
                None => return Err(invalid("the URL has no owner/name path")),
            }
        } else if let Some(rest) = s.strip_prefix("git@") {
            match rest.split_once(':') {
                Some((_, path)) => path,
                None => return Err(invalid("an SSH address needs 'host:owner/name'")),
            }
        } else if let Some((first, rest)) = s.split_once('/')
            && first.contains('.')
            && rest.contains('/')
        {
            // `github.com/owner/name`
            rest
        } else {
            s
        };
        let path = path.trim_end_matches('/');
        let path = path.strip_suffix(".git").unwrap_or(path);
        let parts: Vec<&str> = path.split('/').collect();
        let [owner, name] = parts.as_slice() else {
            return Err(invalid(&format!(
                "'{path}' has {} path parts, not the two of owner/name",
                parts.len()
            )));
        };
        check_owner(owner).map_err(|d| invalid(&d))?;
        check_name(name).map_err(|d| invalid(&d))?;
        Ok(Self {
            owner: owner.to_string(),
            name: name.to_string(),
        })
    }

    /// `owner/name`.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }
}

impl fmt::Display for RepoName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

impl FromStr for RepoName {
    type Err = GithubError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// GitHub logins: 1-39 letters, digits or single hyphens, not at either end.
fn check_owner(owner: &str) -> Result<(), String> {
    let ok = !owner.is_empty()
        && owner.len() <= 39
        && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !owner.starts_with('-')
        && !owner.ends_with('-')
        && !owner.contains("--");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the owner '{owner}' is not a GitHub user or organisation name (letters, digits and single hyphens, at most 39)"
        ))
    }
}

/// Repository names: 1-100 letters, digits, `-`, `_` or `.`, and not `.` or `..`.
fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && name != "."
        && name != "..";
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the name '{name}' is not a repository name (letters, digits, '-', '_' and '.', at most 100)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_spelling_coolify_may_hold() {
        for input in [
            "pfcore/pf-air",
            " pfcore/pf-air ",
            "pfcore/pf-air.git",
            "https://github.com/pfcore/pf-air",
            "https://github.com/pfcore/pf-air.git",
            "https://github.com/pfcore/pf-air/",
            "http://github.com/pfcore/pf-air",
            "github.com/pfcore/pf-air",
            "git@github.com:pfcore/pf-air.git",
            "git@github.com:pfcore/pf-air",
            "ssh://git@github.com/pfcore/pf-air.git",
            "https://ghe.example.com/pfcore/pf-air.git",
        ] {
            let r = RepoName::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(r.full_name(), "pfcore/pf-air", "{input}");
        }
        let r: RepoName = "Owner-1/repo_name.js".parse().expect("parses");
        assert_eq!(
            (r.owner.as_str(), r.name.as_str()),
            ("Owner-1", "repo_name.js")
        );
        assert_eq!(r.to_string(), "Owner-1/repo_name.js");
    }

    #[test]
    fn rejects_what_is_not_owner_and_name_with_a_reason() {
        for (input, why) in [
            ("", "empty"),
            ("pf-air", "1 path parts"),
            ("a/b/c", "3 path parts"),
            ("https://gitlab.com/group/sub/repo", "3 path parts"),
            ("https://github.com", "no owner/name"),
            ("ftp://github.com/a/b", "not a git URL scheme"),
            ("git@github.com", "host:owner/name"),
            ("-bad/repo", "owner '-bad'"),
            ("owner/..", "name '..'"),
            ("owner/has space", "name 'has space'"),
        ] {
            let err = RepoName::parse(input).expect_err(input).to_string();
            assert!(err.contains(why), "{input}: {err}");
            assert!(err.contains("expected owner/name"), "{err}");
        }
    }
}
