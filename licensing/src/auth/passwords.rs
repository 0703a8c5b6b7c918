//! The common-password check of the password rule (`tenants::check_password`).
//!
//! `common-passwords.txt` is the list Django ships as
//! `django/contrib/auth/common-passwords.txt.gz` (PyPI package `Django` 5.2.8, BSD-3-Clause;
//! Royce Williams' list of 20,000 common passwords), keeping the 8,354 entries of 8 characters or
//! more: shorter ones are refused for their length anyway. It is lower case, one per line.

use std::collections::HashSet;
use std::sync::OnceLock;

const LIST: &str = include_str!("common-passwords.txt");

/// Whether the password is on the list, ignoring case (`PASSWORD1` is as guessable as
/// `password1`).
pub fn is_common_password(password: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| LIST.lines().filter(|l| !l.is_empty()).collect())
        .contains(password.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::is_common_password;

    #[test]
    fn finds_common_passwords_whatever_their_case() {
        assert!(is_common_password("password1"));
        assert!(is_common_password("PassWord1"));
        assert!(is_common_password("12345678"));
        assert!(!is_common_password("keyport-demo"));
        assert!(!is_common_password("password1 "));
    }
}
