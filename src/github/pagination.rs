//! The `Link` header GitHub pages lists with (RFC 8288):
//! `<https://api.github.com/repositories/1/branches?per_page=100&page=2>; rel="next", <...>; rel="last"`.

/// The target of the `rel="next"` link, if any.
pub fn next_link(header: &str) -> Option<String> {
    links(header)
        .into_iter()
        .find(|(_, rels)| rels.iter().any(|r| r.eq_ignore_ascii_case("next")))
        .map(|(url, _)| url)
}

/// Every link with its relation types.
fn links(header: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = header;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            break;
        };
        let url = after[..close].trim().to_string();
        let params_and_more = &after[close + 1..];
        // The parameters run to the next link (a comma followed by '<') or the end.
        let end = params_and_more
            .match_indices(',')
            .find(|(i, _)| params_and_more[i + 1..].trim_start().starts_with('<'))
            .map_or(params_and_more.len(), |(i, _)| i);
        let params = &params_and_more[..end];
        let mut rels = Vec::new();
        for param in params.split(';') {
            let Some((key, value)) = param.split_once('=') else {
                continue;
            };
            if key.trim().eq_ignore_ascii_case("rel") {
                let value = value.trim().trim_matches('"');
                rels.extend(value.split_whitespace().map(str::to_string));
            }
        }
        out.push((url, rels));
        rest = &params_and_more[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_next_among_several_links() {
        let h = r#"<https://api.github.com/repositories/1/branches?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/branches?per_page=100&page=5>; rel="last""#;
        assert_eq!(
            next_link(h).as_deref(),
            Some("https://api.github.com/repositories/1/branches?per_page=100&page=2")
        );
        let h = r#"<https://x/b?page=1>; rel="prev", <https://x/b?page=3>; rel="next""#;
        assert_eq!(next_link(h).as_deref(), Some("https://x/b?page=3"));
    }

    #[test]
    fn last_page_has_no_next() {
        let h = r#"<https://x/b?page=1>; rel="first", <https://x/b?page=2>; rel="prev""#;
        assert_eq!(next_link(h), None);
        assert_eq!(next_link(""), None);
        assert_eq!(next_link("garbage; rel=next"), None);
    }

    #[test]
    fn tolerates_spacing_unquoted_and_multiple_relations() {
        assert_eq!(
            next_link("<https://x/a?q=1,2&page=2> ;rel=next").as_deref(),
            Some("https://x/a?q=1,2&page=2")
        );
        assert_eq!(
            next_link(r#"<https://x/c>; title="a, b"; rel="last next""#).as_deref(),
            Some("https://x/c")
        );
        assert_eq!(next_link("<https://x/broken; rel=\"next\""), None);
    }
}
