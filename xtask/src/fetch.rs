//! Downloads a definition over HTTP(S) for `update-spec --from URL`, with progress on
//! stderr. A blocking `ureq` agent with rustls: the xtask is a one-shot CLI, so no async
//! runtime is worth its weight here.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};

/// Definitions are a few to a few tens of megabytes; refuse anything absurd.
const MAX_BYTES: u64 = 512 * 1024 * 1024;

/// Whether `from` names a URL rather than a file.
pub fn is_url(from: &str) -> bool {
    from.starts_with("http://") || from.starts_with("https://")
}

/// The file name a URL's last path segment gives (`genesys-platform-api-2025-07-28.json`),
/// else `definition.json`.
pub fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let after_host = path.splitn(4, '/').nth(3).unwrap_or_default();
    after_host
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty() && !s.contains(['\\', ':']))
        .map(str::to_owned)
        .unwrap_or_else(|| "definition.json".into())
}

/// Fetches `url` into `dest`, printing progress to stderr. Fails on a non-2xx status, a
/// transport error, or a body shorter than its `Content-Length`.
pub fn download(url: &str, dest: &Path) -> Result<u64> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_global(Some(Duration::from_secs(600)))
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .get(url)
        .call()
        .with_context(|| format!("fetching {url}"))?;
    let status = response.status();
    if !status.is_success() {
        bail!("fetching {url}: the server answered HTTP {status}");
    }
    let total: Option<u64> = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let mut reader = response.body_mut().with_config().limit(MAX_BYTES).reader();
    let mut file =
        std::fs::File::create(dest).with_context(|| format!("creating {}", dest.display()))?;
    let mut buffer = vec![0u8; 64 * 1024];
    let mut done: u64 = 0;
    let mut shown: u64 = 0;
    loop {
        let n = reader
            .read(&mut buffer)
            .with_context(|| format!("reading the body of {url}"))?;
        if n == 0 {
            break;
        }
        file.write_all(&buffer[..n])
            .with_context(|| format!("writing {}", dest.display()))?;
        done += n as u64;
        if done - shown >= 1024 * 1024 {
            shown = done;
            progress(url, done, total);
        }
    }
    file.flush()?;
    progress(url, done, total);
    eprintln!();
    if let Some(total) = total {
        if done != total {
            bail!("fetching {url}: got {done} of {total} bytes");
        }
    }
    Ok(done)
}

fn progress(url: &str, done: u64, total: Option<u64>) {
    let mb = |b: u64| b as f64 / (1024.0 * 1024.0);
    match total {
        Some(total) if total > 0 => eprint!(
            "\rfetching {url}: {:.1} of {:.1} MiB ({}%)",
            mb(done),
            mb(total),
            done * 100 / total
        ),
        _ => eprint!("\rfetching {url}: {:.1} MiB", mb(done)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_come_from_the_last_segment() {
        assert_eq!(
            file_name("https://example.test/specs/genesys-platform-api-2025-07-28.json?x=1"),
            "genesys-platform-api-2025-07-28.json"
        );
        assert_eq!(file_name("http://127.0.0.1:8080/"), "definition.json");
        assert_eq!(file_name("http://127.0.0.1:8080"), "definition.json");
        assert!(is_url("http://x") && is_url("https://x") && !is_url("spec/public.json"));
    }
}
