//! PKCE (RFC 7636) for the authorization-code grant of public clients: a code verifier
//! drawn from the operating system's CSPRNG, its S256 challenge, and the Genesys authorize
//! URL that carries the challenge.

use std::fmt;

use base64::Engine as _;

use super::auth::Secret;
use super::token_endpoint::TokenEndpoint;
use super::Error;

/// The random bytes of a generated verifier: 64 bytes are 86 base64url characters, inside
/// RFC 7636's 43 to 128 and well above its 256 bits of entropy.
const VERIFIER_BYTES: usize = 64;

/// A PKCE code verifier: the secret a public client (a desktop or mobile app, a script
/// opening the browser) keeps between sending the user to Genesys's login page and
/// exchanging the code that comes back, as Genesys's
/// [PKCE grant](https://developer.genesys.cloud/authorization/platform-auth/use-pkce) asks.
///
/// [`generate`](Self::generate) one, send the user to its
/// [`authorize_url`](Self::authorize_url), and give it with the code to
/// [`AuthorizationCode::pkce`](super::AuthorizationCode::pkce). Between the two steps it
/// can be stored ([`secret`](Self::secret)) and restored ([`from_secret`](Self::from_secret)).
/// `Debug` never shows it.
///
/// ```
/// use genesys_cloud::runtime::{PkceVerifier, TokenEndpoint};
///
/// let endpoint = TokenEndpoint::new(reqwest::Client::new(), "https://login.mypurecloud.ie");
/// let verifier = PkceVerifier::generate().unwrap();
/// let url = verifier
///     .authorize_url(&endpoint, "my-client-id", "http://localhost:8080/callback", "state-1")
///     .unwrap();
/// assert!(url.starts_with("https://login.mypurecloud.ie/oauth/authorize?response_type=code&"));
/// ```
#[derive(Clone)]
pub struct PkceVerifier(Secret);

impl fmt::Debug for PkceVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PkceVerifier").field(&self.0).finish()
    }
}

impl PkceVerifier {
    /// A new verifier: 86 characters of the unreserved set from 64 bytes of the operating
    /// system's cryptographically secure random number generator.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the operating system gives no random bytes.
    pub fn generate() -> Result<Self, Error> {
        use ring::rand::SecureRandom as _;
        let mut bytes = [0u8; VERIFIER_BYTES];
        ring::rand::SystemRandom::new()
            .fill(&mut bytes)
            .map_err(|_| Error::Config {
                message: "the operating system gave no random bytes for a PKCE verifier".into(),
            })?;
        Ok(PkceVerifier(Secret::new(
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
        )))
    }

    /// A verifier stored earlier (between the authorize redirect and the code exchange).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] unless it is 43 to 128 characters of `A-Z a-z 0-9 - . _ ~`.
    pub fn from_secret(verifier: impl Into<String>) -> Result<Self, Error> {
        let verifier = verifier.into();
        let unreserved = |c: char| c.is_ascii_alphanumeric() || "-._~".contains(c);
        if !(43..=128).contains(&verifier.len()) || !verifier.chars().all(unreserved) {
            return Err(Error::Config {
                message: "a PKCE code verifier is 43 to 128 characters of A-Z a-z 0-9 - . _ ~"
                    .into(),
            });
        }
        Ok(PkceVerifier(Secret::new(verifier)))
    }

    /// The verifier itself, to store it or send it.
    pub fn secret(&self) -> &Secret {
        &self.0
    }

    /// The S256 challenge: base64url, without padding, of the SHA-256 of the verifier.
    pub fn challenge(&self) -> String {
        let digest = ring::digest::digest(&ring::digest::SHA256, self.0.expose().as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref())
    }

    /// The login page to send the user to: `{login}/oauth/authorize` with
    /// `response_type=code`, `client_id`, `redirect_uri`, `code_challenge`,
    /// `code_challenge_method=S256` and `state` (an unguessable value the caller checks when
    /// Genesys redirects back, against cross-site request forgery).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the endpoint's login URL is not a URL.
    pub fn authorize_url(
        &self,
        endpoint: &TokenEndpoint,
        client_id: &str,
        redirect_uri: &str,
        state: &str,
    ) -> Result<String, Error> {
        let base = format!("{}/oauth/authorize", endpoint.login_base_url());
        let challenge = self.challenge();
        let url = reqwest::Url::parse_with_params(
            &base,
            [
                ("response_type", "code"),
                ("client_id", client_id),
                ("redirect_uri", redirect_uri),
                ("code_challenge", challenge.as_str()),
                ("code_challenge_method", "S256"),
                ("state", state),
            ],
        )
        .map_err(|e| Error::Config {
            message: format!("login URL {base:?}: {e}"),
        })?;
        Ok(url.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_verifiers_are_long_unreserved_and_different() {
        let a = PkceVerifier::generate().unwrap();
        let b = PkceVerifier::generate().unwrap();
        assert_eq!(a.secret().expose().len(), 86);
        assert!(PkceVerifier::from_secret(a.secret().expose()).is_ok());
        assert_ne!(a.secret(), b.secret());
        assert!(!format!("{a:?}").contains(a.secret().expose()));
    }

    #[test]
    fn the_challenge_is_rfc_7636s_example() {
        // RFC 7636, appendix B.
        let verifier =
            PkceVerifier::from_secret("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        assert_eq!(
            verifier.challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn stored_verifiers_are_checked() {
        for bad in [
            "short".to_owned(),
            "x".repeat(129),
            format!("{}+", "a".repeat(43)),
        ] {
            assert!(PkceVerifier::from_secret(bad.clone()).is_err(), "{bad}");
        }
        assert!(PkceVerifier::from_secret("a-._~".repeat(9)).is_ok());
    }

    #[test]
    fn the_authorize_url_carries_every_parameter_encoded() {
        let verifier =
            PkceVerifier::from_secret("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        let endpoint = TokenEndpoint::new(reqwest::Client::new(), "https://login.example.com/");
        let url = verifier
            .authorize_url(&endpoint, "id", "http://localhost/cb?a=1", "s t")
            .unwrap();
        assert_eq!(
            url,
            "https://login.example.com/oauth/authorize?response_type=code&client_id=id\
             &redirect_uri=http%3A%2F%2Flocalhost%2Fcb%3Fa%3D1\
             &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\
             &code_challenge_method=S256&state=s+t"
        );
    }
}
