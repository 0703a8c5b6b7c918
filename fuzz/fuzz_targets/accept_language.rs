//! libFuzzer target: `Accept-Language` parsing (`server::fuzzing::accept_language`).
//! The property lives in `server::fuzzing`, shared with the corpus replay of `make test`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| server::fuzzing::accept_language(data));
