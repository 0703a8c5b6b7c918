//! Languages and Fluent catalogs, shared by every surface that speaks to people: the portal (its
//! catalogs in `app/locales/`) and email (`licensing/locales/mail-*.ftl`). One `Locale` type and
//! one formatting engine, so a page and an email choose and format words the same way.
//!
//! The catalogs are Project Fluent files, parsed and formatted by `fluent-bundle`, the reference
//! implementation; each user of this module compiles its own files in (`include_str!`).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

/// A language of the portal and its email: the hosted portal's set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    En,
    De,
    Fr,
    Es,
}

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

    /// The position of the language in [`Locale::ALL`] (and of its catalog in [`Catalogs`]).
    pub fn index(self) -> usize {
        match self {
            Self::En => 0,
            Self::De => 1,
            Self::Fr => 2,
            Self::Es => 3,
        }
    }
}

/// One catalog per language, in the order of [`Locale::ALL`], parsed into bundles that format
/// their messages. Concurrent bundles, because the server formats from many threads at once.
pub struct Catalogs {
    bundles: [FluentBundle<FluentResource>; 4],
}

impl Catalogs {
    /// The catalogs of `sources` (Fluent text, one per language in [`Locale::ALL`]'s order). A
    /// syntax error loses only the messages it is in; each user's catalog tests refuse any.
    pub fn new(sources: [&str; 4]) -> Self {
        let bundles = Locale::ALL.map(|locale| {
            let language = locale
                .code()
                .parse()
                .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
            let mut bundle = FluentBundle::new_concurrent(vec![language]);
            // No Unicode isolation marks around placeables: all four languages run left to
            // right, and the marks would end up in titles, attributes, subjects and the APIs'
            // English error messages.
            bundle.set_use_isolating(false);
            let resource = FluentResource::try_new(sources[locale.index()].to_owned())
                .unwrap_or_else(|(resource, _errors)| resource);
            // A message defined twice keeps its first text; the catalog tests refuse duplicates.
            let _ = bundle.add_resource(resource);
            bundle
        });
        Self { bundles }
    }

    /// Whether `locale`'s catalog has the message `key`.
    pub fn has(&self, locale: Locale, key: &str) -> bool {
        self.bundles[locale.index()].has_message(key)
    }

    /// The message `key` in `locale` with `args`; English if the language lacks it, empty if no
    /// catalog has it (the catalog tests keep both from happening). Formatting errors (a missing
    /// variable) are returned beside the text, for the caller to report as it reports things.
    pub fn format(&self, locale: Locale, key: &str, args: &FluentArgs) -> (String, Vec<String>) {
        let found = [locale, Locale::En].into_iter().find_map(|l| {
            let bundle = &self.bundles[l.index()];
            Some((bundle, bundle.get_message(key)?.value()?))
        });
        let Some((bundle, pattern)) = found else {
            return (String::new(), vec![format!("no translation for {key}")]);
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(args), &mut errors);
        (
            text.into_owned(),
            errors.iter().map(|e| format!("{key}: {e:?}")).collect(),
        )
    }
}

/// Fluent arguments of `name = value` pairs, all text.
pub fn text_args<'a>(args: &[(&'a str, &'a str)]) -> FluentArgs<'a> {
    let mut fluent = FluentArgs::with_capacity(args.len() + 1);
    for (name, value) in args {
        fluent.set(*name, *value);
    }
    fluent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_headers_choose_a_language() {
        assert_eq!(Locale::from_tag("de-CH"), Some(Locale::De));
        assert_eq!(Locale::from_tag("pt"), None);
        assert_eq!(
            Locale::from_accept_language("pt;q=1, fr;q=0.8, de;q=0.9"),
            Some(Locale::De)
        );
        assert_eq!(Locale::for_request(Some("es"), Some("de")), Locale::Es);
        assert_eq!(Locale::for_request(None, None), Locale::En);
    }

    #[test]
    fn a_missing_language_falls_back_to_english_and_a_missing_variable_is_reported() {
        let catalogs = Catalogs::new([
            "hello = Hello { $name }\nonly-en = English only",
            "hello = Hallo { $name }",
            "hello = Bonjour { $name }",
            "hello = Hola { $name }",
        ]);
        let (text, errors) = catalogs.format(Locale::De, "hello", &text_args(&[("name", "Uma")]));
        assert_eq!((text.as_str(), errors.len()), ("Hallo Uma", 0));
        assert_eq!(
            catalogs.format(Locale::Fr, "only-en", &text_args(&[])).0,
            "English only"
        );
        assert_eq!(
            catalogs
                .format(Locale::Es, "hello", &text_args(&[]))
                .1
                .len(),
            1
        );
        assert!(!catalogs.has(Locale::De, "only-en"));
    }
}
