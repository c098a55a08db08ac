//! Words as pftui writes them for people: a count with its noun (`3 projects`), and a word
//! quoted for a POSIX shell when it needs it (commands pftui suggests are pasted into one).

/// `1 project`, `3 projects`, `2 entries`.
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    let consonant_y = noun
        .strip_suffix('y')
        .and_then(|stem| stem.chars().last())
        .is_some_and(|c| !"aeiou".contains(c));
    if consonant_y {
        format!("{n} {}ies", &noun[..noun.len() - 1])
    } else {
        format!("{n} {noun}s")
    }
}

/// `word` as one shell word: as it is when every character is safe unquoted, in single
/// quotes otherwise.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_their_plural() {
        assert_eq!(plural(1, "project"), "1 project");
        assert_eq!(plural(0, "project"), "0 projects");
        assert_eq!(plural(3, "entry"), "3 entries");
        assert_eq!(plural(2, "day"), "2 days");
    }

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(shell_word("air-staging"), "air-staging");
        assert_eq!(shell_word("http://127.0.0.1:9"), "http://127.0.0.1:9");
        assert_eq!(shell_word("1|abc"), "'1|abc'");
        assert_eq!(shell_word("my app"), "'my app'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }
}
