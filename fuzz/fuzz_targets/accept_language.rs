//! Fuzzes the portal's `Accept-Language` parsing (`app::i18n::Locale::from_accept_language`), run
//! on every page request's header: any text gives a supported language or none, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Header values reach it as text only when they are valid UTF-8.
    if let Ok(header) = std::str::from_utf8(data) {
        let _ = app::i18n::Locale::from_accept_language(header);
    }
});
