//! The request parsers' properties (`server::fuzzing`) replayed as plain tests: every committed
//! seed in `fuzz/seeds/`, whatever a local `make fuzz` left in `fuzz/corpus/`, and deterministic
//! mutations of each (every truncation, every byte swapped for one that matters to a parser,
//! nesting and number extremes). `make fuzz` explores further under libFuzzer.

use std::path::{Path, PathBuf};

/// Bytes that change how a JSON, header or text parser reads what follows.
const SWAPS: &[u8] = b"\0\"\\{}[],:;=*-.0e \xff\xc3\n";

fn inputs(dir: &Path) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    files
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .collect()
}

/// The input, each of its prefixes, and each byte replaced by each of [`SWAPS`].
fn mutations(input: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    let prefixes = (0..=input.len()).map(|n| input[..n].to_vec());
    let swaps = (0..input.len()).flat_map(move |i| {
        SWAPS.iter().map(move |&b| {
            let mut v = input.to_vec();
            v[i] = b;
            v
        })
    });
    prefixes.chain(swaps)
}

/// Inputs no seed mutates into: deep nesting, long strings, huge and odd numbers.
fn extremes() -> Vec<Vec<u8>> {
    vec![
        "[".repeat(100_000).into_bytes(),
        "{\"a\":".repeat(20_000).into_bytes(),
        format!("{{\"hardware_id\":\"{}\"}}", "x".repeat(20_000)).into_bytes(),
        b"{\"license_key\":1e99999,\"hardware_id\":-0,\"device_name\":18446744073709551616}"
            .to_vec(),
        b"\xef\xbb\xbf{}".to_vec(),
        Vec::new(),
    ]
}

#[test]
fn the_parsers_hold_for_the_seeds_and_their_mutations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    for (name, property) in server::fuzzing::TARGETS {
        let mut seeds = inputs(&root.join("fuzz/seeds").join(name));
        assert!(!seeds.is_empty(), "fuzz/seeds/{name} has no seed");
        seeds.extend(inputs(&root.join("fuzz/corpus").join(name)));
        let mut runs = 0;
        for seed in &seeds {
            for input in mutations(seed) {
                property(&input);
                runs += 1;
            }
        }
        for input in extremes() {
            property(&input);
            runs += 1;
        }
        assert!(runs > 100, "{name}: {runs} inputs");
    }
}
