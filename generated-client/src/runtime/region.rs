//! Genesys Cloud regions: each one's AWS-style code, API host and login host, and parsing a
//! region from a code, a domain or a host (for `GENESYSCLOUD_REGION`).

use std::fmt;
use std::str::FromStr;

use super::Error;

/// A Genesys Cloud region, named by its AWS-style code.
///
/// Every region has an API host (`api.` + its domain) and a login host (`login.` + its
/// domain), where the OAuth token endpoint lives.
///
/// ```
/// use genesys_cloud::runtime::Region;
///
/// let region: Region = "eu-west-1".parse().unwrap();
/// assert_eq!(region.api_base_url(), "https://api.mypurecloud.ie");
/// assert_eq!("mypurecloud.ie".parse::<Region>().unwrap(), region);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Region {
    /// `us-east-1`, US East (Virginia): `mypurecloud.com`.
    UsEast1,
    /// `us-east-2`, US East 2 (Ohio, FedRAMP): `use2.us-gov-pure.cloud`.
    UsEast2,
    /// `us-west-2`, US West (Oregon): `usw2.pure.cloud`.
    UsWest2,
    /// `ca-central-1`, Canada (Central): `cac1.pure.cloud`.
    CaCentral1,
    /// `sa-east-1`, South America (São Paulo): `sae1.pure.cloud`.
    SaEast1,
    /// `mx-central-1`, Mexico (Central): `mxc1.pure.cloud`.
    MxCentral1,
    /// `eu-west-1`, EU (Ireland): `mypurecloud.ie`.
    EuWest1,
    /// `eu-west-2`, EU (London): `euw2.pure.cloud`.
    EuWest2,
    /// `eu-central-1`, EU (Frankfurt): `mypurecloud.de`.
    EuCentral1,
    /// `eu-central-2`, EU (Zurich): `euc2.pure.cloud`.
    EuCentral2,
    /// `me-central-1`, Middle East (UAE): `mec1.pure.cloud`.
    MeCentral1,
    /// `ap-south-1`, Asia Pacific (Mumbai): `aps1.pure.cloud`.
    ApSouth1,
    /// `ap-southeast-1`, Asia Pacific (Jakarta): `apse1.pure.cloud`.
    ApSoutheast1,
    /// `ap-southeast-2`, Asia Pacific (Sydney): `mypurecloud.com.au`.
    ApSoutheast2,
    /// `ap-northeast-1`, Asia Pacific (Tokyo): `mypurecloud.jp`.
    ApNortheast1,
    /// `ap-northeast-2`, Asia Pacific (Seoul): `apne2.pure.cloud`.
    ApNortheast2,
    /// `ap-northeast-3`, Asia Pacific (Osaka): `apne3.pure.cloud`.
    ApNortheast3,
    /// `eusc-de-east-1`, EU Sovereign Cloud (Germany): `edee1.eusc-pure.cloud`.
    EuscDeEast1,
}

/// Code, domain, API base URL and login base URL of each region, in [`Region::ALL`] order.
const TABLE: [(Region, &str, &str, &str, &str); 18] = [
    (
        Region::UsEast1,
        "us-east-1",
        "mypurecloud.com",
        "https://api.mypurecloud.com",
        "https://login.mypurecloud.com",
    ),
    (
        Region::UsEast2,
        "us-east-2",
        "use2.us-gov-pure.cloud",
        "https://api.use2.us-gov-pure.cloud",
        "https://login.use2.us-gov-pure.cloud",
    ),
    (
        Region::UsWest2,
        "us-west-2",
        "usw2.pure.cloud",
        "https://api.usw2.pure.cloud",
        "https://login.usw2.pure.cloud",
    ),
    (
        Region::CaCentral1,
        "ca-central-1",
        "cac1.pure.cloud",
        "https://api.cac1.pure.cloud",
        "https://login.cac1.pure.cloud",
    ),
    (
        Region::SaEast1,
        "sa-east-1",
        "sae1.pure.cloud",
        "https://api.sae1.pure.cloud",
        "https://login.sae1.pure.cloud",
    ),
    (
        Region::MxCentral1,
        "mx-central-1",
        "mxc1.pure.cloud",
        "https://api.mxc1.pure.cloud",
        "https://login.mxc1.pure.cloud",
    ),
    (
        Region::EuWest1,
        "eu-west-1",
        "mypurecloud.ie",
        "https://api.mypurecloud.ie",
        "https://login.mypurecloud.ie",
    ),
    (
        Region::EuWest2,
        "eu-west-2",
        "euw2.pure.cloud",
        "https://api.euw2.pure.cloud",
        "https://login.euw2.pure.cloud",
    ),
    (
        Region::EuCentral1,
        "eu-central-1",
        "mypurecloud.de",
        "https://api.mypurecloud.de",
        "https://login.mypurecloud.de",
    ),
    (
        Region::EuCentral2,
        "eu-central-2",
        "euc2.pure.cloud",
        "https://api.euc2.pure.cloud",
        "https://login.euc2.pure.cloud",
    ),
    (
        Region::MeCentral1,
        "me-central-1",
        "mec1.pure.cloud",
        "https://api.mec1.pure.cloud",
        "https://login.mec1.pure.cloud",
    ),
    (
        Region::ApSouth1,
        "ap-south-1",
        "aps1.pure.cloud",
        "https://api.aps1.pure.cloud",
        "https://login.aps1.pure.cloud",
    ),
    (
        Region::ApSoutheast1,
        "ap-southeast-1",
        "apse1.pure.cloud",
        "https://api.apse1.pure.cloud",
        "https://login.apse1.pure.cloud",
    ),
    (
        Region::ApSoutheast2,
        "ap-southeast-2",
        "mypurecloud.com.au",
        "https://api.mypurecloud.com.au",
        "https://login.mypurecloud.com.au",
    ),
    (
        Region::ApNortheast1,
        "ap-northeast-1",
        "mypurecloud.jp",
        "https://api.mypurecloud.jp",
        "https://login.mypurecloud.jp",
    ),
    (
        Region::ApNortheast2,
        "ap-northeast-2",
        "apne2.pure.cloud",
        "https://api.apne2.pure.cloud",
        "https://login.apne2.pure.cloud",
    ),
    (
        Region::ApNortheast3,
        "ap-northeast-3",
        "apne3.pure.cloud",
        "https://api.apne3.pure.cloud",
        "https://login.apne3.pure.cloud",
    ),
    (
        Region::EuscDeEast1,
        "eusc-de-east-1",
        "edee1.eusc-pure.cloud",
        "https://api.edee1.eusc-pure.cloud",
        "https://login.edee1.eusc-pure.cloud",
    ),
];

impl Region {
    /// Every region, in declaration order (the one added last, `eusc-de-east-1`, last).
    pub const ALL: [Region; 18] = [
        Region::UsEast1,
        Region::UsEast2,
        Region::UsWest2,
        Region::CaCentral1,
        Region::SaEast1,
        Region::MxCentral1,
        Region::EuWest1,
        Region::EuWest2,
        Region::EuCentral1,
        Region::EuCentral2,
        Region::MeCentral1,
        Region::ApSouth1,
        Region::ApSoutheast1,
        Region::ApSoutheast2,
        Region::ApNortheast1,
        Region::ApNortheast2,
        Region::ApNortheast3,
        Region::EuscDeEast1,
    ];

    fn row(
        self,
    ) -> &'static (
        Region,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ) {
        &TABLE[self as usize]
    }

    /// The AWS-style code (`us-east-1`).
    pub fn code(self) -> &'static str {
        self.row().1
    }

    /// The domain (`mypurecloud.com`).
    pub fn domain(self) -> &'static str {
        self.row().2
    }

    /// The API host (`api.mypurecloud.com`).
    pub fn api_host(self) -> &'static str {
        &self.row().3["https://".len()..]
    }

    /// The login host (`login.mypurecloud.com`), where OAuth tokens are issued.
    pub fn login_host(self) -> &'static str {
        &self.row().4["https://".len()..]
    }

    /// The API base URL (`https://api.mypurecloud.com`).
    pub fn api_base_url(self) -> &'static str {
        self.row().3
    }

    /// The login base URL (`https://login.mypurecloud.com`).
    pub fn login_base_url(self) -> &'static str {
        self.row().4
    }

    /// The region named by the `GENESYSCLOUD_REGION` environment variable (a code, a
    /// domain or a host, as the Genesys Cloud CLI and Terraform provider read it), else by
    /// `GENESYS_REGION` (this crate's earlier name, read only when the first is unset);
    /// `Ok(None)` when neither is set to anything but whitespace.
    /// [`ClientBuilder::from_env`](super::ClientBuilder::from_env) reads it too.
    pub fn from_env() -> Result<Option<Region>, Error> {
        super::environment::region(&super::environment::process_variable)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The text named no Genesys Cloud region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseRegionError {
    input: String,
}

impl fmt::Display for ParseRegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a Genesys Cloud region code (such as us-east-1) or domain (such as mypurecloud.com)", self.input)
    }
}

impl std::error::Error for ParseRegionError {}

impl FromStr for Region {
    type Err = ParseRegionError;

    /// Accepts a code (`eu-west-1`), a domain (`mypurecloud.ie`), a host
    /// (`api.mypurecloud.ie`, `login.mypurecloud.ie`) or a base URL, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim().to_ascii_lowercase();
        let text = text.strip_prefix("https://").unwrap_or(&text);
        let text = text.trim_end_matches('/');
        let domain = text
            .strip_prefix("api.")
            .or_else(|| text.strip_prefix("login."))
            .unwrap_or(text);
        TABLE
            .iter()
            .find(|(_, code, dom, _, _)| *code == text || *dom == domain)
            .map(|row| row.0)
            .ok_or_else(|| ParseRegionError {
                input: s.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_declaration_order() {
        // `row` indexes the table by discriminant.
        for (index, region) in Region::ALL.iter().enumerate() {
            assert_eq!(TABLE[index].0, *region);
            assert_eq!(*region as usize, index);
        }
    }

    #[test]
    fn hosts_and_urls_derive_from_the_domain() {
        for region in Region::ALL {
            let domain = region.domain();
            assert_eq!(region.api_host(), format!("api.{domain}"));
            assert_eq!(region.login_host(), format!("login.{domain}"));
            assert_eq!(region.api_base_url(), format!("https://api.{domain}"));
            assert_eq!(region.login_base_url(), format!("https://login.{domain}"));
        }
    }

    #[test]
    fn every_name_of_a_region_parses_to_it() {
        for region in Region::ALL {
            for text in [
                region.code().to_owned(),
                region.to_string(),
                region.domain().to_owned(),
                region.api_host().to_owned(),
                region.login_host().to_owned(),
                region.api_base_url().to_owned(),
                format!("{}/", region.login_base_url()),
                format!("  {}  ", region.code().to_ascii_uppercase()),
            ] {
                assert_eq!(text.parse::<Region>(), Ok(region), "{text:?}");
            }
        }
        assert_eq!("EU-West-1".parse(), Ok(Region::EuWest1));
        assert_eq!("api.mypurecloud.com.au".parse(), Ok(Region::ApSoutheast2));
    }

    #[test]
    fn other_text_is_no_region() {
        for text in [
            "",
            "mars-1",
            "purecloud.com",
            "api.example.com",
            "us-east-1.x",
        ] {
            let error = text.parse::<Region>().unwrap_err();
            assert!(
                error.to_string().starts_with(&format!("{text:?} is not")),
                "{error}"
            );
        }
    }
}
