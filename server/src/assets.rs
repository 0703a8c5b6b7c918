//! The built assets under `/pkg` (the WASM, its JavaScript glue, the stylesheet), read into memory
//! once at start with the precompressed copies `cargo leptos build --precompress` writes (`.br`,
//! `.gz`), and answered from there: the copy the client accepts, without a file system call or a
//! blocking-pool hop per request, and outside the portal's per-request middleware.
//!
//! Pages name them under `/pkg/<version>/`, the version being a hash of their bytes ([`Assets`]):
//! a release changes the address, so the browser may keep a copy for a year without asking again
//! (`immutable`). Only the running build's version is served; the plain `/pkg/` names stay for the
//! client-side-rendered build and are revalidated on every use (`no-cache`, `Last-Modified`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};

/// Where `cargo leptos build --split` says which pieces of the WASM each lazy area needs.
const SPLIT_MANIFEST: &str = "__wasm_split_manifest.json";

/// How long a browser keeps a versioned asset: a year, the longest HTTP caches honour.
const FOREVER: &str = "public, max-age=31536000, immutable";

/// One built file and its precompressed copies.
struct Asset {
    content_type: HeaderValue,
    identity: Bytes,
    br: Option<Bytes>,
    gzip: Option<Bytes>,
    modified: SystemTime,
}

/// The build's assets, and their version.
pub struct Assets {
    files: HashMap<String, Asset>,
    version: String,
}

impl Assets {
    /// Reads every file of `pkg` (a missing directory is an empty build: tests, API-only use).
    pub fn load(pkg: &Path) -> Self {
        // cargo-leptos leaves an earlier split build's pieces beside the current ones: only the
        // pieces the manifest names are this build's.
        let pieces: Option<std::collections::HashSet<String>> =
            std::fs::read(pkg.join(SPLIT_MANIFEST))
                .ok()
                .and_then(|bytes| {
                    serde_json::from_slice::<HashMap<String, Vec<String>>>(&bytes).ok()
                })
                .map(|manifest| {
                    manifest
                        .into_values()
                        .flatten()
                        .map(|piece| format!("{piece}.wasm"))
                        .collect()
                });
        let stale = |name: &str| {
            pieces.as_ref().is_some_and(|pieces| {
                (name.starts_with("chunk_") || name.starts_with("split_")) && !pieces.contains(name)
            })
        };
        let mut files = HashMap::new();
        for entry in std::fs::read_dir(pkg).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".br") || name.ends_with(".gz") || stale(&name) {
                continue;
            }
            let Ok(identity) = std::fs::read(entry.path()) else {
                continue;
            };
            let copy = |ext: &str| std::fs::read(pkg.join(format!("{name}.{ext}"))).ok();
            let asset = Asset {
                content_type: HeaderValue::from_static(content_type(&name)),
                identity: identity.into(),
                br: copy("br").map(Bytes::from),
                gzip: copy("gz").map(Bytes::from),
                modified: entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .unwrap_or(SystemTime::UNIX_EPOCH),
            };
            files.insert(name, asset);
        }
        Self::versioned(files)
    }

    /// Adds files made by the server rather than the build (the language catalogs), each
    /// compressed with gzip here; the version then covers them too. All at once, because the
    /// version hashes every byte of the build again (megabytes: a second per language in a debug
    /// build).
    pub fn with_generated<'a>(
        self,
        generated: impl IntoIterator<Item = (String, &'a [u8])>,
    ) -> Self {
        use std::io::Write;
        let mut files = self.files;
        for (name, bytes) in generated {
            let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            let gzip = gzip.write_all(bytes).and_then(|()| gzip.finish()).ok();
            let asset = Asset {
                content_type: HeaderValue::from_static(content_type(&name)),
                identity: Bytes::copy_from_slice(bytes),
                br: None,
                gzip: gzip.map(Bytes::from),
                modified: SystemTime::now(),
            };
            files.insert(name, asset);
        }
        Self::versioned(files)
    }

    fn versioned(files: HashMap<String, Asset>) -> Self {
        // Every file, in name order: the split pieces of the WASM change with the main one, and a
        // piece must never be taken from another build's cache.
        let mut names: Vec<&String> = files.keys().collect();
        names.sort();
        let mut hasher = Sha256::new();
        for name in names {
            hasher.update(name.as_bytes());
            hasher.update(files[name].identity.len().to_le_bytes());
            hasher.update(&files[name].identity);
        }
        let version = hex::encode(&hasher.finalize()[..8]);
        Self { files, version }
    }

    /// A hash of the built assets' bytes: another build is another version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The files every page loads: the WASM, its glue, the stylesheet, and the split WASM's loader
    /// (the glue imports it) when the build was split.
    pub fn page_files(&self) -> Vec<String> {
        let mut files: Vec<String> = ["keyport.js", "keyport.wasm", "keyport.css"]
            .into_iter()
            .map(String::from)
            .collect();
        files.extend(self.split().map(|(_, loader)| loader));
        files
    }

    /// The split WASM's manifest (lazy area -> the pieces it needs) and the name of its loader
    /// script, when the build was split.
    pub fn split(&self) -> Option<(HashMap<String, Vec<String>>, String)> {
        let manifest = serde_json::from_slice(&self.files.get(SPLIT_MANIFEST)?.identity).ok()?;
        let loader = self
            .files
            .keys()
            .find(|name| name.starts_with("__wasm_split.") && name.ends_with(".js"))?;
        Some((manifest, loader.clone()))
    }

    /// `/pkg/<version>/*` (kept for a year) and `/pkg/*` (revalidated).
    pub fn routes<S: Clone + Send + Sync + 'static>(self) -> Router<S> {
        Router::new()
            .route("/pkg/{version}/{file}", get(versioned))
            .route("/pkg/{file}", get(plain))
            .with_state(Arc::new(self))
    }

    fn answer(&self, name: &str, headers: &HeaderMap, cache: &'static str) -> Response {
        let Some(asset) = self.files.get(name) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let modified = httpdate::fmt_http_date(asset.modified);
        let unchanged = headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
            .and_then(|since| asset.modified.duration_since(since).ok())
            .is_some_and(|newer_by| newer_by.as_secs() == 0);
        let mut response = if unchanged {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let (body, encoding) = match preferred(headers) {
                Encoding::Br if asset.br.is_some() => (asset.br.clone(), Some("br")),
                Encoding::Br | Encoding::Gzip if asset.gzip.is_some() => {
                    (asset.gzip.clone(), Some("gzip"))
                }
                _ => (None, None),
            };
            let mut response =
                Response::new(Body::from(body.unwrap_or_else(|| asset.identity.clone())));
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, asset.content_type.clone());
            if let Some(encoding) = encoding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Ok(value) = HeaderValue::from_str(&modified) {
            headers.insert(header::LAST_MODIFIED, value);
        }
        response
    }
}

async fn versioned(
    State(assets): State<Arc<Assets>>,
    UrlPath((version, file)): UrlPath<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if version != assets.version {
        return StatusCode::NOT_FOUND.into_response();
    }
    assets.answer(&file, &headers, FOREVER)
}

async fn plain(
    State(assets): State<Arc<Assets>>,
    UrlPath(file): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    assets.answer(&file, &headers, "no-cache")
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("wasm") => "application/wasm",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("ftl") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Br,
    Gzip,
    Identity,
}

/// The best encoding the client accepts (`q=0` refuses one).
fn preferred(headers: &HeaderMap) -> Encoding {
    let accepted = |wanted: &str| {
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|part| {
                let mut pieces = part.split(';');
                let name = pieces.next().unwrap_or_default().trim();
                let refused = pieces.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                name.eq_ignore_ascii_case(wanted) && !refused
            })
    };
    if accepted("br") {
        Encoding::Br
    } else if accepted("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    use tower::ServiceExt;

    use super::Assets;

    async fn get(
        site: &std::path::Path,
        path: &str,
        headers: &[(header::HeaderName, &str)],
    ) -> axum::response::Response {
        let assets = Assets::load(&site.join("pkg"));
        let mut request = Request::get(path);
        for (name, value) in headers {
            request = request.header(name, *value);
        }
        assets
            .routes::<()>()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    async fn body(answer: axum::response::Response) -> String {
        let bytes = axum::body::to_bytes(answer.into_body(), 1 << 20)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    fn site(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("keyport-{name}-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        dir
    }

    #[test]
    fn another_build_is_another_version() {
        let dir = site("version");
        std::fs::write(dir.join("pkg/keyport.wasm"), b"build one").unwrap();
        let one = Assets::load(&dir.join("pkg")).version().to_owned();
        assert_eq!(one, Assets::load(&dir.join("pkg")).version());
        std::fs::write(dir.join("pkg/keyport.wasm"), b"build two").unwrap();
        assert_ne!(one, Assets::load(&dir.join("pkg")).version());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_piece_of_the_split_wasm_changes_the_version() {
        let dir = site("pieces");
        std::fs::write(dir.join("pkg/keyport.wasm"), b"main").unwrap();
        std::fs::write(dir.join("pkg/chunk_1.wasm"), b"piece one").unwrap();
        let one = Assets::load(&dir.join("pkg")).version().to_owned();
        std::fs::write(dir.join("pkg/chunk_1.wasm"), b"piece two").unwrap();
        assert_ne!(one, Assets::load(&dir.join("pkg")).version());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_split_build_gives_its_manifest_and_loader_to_pages_and_the_worker() {
        let dir = site("split");
        std::fs::write(dir.join("pkg/keyport.wasm"), b"main").unwrap();
        let unsplit = Assets::load(&dir.join("pkg"));
        assert!(unsplit.split().is_none());
        assert_eq!(
            unsplit.page_files(),
            ["keyport.js", "keyport.wasm", "keyport.css"]
        );
        std::fs::write(
            dir.join("pkg/__wasm_split_manifest.json"),
            r#"{"console_view_1": ["chunk_2", "split_console_view_1"]}"#,
        )
        .unwrap();
        std::fs::write(dir.join("pkg/__wasm_split.____.js"), b"loader").unwrap();
        std::fs::write(dir.join("pkg/chunk_2.wasm"), b"this build's piece").unwrap();
        std::fs::write(dir.join("pkg/chunk_9.wasm"), b"an earlier build's").unwrap();
        let split = Assets::load(&dir.join("pkg"));
        assert!(split.files.contains_key("chunk_2.wasm"));
        assert!(!split.files.contains_key("chunk_9.wasm"));
        let (manifest, loader) = split.split().expect("the manifest is read");
        assert_eq!(
            manifest["console_view_1"],
            ["chunk_2", "split_console_view_1"]
        );
        assert_eq!(loader, "__wasm_split.____.js");
        assert_eq!(split.page_files().last().unwrap(), "__wasm_split.____.js");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_file_the_server_adds_is_versioned_and_sent_gzipped() {
        use std::io::Read;
        let dir = site("generated");
        std::fs::write(dir.join("pkg/keyport.wasm"), b"main").unwrap();
        let built = Assets::load(&dir.join("pkg"));
        let before = built.version().to_owned();
        let text = "app-title = Keyport\n".repeat(50);
        let assets = built.with_generated([("locale-en.ftl".to_owned(), text.as_bytes())]);
        assert_ne!(assets.version(), before);
        let path = format!("/pkg/{}/locale-en.ftl", assets.version());
        let answer = assets
            .routes::<()>()
            .oneshot(
                Request::get(path)
                    .header(header::ACCEPT_ENCODING, "gzip, br")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
        assert_eq!(answer.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(
            answer.headers()[header::CONTENT_TYPE],
            "text/plain; charset=utf-8"
        );
        let bytes = axum::body::to_bytes(answer.into_body(), 1 << 20)
            .await
            .unwrap();
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, text);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn the_precompressed_copy_the_client_accepts_is_sent() {
        let dir = site("assets");
        std::fs::write(dir.join("pkg/keyport.css"), "body{}").unwrap();
        std::fs::write(dir.join("pkg/keyport.css.br"), "BR").unwrap();
        std::fs::write(dir.join("pkg/keyport.css.gz"), "GZ").unwrap();
        for (accept, encoding, text) in [
            ("gzip, deflate, br", Some("br"), "BR"),
            ("br;q=0, gzip", Some("gzip"), "GZ"),
            ("gzip", Some("gzip"), "GZ"),
            ("identity", None, "body{}"),
        ] {
            let answer = get(
                &dir,
                "/pkg/keyport.css",
                &[(header::ACCEPT_ENCODING, accept)],
            )
            .await;
            assert_eq!(answer.status(), StatusCode::OK);
            assert_eq!(
                answer
                    .headers()
                    .get(header::CONTENT_ENCODING)
                    .map(|v| v.to_str().unwrap()),
                encoding,
                "{accept}"
            );
            assert_eq!(
                answer.headers()[header::CONTENT_TYPE],
                "text/css; charset=utf-8"
            );
            assert_eq!(answer.headers()[header::CACHE_CONTROL], "no-cache");
            assert_eq!(answer.headers()[header::VARY], "accept-encoding");
            assert_eq!(body(answer).await, text);
        }
        assert_eq!(
            get(&dir, "/pkg/nothing.js", &[]).await.status(),
            StatusCode::NOT_FOUND
        );

        // Revalidation: unchanged since the date the server gave is a 304 without a body.
        let first = get(&dir, "/pkg/keyport.css", &[]).await;
        let modified = first.headers()[header::LAST_MODIFIED]
            .to_str()
            .unwrap()
            .to_owned();
        let again = get(
            &dir,
            "/pkg/keyport.css",
            &[(header::IF_MODIFIED_SINCE, &modified)],
        )
        .await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(body(again).await, "");
        let older = get(
            &dir,
            "/pkg/keyport.css",
            &[(header::IF_MODIFIED_SINCE, "Mon, 01 Jan 2001 00:00:00 GMT")],
        )
        .await;
        assert_eq!(older.status(), StatusCode::OK);

        // The running build's version is kept for a year; another version is not served.
        let version = Assets::load(&dir.join("pkg")).version().to_owned();
        let versioned = get(
            &dir,
            &format!("/pkg/{version}/keyport.css"),
            &[(header::ACCEPT_ENCODING, "br")],
        )
        .await;
        assert_eq!(versioned.status(), StatusCode::OK);
        assert_eq!(versioned.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(
            versioned.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            get(&dir, "/pkg/0123456789abcdef/keyport.css", &[])
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
