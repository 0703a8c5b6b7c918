//! The portal's languages: the Fluent catalogs in `app/locales/`, choosing the reader's language,
//! looking up texts, and the language switcher.
//!
//! The catalogs are Project Fluent files (`.ftl`), parsed and formatted by `fluent-bundle`, the
//! reference implementation, and compiled into the binary and the WASM so the server and the
//! browser render the same words. The language is chosen once per page load: the `keyport_lang`
//! cookie the switcher sets, else the browser's `Accept-Language`, else English. The server writes
//! it into `<html lang>`, where the hydrating browser reads it back, so both sides agree without
//! another request.

use std::sync::OnceLock;

use fluent_bundle::FluentArgs;
#[cfg(test)]
use fluent_bundle::FluentResource;
use leptos::prelude::*;
use licensing::i18n::{text_args, Catalogs};

mod domain;
mod switcher;

pub use domain::*;
pub use switcher::*;

/// The cookie the switcher sets; it wins over the browser's `Accept-Language`.
pub const LANGUAGE_COOKIE: &str = "keyport_lang";

pub use licensing::i18n::Locale;

/// The catalogs, in the order of [`Locale::ALL`]: in the server, and in the client-side build,
/// which has no server of its own to fetch one from. The hydrating WASM carries none: it fetches
/// the page's one ([`load_catalog`]), a quarter of the bytes.
#[cfg(not(feature = "hydrate"))]
const SOURCES: [&str; 4] = [
    include_str!("../../locales/en.ftl"),
    include_str!("../../locales/de.ftl"),
    include_str!("../../locales/fr.ftl"),
    include_str!("../../locales/es.ftl"),
];

/// The portal's catalogs, parsed once.
static CATALOGS: OnceLock<Catalogs> = OnceLock::new();

fn catalogs() -> &'static Catalogs {
    #[cfg(not(feature = "hydrate"))]
    let all = || Catalogs::new(SOURCES);
    // Before `load_catalog`, or when it failed: no texts (the page is not hydrated then).
    #[cfg(feature = "hydrate")]
    let all = || Catalogs::new([""; 4]);
    CATALOGS.get_or_init(all)
}

/// The Fluent text of `locale`'s catalog, which the server also serves to the hydrating WASM
/// (`/pkg/<version>/locale-<code>.ftl`).
#[cfg(feature = "ssr")]
pub fn catalog_source(locale: Locale) -> &'static str {
    SOURCES[locale.index()]
}

/// The file name the server gives `locale`'s catalog among the assets.
pub fn catalog_file(locale: Locale) -> String {
    format!("locale-{}.ftl", locale.code())
}

/// The shell's `<link rel="preload">` of the page's catalog: the browser fetches it beside the
/// WASM, and [`load_catalog`] finds its address there.
pub const CATALOG_LINK_ID: &str = "keyport-catalog";

/// Fetches the page's catalog (the language of `<html lang>`) from the address the shell's
/// preload names, before hydration: the server rendered with it, and the hydrated page must say
/// the same. `false` when it cannot be had; the page then stays as the server sent it, which
/// works as it does without JavaScript.
#[cfg(feature = "hydrate")]
pub async fn load_catalog() -> bool {
    let locale = detect();
    let Some(href) = document()
        .get_element_by_id(CATALOG_LINK_ID)
        .and_then(|link| link.get_attribute("href"))
    else {
        return false;
    };
    let text = match gloo_net::http::Request::get(&href).send().await {
        Ok(response) if response.ok() => response.text().await.ok(),
        _ => None,
    };
    let Some(text) = text else {
        return false;
    };
    let mut sources = [""; 4];
    sources[locale.index()] = &text;
    CATALOGS.set(Catalogs::new(sources)).is_ok()
}

/// Whether `locale`'s catalog has the message `key` (for keys made of data, like audit actions).
pub fn has_message(locale: Locale, key: &str) -> bool {
    catalogs().has(locale, key)
}

/// The message `key` in `locale` with `args` for its variables; English if the language lacks it,
/// empty (and a warning in debug builds) if no catalog has it. The catalog tests keep both from
/// happening.
fn format(locale: Locale, key: &str, args: &FluentArgs) -> String {
    let (text, errors) = catalogs().format(locale, key, args);
    if !errors.is_empty() {
        leptos::logging::debug_warn!("{errors:?}");
    }
    text
}

/// The message `key` in `locale`, without variables.
pub fn lookup(locale: Locale, key: &str) -> String {
    text_in(locale, key, &[])
}

/// The message `key` in `locale` with its `{ $name }` variables filled in.
pub fn text_in(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    format(locale, key, &text_args(args))
}

/// A count in `locale`: the message `key` selects its singular or plural on `$n` by the
/// language's CLDR plural rules (French counts 0 as singular, the others only 1).
pub fn count_in(locale: Locale, key: &str, n: i64) -> String {
    count_args_in(locale, key, n, &[])
}

fn count_args_in(locale: Locale, key: &str, n: i64, args: &[(&str, &str)]) -> String {
    let mut fluent = text_args(args);
    // A number, not its text: Fluent selects plural variants on numbers only.
    fluent.set("n", n);
    format(locale, key, &fluent)
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

/// The language the `Cookie` header (or `document.cookie`) names in its `keyport_lang` cookie,
/// as the `cookie` crate parses the header.
pub fn cookie_language(cookie_header: &str) -> Option<String> {
    cookie::Cookie::split_parse(cookie_header)
        .filter_map(Result::ok)
        .find(|c| c.name() == LANGUAGE_COOKIE)
        .map(|c| c.value().to_owned())
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
        .find_map(cookie_language);
    let accept = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    Locale::for_request(cookie.as_deref(), accept)
}

/// The text of `key` in the page's language.
pub fn t(key: &str) -> String {
    lookup(current(), key)
}

/// The text of `key` with its `{ $name }` variables filled in.
pub fn t_args(key: &str, args: &[(&str, &str)]) -> String {
    text_in(current(), key, args)
}

/// `{ $n } …` in the singular or plural the count takes: `key` selects on `$n`.
pub fn t_count(key: &str, n: i64) -> String {
    count_in(current(), key, n)
}

/// [`t_count`] with more variables than `$n`.
pub fn t_count_args(key: &str, n: i64, args: &[(&str, &str)]) -> String {
    count_args_in(current(), key, n, args)
}

/// A text split around its `{ $link }` variable: what comes before and after the link a view
/// puts there, so each language can place the link where its grammar wants it.
pub fn t_around_link(key: &str) -> (String, String) {
    t_around(key, "link")
}

/// A text split around its variable `var`: what comes before and after the element a view puts
/// there (a link, a `<code>`).
pub fn t_around(key: &str, var: &str) -> (String, String) {
    around_in(current(), key, var)
}

fn around_in(locale: Locale, key: &str, var: &str) -> (String, String) {
    // A character no catalog text contains marks where the element goes.
    const MARK: &str = "\u{1}";
    let text = text_in(locale, key, &[(var, MARK)]);
    match text.split_once(MARK) {
        Some((before, after)) => (before.to_owned(), after.to_owned()),
        None => (text, String::new()),
    }
}

/// The ids of `locale`'s messages, as Fluent's parser reads its catalog (for the tests of the
/// typed errors' keys).
#[cfg(test)]
pub(crate) fn message_ids(locale: Locale) -> Vec<String> {
    FluentResource::try_new(SOURCES[locale.index()].to_owned())
        .unwrap_or_else(|(resource, _)| resource)
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(message) => Some(message.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast;
    use std::collections::{BTreeMap, BTreeSet};

    /// A message as the tests compare it: its variables, and the variants of each selection.
    #[derive(Debug, Default, PartialEq)]
    struct Shape {
        variables: BTreeSet<String>,
        selections: Vec<(String, BTreeSet<String>, String)>,
    }

    fn walk_inline(expr: &ast::InlineExpression<&str>, shape: &mut Shape) {
        match expr {
            ast::InlineExpression::VariableReference { id } => {
                shape.variables.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => walk(expression, shape),
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for arg in &arguments.positional {
                    walk_inline(arg, shape);
                }
                for arg in &arguments.named {
                    walk_inline(&arg.value, shape);
                }
            }
            _ => {}
        }
    }

    fn walk(expr: &ast::Expression<&str>, shape: &mut Shape) {
        match expr {
            ast::Expression::Inline(inline) => walk_inline(inline, shape),
            ast::Expression::Select { selector, variants } => {
                walk_inline(selector, shape);
                let name = |key: &ast::VariantKey<&str>| match key {
                    ast::VariantKey::Identifier { name } => name.to_string(),
                    ast::VariantKey::NumberLiteral { value } => value.to_string(),
                };
                let keys = variants.iter().map(|v| name(&v.key)).collect();
                let default = variants
                    .iter()
                    .find(|v| v.default)
                    .map(|v| name(&v.key))
                    .unwrap_or_default();
                let selector = match selector {
                    ast::InlineExpression::VariableReference { id } => id.name.to_owned(),
                    other => format!("{other:?}"),
                };
                shape.selections.push((selector, keys, default));
                for variant in variants {
                    walk_pattern(&variant.value, shape);
                }
            }
        }
    }

    fn walk_pattern(pattern: &ast::Pattern<&str>, shape: &mut Shape) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                walk(expression, shape);
            }
        }
    }

    /// A catalog as Fluent's parser reads it: each message's id and shape, in file order. Fails
    /// on a syntax error, a term, an attribute-only message and a message defined twice.
    fn messages(locale: Locale) -> BTreeMap<String, Shape> {
        let file = format!("{}.ftl", locale.code());
        let resource = FluentResource::try_new(SOURCES[locale.index()].to_owned())
            .unwrap_or_else(|(_, errors)| panic!("{file}: {errors:?}"));
        let mut messages = BTreeMap::new();
        for entry in resource.entries() {
            match entry {
                ast::Entry::Message(message) => {
                    let id = message.id.name;
                    let value = message
                        .value
                        .as_ref()
                        .unwrap_or_else(|| panic!("{file}: {id} has no text"));
                    let mut shape = Shape::default();
                    walk_pattern(value, &mut shape);
                    let earlier = messages.insert(id.to_owned(), shape);
                    assert!(earlier.is_none(), "{file}: {id} twice");
                }
                ast::Entry::Comment(_)
                | ast::Entry::GroupComment(_)
                | ast::Entry::ResourceComment(_) => {}
                other => panic!("{file}: unexpected {other:?}"),
            }
        }
        messages
    }

    #[test]
    fn every_language_has_the_messages_and_variables_of_the_english() {
        let english = messages(Locale::En);
        assert!(english.len() > 300, "only {} messages", english.len());
        for locale in Locale::ALL {
            let theirs = messages(locale);
            let missing: Vec<_> = english
                .keys()
                .filter(|k| !theirs.contains_key(*k))
                .collect();
            let extra: Vec<_> = theirs
                .keys()
                .filter(|k| !english.contains_key(*k))
                .collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}.ftl lacks {missing:?} and has {extra:?} that en.ftl lacks",
                locale.code()
            );
            for (id, shape) in &theirs {
                assert_eq!(
                    shape.variables,
                    english[id].variables,
                    "{}.ftl: {id}",
                    locale.code()
                );
            }
        }
    }

    #[test]
    fn counts_select_one_and_other_on_n() {
        for locale in Locale::ALL {
            for (id, shape) in messages(locale) {
                for (selector, keys, default) in &shape.selections {
                    assert_eq!(selector, "n", "{}.ftl: {id}", locale.code());
                    assert!(keys.contains("one"), "{}.ftl: {id}", locale.code());
                    assert_eq!(default, "other", "{}.ftl: {id}", locale.code());
                }
            }
        }
        // Every count the format helper names is a selection in English (and so, by the test
        // above, has the same variables everywhere).
        let english = messages(Locale::En);
        for (id, shape) in &english {
            if id.starts_with("count-") {
                assert_eq!(shape.selections.len(), 1, "{id}");
            }
        }
    }

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

    /// The string literals in `source` that are a message id of the catalogs' shape
    /// (`group-name`), wherever they stand: keys returned by the error and domain matches too.
    /// Not the values of view attributes (`class="offline-banner"`, `id=`, `data-testid=`) and of
    /// `then_some(` (a class chosen in code), which share that shape.
    fn key_literals(source: &str) -> Vec<&str> {
        let mut keys = Vec::new();
        let mut rest = source;
        while let Some(start) = rest.find('"') {
            let before = &rest[..start];
            let after = &rest[start + 1..];
            let Some(end) = after.find('"') else { break };
            let literal = &after[..end];
            rest = &after[end + 1..];
            let attribute = before.ends_with('=') || before.ends_with("then_some(");
            let shaped = literal.contains('-')
                && !literal.starts_with('-')
                && !literal.ends_with('-')
                && literal
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-');
            if shaped && !attribute {
                keys.push(literal);
            }
        }
        keys
    }

    #[test]
    fn every_key_the_app_uses_exists() {
        let english = messages(Locale::En);
        let prefixes: BTreeSet<&str> = english
            .keys()
            .filter_map(|id| id.split('-').next())
            .collect();
        let mut used = 0;
        for (path, source) in app_sources() {
            for call in [
                "t(",
                "t_args(",
                "t_around_link(",
                "t_count(",
                "t_count_args(",
            ] {
                for key in literal_args(&source, call) {
                    used += 1;
                    assert!(english.contains_key(key), "{path}: {key} is in no catalog");
                }
            }
            // Keys named elsewhere (`lookup(locale, "…")`, the error and domain matches): every
            // literal shaped like a key of a known group.
            for key in key_literals(&source) {
                if prefixes.contains(key.split('-').next().unwrap_or_default()) {
                    used += 1;
                    assert!(english.contains_key(key), "{path}: {key} is in no catalog");
                }
            }
            for noun in literal_args(&source, "count(") {
                let key = format!("count-{noun}");
                assert!(english.contains_key(&key), "{path}: {key} is in no catalog");
            }
        }
        assert!(
            used > 300,
            "the scan found only {used} keys: is it still working?"
        );
    }

    /// A text split around an element has the element's variable in every language: without it
    /// the page would show Fluent's `{$link}` placeholder and the element after the sentence.
    #[test]
    fn every_text_split_around_an_element_has_its_variable() {
        let mut splits: Vec<(String, &str)> = Vec::new();
        for (_, source) in app_sources() {
            for key in literal_args(&source, "t_around_link(") {
                splits.push((key.to_owned(), "link"));
            }
        }
        splits.push(("admin-license_key".to_owned(), "key"));
        assert!(splits.len() >= 4, "the scan found only {splits:?}");
        for locale in Locale::ALL {
            for (key, var) in &splits {
                let (before, after) = around_in(locale, key, var);
                assert!(
                    !before.contains('{') && !after.contains('{'),
                    "{locale:?} {key} has no {{ ${var} }}: {before}|{after}"
                );
            }
        }
    }

    #[test]
    fn messages_are_formatted_with_their_variables() {
        assert_eq!(
            text_in(Locale::En, "app-title_page", &[("page", "Licenses")]),
            "Licenses · Keyport"
        );
        assert_eq!(count_in(Locale::En, "count-device", 1), "1 device");
        assert_eq!(count_in(Locale::En, "count-device", 0), "0 devices");
        assert_eq!(count_in(Locale::Fr, "count-device", 0), "0 appareil");
        assert_eq!(count_in(Locale::De, "count-device", 2), "2 Geräte");
        assert!(lookup(Locale::En, "offline-placeholder").starts_with("{\"format\""));
        assert!(has_message(Locale::Es, "nav-dashboard"));
        assert!(!has_message(Locale::Es, "nav-nothing"));
        // No isolation marks around variables.
        assert!(!text_in(Locale::De, "app-title_page", &[("page", "x")]).contains('\u{2068}'));
    }

    #[test]
    fn the_language_cookie_is_found_among_others() {
        assert_eq!(
            cookie_language("a=1; keyport_lang=de; b=2").as_deref(),
            Some("de")
        );
        assert_eq!(cookie_language("keyport_session=x"), None);
        assert_eq!(cookie_language(""), None);
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
    fn the_language_cookie_lasts_a_year_and_is_secure_over_https() {
        assert_eq!(
            language_cookie(Locale::De, false),
            "keyport_lang=de; SameSite=Lax; Path=/; Max-Age=31536000"
        );
        assert_eq!(
            language_cookie(Locale::Fr, true),
            "keyport_lang=fr; SameSite=Lax; Secure; Path=/; Max-Age=31536000"
        );
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
