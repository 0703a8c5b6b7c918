//! Fuzzes the offline activation request file parser (`licensing::offline::parse_request`), which
//! reads what a manager uploads in the portal: any bytes are a request or an `Invalid` error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match licensing::offline::parse_request(data) {
        Ok(_) => {}
        Err(licensing::AppError::Invalid { .. }) => {}
        Err(other) => panic!("not an Invalid error: {other:?}"),
    }
});
