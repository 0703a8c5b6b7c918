//! libFuzzer target: the offline activation request parser (`server::fuzzing::offline_request`).
//! The property lives in `server::fuzzing`, shared with the corpus replay of `make test`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| server::fuzzing::offline_request(data));
