//! The Genesys Cloud regions `update-spec --region` downloads from, read from the runtime's
//! one table (`templates/runtime/region.rs`, compiled here as it is in every generated
//! crate) so that the xtask and the client never disagree on a region's host.
//!
//! Each region publishes its live definition at `https://api.{domain}/api/v2/docs/swagger`
//! and its preview operations at `/api/v2/docs/swaggerpreview` on the same host.

// The runtime file, as is: the xtask uses only the table, parsing and `api_base_url`; its
// docs link to runtime items (`ClientBuilder`) that exist only in a generated crate.
#[allow(dead_code, rustdoc::broken_intra_doc_links)]
#[path = "../../templates/runtime/region.rs"]
mod region;

pub use region::Region;

/// The path of the public definition on a region's API host.
pub const DEFINITION_PATH: &str = "/api/v2/docs/swagger";
/// The path of the preview definition on the same host.
pub const PREVIEW_PATH: &str = "/api/v2/docs/swaggerpreview";
/// The region `update-spec` downloads from without `--region`.
pub const DEFAULT: Region = Region::UsEast1;

/// The region a `--region` value names (a code such as `eu-west-1`, or a domain or host,
/// as the runtime reads `GENESYSCLOUD_REGION`); otherwise an error listing every code.
pub fn parse(text: &str) -> Result<Region, String> {
    text.parse().map_err(|_| {
        let codes: Vec<&str> = Region::ALL.iter().map(|r| r.code()).collect();
        format!(
            "{text:?} is not a Genesys Cloud region; the regions are {}",
            codes.join(", ")
        )
    })
}

/// What `region.rs` names as `super::Error`: the error of `Region::from_env`, which the
/// xtask never calls, so it has no value.
#[derive(Debug)]
pub enum Error {}

/// What `region.rs` names as `super::environment`, for `Region::from_env` only (never
/// called here): the runtime's variable lookup, without the variables.
#[allow(dead_code)]
mod environment {
    use super::{Error, Region};

    pub(super) fn process_variable(_name: &str) -> Option<String> {
        None
    }

    pub(super) fn region(
        _lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<Region>, Error> {
        Ok(None)
    }
}

#[cfg(test)]
mod own_tests {
    use super::*;

    #[test]
    fn regions_parse_to_their_api_hosts() {
        assert_eq!(
            parse("eu-west-1").unwrap().api_base_url(),
            "https://api.mypurecloud.ie"
        );
        assert_eq!(DEFAULT.api_base_url(), "https://api.mypurecloud.com");
        let error = parse("mars-1").unwrap_err();
        assert!(
            error.starts_with("\"mars-1\" is not a Genesys Cloud region")
                && error.contains("us-east-1, us-east-2,")
                && error.contains("eusc-de-east-1"),
            "{error}"
        );
    }
}
