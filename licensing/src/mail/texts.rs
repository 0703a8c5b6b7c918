//! The words of each email, from the mail catalogs (`licensing/locales/mail-*.ftl`) in the
//! recipient's language: a subject, a plain-text body and the same body as HTML, with every
//! variable escaped there (names and company IDs are typed by people).

use std::sync::OnceLock;

use super::MailKind;
use crate::i18n::{text_args, Catalogs, Locale};

const SOURCES: [&str; 4] = [
    include_str!("../../locales/mail-en.ftl"),
    include_str!("../../locales/mail-de.ftl"),
    include_str!("../../locales/mail-fr.ftl"),
    include_str!("../../locales/mail-es.ftl"),
];

fn catalogs() -> &'static Catalogs {
    static CATALOGS: OnceLock<Catalogs> = OnceLock::new();
    CATALOGS.get_or_init(|| Catalogs::new(SOURCES))
}

/// What one email says, by kind, with the facts its text names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Letter<'a> {
    /// After a sale, to an owner without a password: how to log in.
    Credentials {
        /// The owner manages the license (an Organisation license), rather than only using it.
        manages: bool,
        product: &'a str,
        customer: &'a str,
        company: &'a str,
        email: &'a str,
        link: &'a str,
    },
    /// More subscriptions for an owner who already logs in.
    Receipt {
        product: &'a str,
        customer: &'a str,
        count: i64,
        seats: i64,
        devices: i64,
    },
    Invitation {
        manager: &'a str,
        product: &'a str,
        customer: &'a str,
        company: &'a str,
        email: &'a str,
        link: &'a str,
    },
    /// To the owner of an address a manager tried to add although it belongs elsewhere.
    InvitationRefused {
        customer: &'a str,
        email: &'a str,
    },
    PasswordReset {
        company: &'a str,
        email: &'a str,
        link: &'a str,
    },
    PasswordChanged {
        company: &'a str,
        email: &'a str,
    },
}

/// An email's words, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Letter<'_> {
    pub fn kind(&self) -> MailKind {
        match self {
            Self::Credentials { .. } => MailKind::Credentials,
            Self::Receipt { .. } => MailKind::Receipt,
            Self::Invitation { .. } => MailKind::Invitation,
            Self::InvitationRefused { .. } => MailKind::InvitationRefused,
            Self::PasswordReset { .. } => MailKind::PasswordReset,
            Self::PasswordChanged { .. } => MailKind::PasswordChanged,
        }
    }

    /// The message keys of its paragraphs, the link it carries, and its variables.
    fn parts(&self) -> (Vec<&'static str>, Option<&str>, Vec<(&'static str, String)>) {
        let text = |s: &str| s.to_owned();
        match self {
            Self::Credentials {
                manages,
                product,
                customer,
                company,
                email,
                link,
            } => (
                vec![
                    if *manages {
                        "mail-credentials-body-manager"
                    } else {
                        "mail-credentials-body-user"
                    },
                    "mail-credentials-login",
                ],
                Some(link),
                vec![
                    ("product", text(product)),
                    ("customer", text(customer)),
                    ("company", text(company)),
                    ("email", text(email)),
                ],
            ),
            Self::Receipt {
                product,
                customer,
                count,
                seats,
                devices,
            } => (
                vec!["mail-receipt-body"],
                None,
                vec![
                    ("product", text(product)),
                    ("customer", text(customer)),
                    ("count", count.to_string()),
                    ("seats", seats.to_string()),
                    ("devices", devices.to_string()),
                ],
            ),
            Self::Invitation {
                manager,
                product,
                customer,
                company,
                email,
                link,
            } => (
                vec!["mail-invitation-body"],
                Some(link),
                vec![
                    ("manager", text(manager)),
                    ("product", text(product)),
                    ("customer", text(customer)),
                    ("company", text(company)),
                    ("email", text(email)),
                ],
            ),
            Self::InvitationRefused { customer, email } => (
                vec!["mail-invitation_refused-body"],
                None,
                vec![("customer", text(customer)), ("email", text(email))],
            ),
            Self::PasswordReset {
                company,
                email,
                link,
            } => (
                vec!["mail-password_reset-body"],
                Some(link),
                vec![("company", text(company)), ("email", text(email))],
            ),
            Self::PasswordChanged { company, email } => (
                vec!["mail-password_changed-body"],
                None,
                vec![("company", text(company)), ("email", text(email))],
            ),
        }
    }
}

fn subject_key(kind: MailKind) -> &'static str {
    match kind {
        MailKind::Credentials => "mail-credentials-subject",
        MailKind::Receipt => "mail-receipt-subject",
        MailKind::Invitation => "mail-invitation-subject",
        MailKind::InvitationRefused => "mail-invitation_refused-subject",
        MailKind::PasswordReset => "mail-password_reset-subject",
        MailKind::PasswordChanged => "mail-password_changed-subject",
    }
}

/// The words of `letter` in `locale`, from `vendor` to a person called `name`. Formatting errors
/// (a catalog without a variable the code gives) are logged; the catalog tests keep them away.
pub fn compose(locale: Locale, vendor: &str, name: &str, letter: &Letter<'_>) -> Composed {
    let (paragraphs, link, mut vars) = letter.parts();
    vars.push(("vendor", vendor.to_owned()));
    vars.push(("name", name.to_owned()));
    let in_text = |key: &str, escape: bool| {
        let values: Vec<(&str, String)> = vars
            .iter()
            .map(|(k, v)| (*k, if escape { html_escape(v) } else { v.clone() }))
            .collect();
        let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (text, errors) = catalogs().format(locale, key, &text_args(&pairs));
        for error in errors {
            tracing::error!(%error, "an email text is incomplete");
        }
        text
    };
    let subject = in_text(subject_key(letter.kind()), false);
    let mut text = vec![in_text("mail-greeting", false)];
    let mut html = vec![format!("<p>{}</p>", in_text("mail-greeting", true))];
    for key in paragraphs {
        text.push(in_text(key, false));
        html.push(format!("<p>{}</p>", in_text(key, true)));
    }
    if let Some(link) = link {
        text.push(link.to_owned());
        let link = html_escape(link);
        html.push(format!("<p><a href=\"{link}\">{link}</a></p>"));
    }
    text.push(in_text("mail-signature", false));
    html.push(format!("<p>{}</p>", in_text("mail-signature", true)));
    text.push(format!("--\n{}", in_text("mail-footer", false)));
    html.push(format!(
        "<p style=\"color:#666;font-size:small\">{}</p>",
        in_text("mail-footer", true)
    ));
    Composed {
        subject,
        text: text.join("\n\n"),
        html: format!(
            "<!DOCTYPE html><html lang=\"{}\"><body>{}</body></html>",
            locale.code(),
            html.join("\n")
        ),
    }
}

fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast::Entry;

    fn letters() -> Vec<Letter<'static>> {
        let link = "https://licenses.example/set-password?token=abc";
        vec![
            Letter::Credentials {
                manages: true,
                product: "CodeGlass",
                customer: "Acme Corp",
                company: "CodeGlass",
                email: "morgan@acme.example",
                link,
            },
            Letter::Credentials {
                manages: false,
                product: "CodeGlass",
                customer: "Acme Corp",
                company: "CodeGlass",
                email: "morgan@acme.example",
                link,
            },
            Letter::Receipt {
                product: "CodeGlass",
                customer: "Acme Corp",
                count: 2,
                seats: 15,
                devices: 30,
            },
            Letter::Invitation {
                manager: "Morgan Manager",
                product: "CodeGlass",
                customer: "Acme Corp",
                company: "CodeGlass",
                email: "uma@acme.example",
                link,
            },
            Letter::InvitationRefused {
                customer: "Acme Corp",
                email: "vera@codeglass.example",
            },
            Letter::PasswordReset {
                company: "CodeGlass",
                email: "uma@acme.example",
                link,
            },
            Letter::PasswordChanged {
                company: "CodeGlass",
                email: "uma@acme.example",
            },
        ]
    }

    fn ids(source: &str) -> Vec<String> {
        fluent_syntax::parser::parse(source.to_owned())
            .expect("the catalog parses")
            .body
            .into_iter()
            .filter_map(|entry| match entry {
                Entry::Message(m) => Some(m.id.name),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_language_has_the_same_messages() {
        let english = ids(SOURCES[0]);
        for (locale, source) in Locale::ALL.into_iter().zip(SOURCES) {
            assert_eq!(ids(source), english, "{locale:?}");
        }
    }

    #[test]
    fn every_letter_composes_in_every_language_with_every_variable() {
        for locale in Locale::ALL {
            for letter in letters() {
                let mail = compose(locale, "CodeGlass", "Uma User", &letter);
                for part in [&mail.subject, &mail.text, &mail.html] {
                    assert!(
                        !part.contains("{$") && !part.contains("{ $"),
                        "{locale:?} {letter:?}: {part}"
                    );
                }
                assert!(!mail.subject.is_empty() && !mail.subject.contains('\n'));
                assert!(mail.text.contains("Uma User"), "{locale:?}: {}", mail.text);
                if let Some(link) = letter.parts().1 {
                    assert!(mail.text.contains(link) && mail.html.contains(&html_escape(link)));
                }
            }
        }
    }

    #[test]
    fn names_are_escaped_in_the_html_only() {
        let letter = Letter::Invitation {
            manager: "<script>alert(1)</script>",
            product: "CodeGlass",
            customer: "Acme & Co",
            company: "CodeGlass",
            email: "uma@acme.example",
            link: "https://licenses.example/set-password?token=a&b=c",
        };
        let mail = compose(Locale::En, "CodeGlass", "Uma", &letter);
        assert!(mail.text.contains("<script>alert(1)</script>"));
        assert!(!mail.html.contains("<script>"));
        assert!(mail.html.contains("&lt;script&gt;") && mail.html.contains("Acme &amp; Co"));
        assert!(mail.html.contains("token=a&amp;b=c"));
    }
}
