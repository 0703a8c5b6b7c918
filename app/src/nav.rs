//! Navigation helpers shared by every page: return paths, local-path checks and query encoding.
//!
//! A leaf module: it imports no other module of this crate, so any page or component may use it.

/// A path on this portal and nothing else: never another site (an open redirect would make
/// phishing easy), whatever a browser makes of `//`, `\` or control characters.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
}

/// The page's path and query without the one-off `__err`/`__path` parameters of a failed form post.
pub(crate) fn current_path(pathname: &str, search: &str) -> String {
    let params: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("__"))
        .collect();
    if params.is_empty() {
        pathname.to_owned()
    } else {
        format!("{pathname}?{}", params.join("&"))
    }
}

/// The page a paged list is on, from its `page` query parameter: the first when it is missing,
/// not a number or below 1.
pub fn page_number(query: &leptos_router::params::ParamsMap) -> u32 {
    query
        .get("page")
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

/// Percent-encodes a value for a query string.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{current_path, encode};

    #[test]
    fn login_return_path_drops_form_error_parameters() {
        assert_eq!(current_path("/licenses", ""), "/licenses");
        assert_eq!(
            current_path("/l/1/devices", "?reset=9&__path=%2Fapi%2Fx&__err=abc"),
            "/l/1/devices?reset=9"
        );
        assert_eq!(encode("/a?b=c d"), "/a%3Fb%3Dc%20d");
    }
}
