//! libFuzzer target: the device API's JSON body parser (`server::fuzzing::device_api_json`).
//! The property lives in `server::fuzzing`, shared with the corpus replay of `make test`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| server::fuzzing::device_api_json(data));
