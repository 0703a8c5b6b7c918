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
use leptos_router::hooks::use_location;
use licensing::audit::AuditEntry;
use licensing::licenses::{LicenseRole, LicenseStatus, LicenseType};
use licensing::AppError;

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
    include_str!("../locales/en.ftl"),
    include_str!("../locales/de.ftl"),
    include_str!("../locales/fr.ftl"),
    include_str!("../locales/es.ftl"),
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

    fn index(self) -> usize {
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

fn catalogs() -> &'static [HashMap<&'static str, &'static str>; 4] {
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

/// The catalog key of an English text from the services (a field name or message of
/// `AppError::Invalid`, the message of `AppError::Conflict`): `text.` and the text's words,
/// lowercased and joined by `_`. Catalogs are keyed by the English, as with gettext.
pub fn text_key(english: &str) -> String {
    let mut key = String::from("text.");
    let mut gap = false;
    for c in english.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !key.ends_with('.') {
                key.push('_');
            }
            gap = false;
            key.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    key
}

/// An English text from the services in the page's language. Texts built with `format!` match a
/// template of the English catalog (`The license is already {status}.`) and keep their values;
/// anything unknown stays English rather than vanish.
pub fn translate_text(english: &str) -> String {
    translate_text_in(current(), english)
}

fn translate_text_in(locale: Locale, english: &str) -> String {
    // The services write English: it needs no lookup (whose lowercase keys would also merge
    // "Customer" the field with "customer" the thing not found).
    if locale == Locale::En {
        return english.to_owned();
    }
    let catalogs = catalogs();
    let key = text_key(english);
    if let Some(text) = catalogs[locale.index()].get(key.as_str()) {
        return (*text).to_owned();
    }
    for (key, template) in &catalogs[Locale::En.index()] {
        if !key.starts_with("text.") || !template.contains('{') {
            continue;
        }
        if let Some(values) = match_template(template, english) {
            // A role or status inside the text is English too; names and numbers stay as they are.
            let values: Vec<(&str, String)> = values
                .into_iter()
                .map(|(name, value)| match name {
                    "role" | "status" => {
                        let word = catalogs[locale.index()].get(text_key(&value).as_str());
                        (name, word.map_or(value, |w| (*w).to_owned()))
                    }
                    _ => (name, value),
                })
                .collect();
            let args: Vec<(&str, &str)> = values
                .iter()
                .map(|(name, value)| (*name, value.as_str()))
                .collect();
            return fill(lookup(locale, key), &args);
        }
    }
    english.to_owned()
}

/// The placeholder values of `text` if it reads like `template` (`{name}` matching any text).
fn match_template<'t>(template: &'t str, text: &str) -> Option<Vec<(&'t str, String)>> {
    let mut values = Vec::new();
    let (first, mut rest_template) = template.split_once('{').unwrap_or((template, ""));
    let mut rest = text.strip_prefix(first)?;
    while !rest_template.is_empty() {
        let (name, after) = rest_template.split_once('}')?;
        let (literal, next) = after.split_once('{').unwrap_or((after, ""));
        let end = if next.is_empty() && literal.is_empty() {
            rest.len()
        } else if next.is_empty() {
            // The last literal ends the text.
            rest.strip_suffix(literal)?.len()
        } else {
            rest.find(literal)?
        };
        if end == 0 {
            return None;
        }
        values.push((name, rest[..end].to_owned()));
        rest = &rest[end + literal.len()..];
        rest_template = next;
    }
    rest.is_empty().then_some(values)
}

/// An error as the portal shows it, in the page's language. The match is exhaustive on purpose:
/// a new variant does not compile until it has a translation.
pub fn error_text(error: &AppError) -> String {
    let n = |allowed: &i64| allowed.to_string();
    match error {
        AppError::Unauthenticated => t("error.unauthenticated"),
        AppError::InvalidCredentials => t("error.invalid_credentials"),
        AppError::Forbidden => t("error.forbidden"),
        AppError::NotFound { what } => {
            t_args("error.not_found", &[("what", &translate_text(what))])
        }
        AppError::Invalid { field, message } => t_args(
            "error.invalid",
            &[
                ("field", &translate_text(field)),
                ("message", &translate_text(message)),
            ],
        ),
        AppError::Conflict { message } => translate_text(message),
        AppError::TooManyDevices { allowed } => {
            t_args("error.too_many_devices", &[("allowed", &n(allowed))])
        }
        AppError::DeactivationLimitReached { allowed } => t_args(
            "error.deactivation_limit_reached",
            &[("allowed", &n(allowed))],
        ),
        AppError::SeatLimitReached { allowed } => {
            t_args("error.seat_limit_reached", &[("allowed", &n(allowed))])
        }
        AppError::NoLicense => t("error.no_license"),
        AppError::LicenseInactive => t("error.license_inactive"),
        AppError::DeviceDeactivated => t("error.device_deactivated"),
        AppError::TooManyAttempts { minutes } => {
            let locale = current();
            fill(
                lookup(locale, "error.too_many_attempts"),
                &[("minutes", &t_count("count.minute", *minutes))],
            )
        }
        AppError::Unavailable => t("error.unavailable"),
        AppError::Busy { .. } => t("error.busy"),
        AppError::Offline => t("error.offline"),
        AppError::Internal => t("error.internal"),
    }
}

/// An error's English text as it arrives in an address (the offline activation form's
/// `?offline_error=`), in the page's language: `Field: message` piece by piece, or the whole.
pub fn translate_error_message(english: &str) -> String {
    let whole = translate_text(english);
    if whole != english {
        return whole;
    }
    match english.split_once(": ") {
        Some((field, message)) => t_args(
            "error.invalid",
            &[
                ("field", &translate_text(field)),
                ("message", &translate_text(message)),
            ],
        ),
        None => whole,
    }
}

pub fn license_type(t: LicenseType) -> String {
    self::t(&format!("license_type.{}", t.as_str()))
}

pub fn license_status(status: LicenseStatus) -> String {
    t(match status {
        LicenseStatus::Active => "license_status.active",
        LicenseStatus::Suspended => "license_status.suspended",
        LicenseStatus::Expired => "license_status.expired",
    })
}

pub fn role(role: LicenseRole) -> String {
    t(&format!("role.{}", role.as_str()))
}

/// An audit event's action in words; an action the catalogs do not know yet reads as the log
/// describes it.
pub fn audit_action(entry: &AuditEntry) -> String {
    let key = format!("audit.action.{}", entry.action);
    let locale = current();
    if catalogs()[locale.index()].contains_key(key.as_str()) {
        lookup(locale, &key).to_owned()
    } else {
        entry.describe().to_owned()
    }
}

/// A kind of audit event (`device`, `license`, …), as the log's filter offers it.
pub fn audit_kind(kind: &str) -> String {
    t(&format!("audit.kind.{kind}"))
}

/// Sets the language cookie and goes back to the page the switcher was on. A plain form posts
/// here (see [`LanguageSwitcher`]), so the browser loads that page anew in the new language.
#[server(endpoint = "set_language")]
pub async fn set_language(lang: String, next: Option<String>) -> Result<(), AppError> {
    use axum::http::header::SET_COOKIE;
    use axum::http::HeaderValue;

    let locale = Locale::from_tag(&lang).unwrap_or_default();
    // Not HttpOnly: the client-rendered build (Trunk) has no server render to read it for it, and
    // a language is no secret. Over HTTPS it still never travels in the clear.
    let secure = crate::session::state().is_ok_and(|state| state.secure_cookies);
    let cookie = format!(
        "{LANGUAGE_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{}",
        locale.code(),
        if secure { "; Secure" } else { "" }
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        response.append_header(SET_COOKIE, value);
    }
    leptos_axum::redirect(&local_path(next.as_deref()));
    Ok(())
}

/// The page to return to after switching, if it is on this portal; else the start page.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(path) if crate::auth::is_local_path(path) => path.to_owned(),
        _ => "/".to_owned(),
    }
}

/// The language switcher: a labelled select and a button in an ordinary form, posting to
/// [`set_language`] with the current address to come back to. Not an `ActionForm`: the browser
/// must load the page anew in the new language, and a plain form does that with and without
/// JavaScript alike (an `ActionForm` would only navigate inside the app).
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let locale = current();
    let location = use_location();
    let here =
        move || crate::layout::current_path(&location.pathname.get(), &location.search.get());
    view! {
        <form class="language" method="post" action=SetLanguage::url()>
            <input type="hidden" name="next" value=here />
            <label for="language">{t("language.label")}</label>
            <select id="language" name="lang">
                {Locale::ALL
                    .into_iter()
                    .map(|l| {
                        view! {
                            <option value=l.code() lang=l.code() selected=l == locale>
                                {l.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="small secondary">{t("language.submit")}</button>
        </form>
    }
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
    fn app_sources() -> Vec<(String, String)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .map(|p| {
                let source = std::fs::read_to_string(&p).unwrap();
                // Tests quote keys and calls of their own; only the code before them counts.
                let code = source
                    .split("#[cfg(test)]")
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                (p.display().to_string(), code)
            })
            .collect()
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

    /// Reads the string literal at the start of `s`, as Rust does (escapes, `\` line
    /// continuations); `None` if `s` does not start with one.
    fn rust_literal(s: &str) -> Option<String> {
        let mut chars = s.strip_prefix('"')?.chars().peekable();
        let mut out = String::new();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(out),
                '\\' => match chars.next()? {
                    'n' => out.push('\n'),
                    '"' => out.push('"'),
                    '\'' => out.push('\''),
                    '\\' => out.push('\\'),
                    '\n' => {
                        while chars.peek().is_some_and(|c| c.is_whitespace()) {
                            chars.next();
                        }
                    }
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        None
    }

    /// Every literal field name and message the services pass to `AppError::invalid(…)`, and
    /// every literal `Conflict` message: these reach the portal's pages.
    fn service_texts() -> BTreeSet<String> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let mut files = vec![format!("{root}/server/src/offline.rs")];
        let mut dirs = vec![format!("{root}/licensing/src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path.display().to_string());
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path.display().to_string());
                }
            }
        }
        let mut texts = BTreeSet::new();
        for file in files {
            let source = std::fs::read_to_string(&file).unwrap();
            for (at, _) in source.match_indices("AppError::invalid(") {
                let rest = source[at + "AppError::invalid(".len()..].trim_start();
                // The field: a literal, or a name whose texts are literals elsewhere.
                let rest = match rust_literal(rest) {
                    Some(field) => {
                        texts.insert(field);
                        &rest[literal_len(rest)..]
                    }
                    None => rest.split_once(',').map_or("", |(_, r)| r),
                };
                let rest = rest.trim_start().trim_start_matches(',').trim_start();
                if let Some(message) = rust_literal(rest) {
                    texts.insert(message);
                }
            }
            // Field names passed on through a helper or a constant.
            for call in ["required(", "REQUEST: &str ="] {
                for (at, _) in source.match_indices(call) {
                    if let Some(field) = rust_literal(source[at + call.len()..].trim_start()) {
                        texts.insert(field);
                    }
                }
            }
            for (at, _) in source.match_indices("Conflict {") {
                let rest = source[at + "Conflict {".len()..].trim_start();
                let Some(rest) = rest.strip_prefix("message:") else {
                    continue;
                };
                if let Some(message) = rust_literal(rest.trim_start()) {
                    texts.insert(message);
                }
            }
        }
        texts
    }

    /// Length in bytes of the string literal at the start of `s`.
    fn literal_len(s: &str) -> usize {
        let mut escaped = false;
        for (i, c) in s.char_indices().skip(1) {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => return i + 1,
                _ => escaped = false,
            }
        }
        s.len()
    }

    #[test]
    fn every_service_text_is_translated() {
        let texts = service_texts();
        assert!(
            texts.contains("is required."),
            "the scan is broken: {texts:?}"
        );
        assert!(
            texts.contains("Confirm password"),
            "the scan is broken: {texts:?}"
        );
        for text in &texts {
            let key = text_key(text);
            for locale in Locale::ALL {
                assert!(
                    keys(locale).contains(key.as_str()),
                    "{}.ftl lacks {key} = {text}",
                    locale.code()
                );
            }
        }
    }

    #[test]
    fn text_keys_match_their_english() {
        for (key, value) in parse_catalog(SOURCES[0]) {
            if key.starts_with("text.") {
                assert_eq!(text_key(value), key, "en.ftl: {key} = {value}");
            }
        }
    }

    #[test]
    fn service_texts_are_translated_with_their_values() {
        assert_eq!(
            translate_text_in(Locale::De, "is required."),
            lookup(Locale::De, "text.is_required")
        );
        assert_eq!(
            translate_text_in(Locale::En, "The license is already suspended."),
            "The license is already suspended."
        );
        assert_eq!(
            translate_text_in(Locale::De, "The license is already suspended."),
            "Die Lizenz ist bereits gesperrt."
        );
        assert_eq!(
            translate_text_in(Locale::Es, "License manager of CodeGlass"),
            "Gestor de licencia de CodeGlass"
        );
        assert_eq!(
            translate_text_in(Locale::Fr, "Unknown text"),
            "Unknown text"
        );
    }

    #[test]
    fn english_errors_read_as_before() {
        let errors = [
            AppError::Unauthenticated,
            AppError::InvalidCredentials,
            AppError::Forbidden,
            AppError::not_found("license"),
            AppError::invalid("Name", "is required."),
            AppError::invalid("Somefield", "some unknown message."),
            AppError::Conflict {
                message: "That already exists.".into(),
            },
            AppError::TooManyDevices { allowed: 3 },
            AppError::DeactivationLimitReached { allowed: 3 },
            AppError::SeatLimitReached { allowed: 5 },
            AppError::NoLicense,
            AppError::LicenseInactive,
            AppError::DeviceDeactivated,
            AppError::TooManyAttempts { minutes: 1 },
            AppError::TooManyAttempts { minutes: 15 },
            AppError::Unavailable,
            AppError::Busy {
                retry_after_secs: 1,
            },
            AppError::Offline,
            AppError::Internal,
        ];
        for error in errors {
            assert_eq!(error_text(&error), error.to_string());
            assert_eq!(
                translate_error_message(&error.to_string()),
                error.to_string()
            );
        }
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
    fn templates_match_formatted_texts() {
        assert_eq!(
            match_template(
                "The device \"{name}\" was already reset.",
                "The device \"A\" was already reset."
            ),
            Some(vec![("name", "A".to_owned())])
        );
        assert_eq!(
            match_template(
                "{name} is already a {role}.",
                "Uma is already a license user."
            ),
            Some(vec![
                ("name", "Uma".to_owned()),
                ("role", "license user".to_owned())
            ])
        );
        assert_eq!(
            match_template("The license is already {status}.", "Nope."),
            None
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

    #[test]
    fn text_keys_are_the_words() {
        assert_eq!(text_key("is required."), "text.is_required");
        assert_eq!(text_key("Valid for"), "text.valid_for");
        assert_eq!(
            text_key("use 1 to 64 letters, digits, '-' or '_'."),
            "text.use_1_to_64_letters_digits_or"
        );
    }
}
