//! The portal's languages: the translation catalogs in `app/locales/`, choosing the reader's
//! language, looking up texts, and the language switcher.
//!
//! Catalogs are plain `key = value` lines (`#` starts a comment, `{name}` is a placeholder),
//! compiled into the binary and the WASM so the server and the browser render the same words. The
//! language is chosen once per page load: the `keyport_lang` cookie the switcher sets, else the
//! browser's `Accept-Language`, else English. The server writes it into `<html lang>`, where the
//! hydrating browser reads it back, so both sides agree without another request.

use std::collections::HashMap;
use std::sync::OnceLock;

use leptos::prelude::*;

mod domain;
mod switcher;

pub use domain::*;
pub use switcher::*;

/// The cookie the switcher sets; it wins over the browser's `Accept-Language`.
pub const LANGUAGE_COOKIE: &str = "keyport_lang";

/// A language of the portal: the hosted portal's set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    En,
    De,
    Fr,
    Es,
}

/// The catalogs, in the order of [`Locale::ALL`].
const SOURCES: [&str; 4] = [
    include_str!("../../locales/en.ftl"),
    include_str!("../../locales/de.ftl"),
    include_str!("../../locales/fr.ftl"),
    include_str!("../../locales/es.ftl"),
];

impl Locale {
    pub const ALL: [Self; 4] = [Self::En, Self::De, Self::Fr, Self::Es];

    /// The ISO 639-1 code, as in `<html lang>`, the cookie and the catalog's file name.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
            Self::Fr => "fr",
            Self::Es => "es",
        }
    }

    /// The language's name in itself, so the switcher is readable whatever the page's language.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::De => "Deutsch",
            Self::Fr => "Français",
            Self::Es => "Español",
        }
    }

    /// A language tag (`de`, `de-CH`, `DE_de`) to a locale, by its primary language.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Self::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The best supported language of an `Accept-Language` header, by quality (`q`); on a tie
    /// the one listed first. `None` when nothing listed is supported.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(Self, f32)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(locale) = pieces.next().and_then(Self::from_tag) else {
                continue;
            };
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .next()
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .unwrap_or(0.0);
            if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
                best = Some((locale, q));
            }
        }
        best.map(|(locale, _)| locale)
    }

    /// The language of a request: its cookie, else its `Accept-Language`, else English.
    pub fn for_request(cookie: Option<&str>, accept_language: Option<&str>) -> Self {
        cookie
            .and_then(Self::from_tag)
            .or_else(|| accept_language.and_then(Self::from_accept_language))
            .unwrap_or_default()
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Self::En => 0,
            Self::De => 1,
            Self::Fr => 2,
            Self::Es => 3,
        }
    }

    /// Plural category of a count: French counts 0 as singular, the others only 1.
    fn plural(self, n: i64) -> &'static str {
        let one = match self {
            Self::Fr => n == 0 || n == 1,
            Self::En | Self::De | Self::Es => n == 1,
        };
        if one {
            "one"
        } else {
            "other"
        }
    }
}

/// Parses one catalog: `key = value` lines; `#` comments and blank lines are skipped. Returns the
/// entries in file order, so tests can find duplicates.
pub fn parse_catalog(source: &str) -> Vec<(&str, &str)> {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.trim(), value.trim()))
        .collect()
}

pub(crate) fn catalogs() -> &'static [HashMap<&'static str, &'static str>; 4] {
    static CATALOGS: OnceLock<[HashMap<&'static str, &'static str>; 4]> = OnceLock::new();
    CATALOGS.get_or_init(|| SOURCES.map(|source| parse_catalog(source).into_iter().collect()))
}

/// The text of `key` in `locale`; English if the language lacks it, empty (and a warning in debug
/// builds) if no catalog has it. The catalog tests keep both from happening.
pub fn lookup(locale: Locale, key: &str) -> &'static str {
    let catalogs = catalogs();
    catalogs[locale.index()]
        .get(key)
        .or_else(|| catalogs[Locale::En.index()].get(key))
        .copied()
        .unwrap_or_else(|| {
            leptos::logging::debug_warn!("no translation for {key}");
            ""
        })
}

/// The language of the page being rendered. `App` provides it; outside of it (unit tests, code
/// without an owner) the request or the document says.
pub fn current() -> Locale {
    use_context::<Locale>().unwrap_or_else(detect)
}

/// Finds the page's language: on the server from the request (cookie, then `Accept-Language`),
/// in the browser from `<html lang>` as the server rendered it.
pub fn detect() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .map_or(Locale::En, |parts| locale_of(&parts.headers))
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|lang| Locale::from_tag(&lang))
            .unwrap_or_default()
    }
}

/// The language a request asks for: its `keyport_lang` cookie, else its `Accept-Language`; for
/// routes outside Leptos too.
#[cfg(feature = "ssr")]
pub fn locale_of(headers: &axum::http::HeaderMap) -> Locale {
    use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
    let cookie = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANGUAGE_COOKIE)
        .map(|(_, value)| value.trim().to_owned());
    let accept = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    Locale::for_request(cookie.as_deref(), accept)
}

/// The text of `key` in the page's language.
pub fn t(key: &str) -> String {
    lookup(current(), key).to_owned()
}

/// The text of `key` with its `{name}` placeholders filled in.
pub fn t_args(key: &str, args: &[(&str, &str)]) -> String {
    fill(lookup(current(), key), args)
}

/// `{n} …` in the singular or plural the count takes: the catalog entry `key.one` or `key.other`.
pub fn t_count(key: &str, n: i64) -> String {
    t_count_args(key, n, &[])
}

/// [`t_count`] with more placeholders than `{n}`.
pub fn t_count_args(key: &str, n: i64, args: &[(&str, &str)]) -> String {
    let locale = current();
    let n_text = n.to_string();
    let mut all = vec![("n", n_text.as_str())];
    all.extend_from_slice(args);
    fill(lookup(locale, &format!("{key}.{}", locale.plural(n))), &all)
}

/// `{n} …` of `key` in `locale`, in the singular or plural the count takes.
pub fn count_in(locale: Locale, key: &str, n: i64) -> String {
    fill(
        lookup(locale, &format!("{key}.{}", locale.plural(n))),
        &[("n", &n.to_string())],
    )
}

/// A text split around its `{link}` placeholder: what comes before and after the link a view
/// puts there, so each language can place the link where its grammar wants it.
pub fn t_around_link(key: &str) -> (String, String) {
    let text = t(key);
    match text.split_once("{link}") {
        Some((before, after)) => (before.to_owned(), after.to_owned()),
        None => (text, String::new()),
    }
}

/// Replaces `{name}` by its value, for every name given; other braces stay as they are.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let value = after
            .find('}')
            .and_then(|end| args.iter().find(|(name, _)| *name == &after[..end]))
            .map(|(name, value)| (name.len(), value));
        match value {
            Some((len, value)) => {
                out.push_str(value);
                rest = &after[len + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn keys(locale: Locale) -> BTreeSet<&'static str> {
        parse_catalog(SOURCES[locale.index()])
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    /// `{name}` placeholders of a text: names of letters, digits and `_` only (other braces,
    /// like the JSON example of the offline form, are text).
    fn placeholders(text: &str) -> BTreeSet<String> {
        text.split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}'))
            .map(|(name, _)| name)
            .filter(|name| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_language_has_every_key_once() {
        let english = keys(Locale::En);
        for locale in Locale::ALL {
            let entries = parse_catalog(SOURCES[locale.index()]);
            let mut seen = BTreeSet::new();
            for (key, value) in &entries {
                assert!(seen.insert(*key), "{}.ftl: {key} twice", locale.code());
                assert!(!value.is_empty(), "{}.ftl: {key} is empty", locale.code());
            }
            let theirs = keys(locale);
            let missing: Vec<_> = english.difference(&theirs).collect();
            let extra: Vec<_> = theirs.difference(&english).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}.ftl lacks {missing:?} and has {extra:?} that en.ftl lacks",
                locale.code()
            );
        }
        // Every line is an entry: a line without `=` would be dropped silently.
        for (locale, source) in Locale::ALL.into_iter().zip(SOURCES) {
            for line in source.lines().map(str::trim) {
                assert!(
                    line.is_empty() || line.starts_with('#') || line.contains(" = "),
                    "{}.ftl: not `key = value`: {line}",
                    locale.code()
                );
            }
        }
    }

    #[test]
    fn every_translation_has_the_placeholders_of_the_english() {
        let english: BTreeMap<_, _> = parse_catalog(SOURCES[0]).into_iter().collect();
        for locale in Locale::ALL {
            for (key, value) in parse_catalog(SOURCES[locale.index()]) {
                assert_eq!(
                    placeholders(value),
                    placeholders(english.get(key).copied().unwrap_or_default()),
                    "{}.ftl: {key}",
                    locale.code()
                );
            }
        }
    }

    #[test]
    fn plurals_come_in_pairs() {
        let english = keys(Locale::En);
        for key in &english {
            if let Some(stem) = key.strip_suffix(".one") {
                assert!(english.contains(format!("{stem}.other").as_str()), "{stem}");
            }
            if let Some(stem) = key.strip_suffix(".other") {
                assert!(english.contains(format!("{stem}.one").as_str()), "{stem}");
            }
        }
    }

    /// Sources of the app, for the keys they use.
    /// Every source file of the app, subfolders included, up to its tests.
    fn app_sources() -> Vec<(String, String)> {
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        let mut sources = Vec::new();
        while let Some(dir) = dirs.pop() {
            for path in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let source = std::fs::read_to_string(&path).unwrap();
                    // Tests quote keys and calls of their own; only the code before them counts.
                    let code = source
                        .split("#[cfg(test)]")
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    sources.push((path.display().to_string(), code));
                }
            }
        }
        sources
    }

    /// The string literals that follow `call` in `source` (the first argument of each call).
    fn literal_args<'s>(source: &'s str, call: &str) -> Vec<&'s str> {
        source
            .match_indices(call)
            // A whole name: `t(` is not the end of `count(`.
            .filter(|(at, _)| {
                !source[..*at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            })
            .filter_map(|(at, _)| {
                let rest = source[at + call.len()..].trim_start();
                let rest = rest.strip_prefix('"')?;
                rest.find('"').map(|end| &rest[..end])
            })
            .collect()
    }

    #[test]
    fn every_key_the_app_uses_exists() {
        let english = keys(Locale::En);
        let mut used = 0;
        for (path, source) in app_sources() {
            for call in ["t(", "t_args(", "t_around_link("] {
                for key in literal_args(&source, call) {
                    // `t(` also ends `format!(`-like names; only keys look like `a.b`.
                    if !key.contains('.') || key.contains(' ') {
                        continue;
                    }
                    used += 1;
                    assert!(english.contains(key), "{path}: {key} is in no catalog");
                }
            }
            let counted = [
                literal_args(&source, "t_count("),
                literal_args(&source, "t_count_args("),
            ];
            for key in counted.concat() {
                for form in ["one", "other"] {
                    assert!(
                        english.contains(format!("{key}.{form}").as_str()),
                        "{path}: {key}.{form} is in no catalog"
                    );
                }
            }
            for noun in literal_args(&source, "count(") {
                if noun.contains('.') || noun.is_empty() {
                    continue;
                }
                for form in ["one", "other"] {
                    let key = format!("count.{noun}.{form}");
                    assert!(
                        english.contains(key.as_str()),
                        "{path}: {key} is in no catalog"
                    );
                }
            }
        }
        assert!(
            used > 100,
            "the scan found only {used} keys: is it still working?"
        );
    }

    #[test]
    fn accept_language_picks_the_best_supported() {
        let pick = Locale::from_accept_language;
        assert_eq!(pick("de-CH,de;q=0.9,en;q=0.8"), Some(Locale::De));
        assert_eq!(pick("fr;q=0.5, es;q=0.8"), Some(Locale::Es));
        assert_eq!(pick("ja,en;q=0.9,fr;q=0.8"), Some(Locale::En));
        assert_eq!(pick("ja, fr;q=0.1"), Some(Locale::Fr));
        assert_eq!(pick("es-419"), Some(Locale::Es));
        assert_eq!(pick("de;q=0, fr"), Some(Locale::Fr));
        assert_eq!(pick("ja"), None);
        assert_eq!(pick(""), None);
        assert_eq!(pick("*"), None);
        assert_eq!(pick("en;q=abc, fr;q=0.2"), Some(Locale::Fr));
        assert_eq!(Locale::for_request(None, Some("ja")), Locale::En);
        assert_eq!(Locale::for_request(None, None), Locale::En);
        assert_eq!(Locale::for_request(Some("fr"), Some("de")), Locale::Fr);
        assert_eq!(Locale::for_request(Some("xx"), Some("de")), Locale::De);
    }

    #[test]
    fn plural_forms_follow_the_language() {
        assert_eq!(Locale::En.plural(0), "other");
        assert_eq!(Locale::En.plural(1), "one");
        assert_eq!(Locale::Fr.plural(0), "one");
        assert_eq!(Locale::De.plural(2), "other");
    }

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        assert_eq!(fill("{a} and {b}", &[("a", "1"), ("b", "2")]), "1 and 2");
        assert_eq!(fill("{\"format\": {x}}", &[("x", "1")]), "{\"format\": 1}");
        assert_eq!(fill("{missing}", &[]), "{missing}");
    }

    #[test]
    fn the_return_path_stays_on_this_portal() {
        assert_eq!(
            local_path(Some("/login?next=/licenses")),
            "/login?next=/licenses"
        );
        for hostile in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "evil",
            "/a\r\nb",
        ] {
            assert_eq!(local_path(Some(hostile)), "/", "{hostile}");
        }
        assert_eq!(local_path(None), "/");
    }
}
