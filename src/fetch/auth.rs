//! Access tokens for Graph, Log Analytics and ADX, and the [`Secret`] type that keeps them out
//! of every output: its `Debug`/`Display` print `***`, and errors never include a token, a
//! client secret or an identity header (tests grep all output for them).
//!
//! Sources, in the order a runbook or an admin would use them:
//! - a token from the caller (`EXAUTH_ACCESS_TOKEN`, or one line on stdin; PowerShell passes the
//!   token from its own sign-in as a SecureString). Never from a command-line argument.
//! - client credentials with a secret (`EXAUTH_TENANT_ID`, `EXAUTH_CLIENT_ID`,
//!   `EXAUTH_CLIENT_SECRET`): `POST {authority}/{tenant}/oauth2/v2.0/token`, scope
//!   `{resource}/.default`.
//! - managed identity: App Service / Automation (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`,
//!   api-version 2019-08-01) or VM IMDS (`http://169.254.169.254/metadata/identity/oauth2/token`,
//!   `Metadata: true`, api-version 2018-02-01; the address can be overridden with
//!   `EXAUTH_IMDS_ENDPOINT`, which the tests point at 127.0.0.1).
//!
//! The token-endpoint and managed-identity request shapes are the standard Microsoft identity
//! platform protocols; they are not in DOMAIN.md and are marked UNVERIFIED there.
//! - client credentials with a certificate (`EXAUTH_TENANT_ID`, `EXAUTH_CLIENT_ID`,
//!   `EXAUTH_CLIENT_CERTIFICATE_PATH`: a PEM file with the RSA key and the certificate; see
//!   [`super::cert`]).

use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use tokio::sync::Mutex;

/// A secret string: printed as `***` everywhere.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    /// The secret itself, for the one place that needs it (an `Authorization` header).
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A token in a request (PowerShell's `accessToken`): wrapped at once, never serialised back.
impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

/// Where tokens come from.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A token given by the caller; it cannot be renewed (a 401 ends the run with a checkpoint).
    Token(Secret),
    ClientSecret {
        authority: String,
        tenant: String,
        client_id: String,
        secret: Secret,
    },
    /// Client credentials with a certificate (a signed JWT client assertion).
    ClientCertificate {
        authority: String,
        tenant: String,
        client_id: String,
        cert: Box<super::cert::ClientCertificate>,
    },
    /// Configured but unusable (the reason, without secrets).
    Invalid(String),
    /// App Service / Automation managed identity.
    AppServiceIdentity {
        endpoint: String,
        header: Secret,
        client_id: Option<String>,
    },
    /// VM instance metadata service.
    Imds {
        endpoint: String,
        client_id: Option<String>,
    },
}

pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com";
pub const DEFAULT_IMDS: &str = "http://169.254.169.254/metadata/identity/oauth2/token";

impl Credential {
    /// Pick a credential from the environment: a caller token first, then a client secret,
    /// then managed identity when `use_managed_identity` (never probed silently: IMDS only
    /// exists on Azure VMs and a probe elsewhere just hangs until a time-out).
    pub fn from_env(use_managed_identity: bool) -> Option<Credential> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        if let Some(t) = var("EXAUTH_ACCESS_TOKEN") {
            return Some(Credential::Token(Secret::new(t.trim())));
        }
        if let (Some(tenant), Some(client_id), Some(secret)) =
            (var("EXAUTH_TENANT_ID"), var("EXAUTH_CLIENT_ID"), var("EXAUTH_CLIENT_SECRET"))
        {
            let authority = var("EXAUTH_AUTHORITY").unwrap_or_else(|| DEFAULT_AUTHORITY.to_owned());
            return Some(Credential::ClientSecret { authority, tenant, client_id, secret: Secret::new(secret) });
        }
        if let (Some(tenant), Some(client_id), Some(path)) =
            (var("EXAUTH_TENANT_ID"), var("EXAUTH_CLIENT_ID"), var("EXAUTH_CLIENT_CERTIFICATE_PATH"))
        {
            let authority = var("EXAUTH_AUTHORITY").unwrap_or_else(|| DEFAULT_AUTHORITY.to_owned());
            // An unreadable or invalid file is reported when the token is first needed.
            return Some(match std::fs::read_to_string(&path) {
                Ok(pem) => match super::cert::ClientCertificate::from_pem(&Secret::new(pem)) {
                    Ok(cert) => Credential::ClientCertificate { authority, tenant, client_id, cert: Box::new(cert) },
                    Err(e) => Credential::Invalid(format!("EXAUTH_CLIENT_CERTIFICATE_PATH ({path}): {e}")),
                },
                Err(e) => Credential::Invalid(format!("EXAUTH_CLIENT_CERTIFICATE_PATH ({path}): {e}")),
            });
        }
        if !use_managed_identity {
            return None;
        }
        let client_id = var("EXAUTH_MANAGED_IDENTITY_CLIENT_ID");
        if let (Some(endpoint), Some(header)) = (var("IDENTITY_ENDPOINT"), var("IDENTITY_HEADER")) {
            return Some(Credential::AppServiceIdentity { endpoint, header: Secret::new(header), client_id });
        }
        let endpoint = var("EXAUTH_IMDS_ENDPOINT").unwrap_or_else(|| DEFAULT_IMDS.to_owned());
        Some(Credential::Imds { endpoint, client_id })
    }

    pub fn renewable(&self) -> bool {
        !matches!(self, Credential::Token(_))
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
}

/// Errors while getting a token: the message names the source, never the secret.
#[derive(Debug, thiserror::Error)]
#[error("could not get an access token from {source_name}: {message}")]
pub struct TokenError {
    pub source_name: &'static str,
    pub message: String,
}

/// A cached token for one resource, renewed on demand.
#[derive(Debug, Clone)]
pub struct TokenProvider {
    cred: Credential,
    resource: String,
    current: Arc<Mutex<Option<Secret>>>,
}

impl TokenProvider {
    /// `resource`: e.g. `https://graph.microsoft.com`, `https://api.loganalytics.azure.com`,
    /// or the ADX cluster URL.
    pub fn new(cred: Credential, resource: impl Into<String>) -> Self {
        let current = match &cred {
            Credential::Token(t) => Some(t.clone()),
            _ => None,
        };
        TokenProvider {
            cred,
            resource: resource.into().trim_end_matches('/').to_owned(),
            current: Arc::new(Mutex::new(current)),
        }
    }

    pub fn renewable(&self) -> bool {
        self.cred.renewable()
    }

    /// The current token (fetched on first use).
    pub async fn token(&self, http: &reqwest::Client) -> Result<Secret, TokenError> {
        let mut cur = self.current.lock().await;
        if let Some(t) = cur.as_ref() {
            return Ok(t.clone());
        }
        let t = self.acquire(http).await?;
        *cur = Some(t.clone());
        Ok(t)
    }

    /// Forget a token the service rejected (401); the next [`Self::token`] gets a new one.
    /// Returns false when the token cannot be renewed.
    pub async fn invalidate(&self, rejected: &Secret) -> bool {
        if !self.renewable() {
            return false;
        }
        let mut cur = self.current.lock().await;
        if cur.as_ref() == Some(rejected) {
            *cur = None;
        }
        true
    }

    async fn acquire(&self, http: &reqwest::Client) -> Result<Secret, TokenError> {
        let (name, req) = match &self.cred {
            Credential::Token(t) => return Ok(t.clone()),
            Credential::Invalid(why) => {
                return Err(TokenError { source_name: "client certificate", message: why.clone() });
            }
            Credential::ClientCertificate { authority, tenant, client_id, cert } => {
                let url = format!("{}/{}/oauth2/v2.0/token", authority.trim_end_matches('/'), tenant);
                let scope = format!("{}/.default", self.resource);
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64);
                let assertion = cert.assertion(client_id, &url, now);
                let form = [
                    ("client_id", client_id.as_str()),
                    ("scope", scope.as_str()),
                    ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                    ("client_assertion", assertion.expose()),
                    ("grant_type", "client_credentials"),
                ];
                ("client certificate", http.post(url).form(&form))
            }
            Credential::ClientSecret { authority, tenant, client_id, secret } => {
                let url = format!("{}/{}/oauth2/v2.0/token", authority.trim_end_matches('/'), tenant);
                let scope = format!("{}/.default", self.resource);
                let form = [
                    ("client_id", client_id.as_str()),
                    ("scope", scope.as_str()),
                    ("client_secret", secret.expose()),
                    ("grant_type", "client_credentials"),
                ];
                ("client credentials", http.post(url).form(&form))
            }
            Credential::AppServiceIdentity { endpoint, header, client_id } => {
                let mut q = vec![("resource", self.resource.as_str()), ("api-version", "2019-08-01")];
                if let Some(c) = client_id {
                    q.push(("client_id", c));
                }
                (
                    "managed identity (IDENTITY_ENDPOINT)",
                    http.get(endpoint).query(&q).header("X-IDENTITY-HEADER", header.expose()),
                )
            }
            Credential::Imds { endpoint, client_id } => {
                let mut q = vec![("resource", self.resource.as_str()), ("api-version", "2018-02-01")];
                if let Some(c) = client_id {
                    q.push(("client_id", c));
                }
                ("managed identity (IMDS)", http.get(endpoint).query(&q).header("Metadata", "true"))
            }
        };
        let err = |m: String| TokenError { source_name: name, message: m };
        let resp = req.send().await.map_err(|e| err(super::describe_reqwest(&e)))?;
        let status = resp.status();
        let body = resp.bytes().await.map_err(|e| err(super::describe_reqwest(&e)))?;
        if !status.is_success() {
            // The identity platform's error JSON carries `error` / `error_description`; neither
            // contains the secret. Anything else is summarised by status only.
            let detail = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| {
                    v.get("error_description").or_else(|| v.get("error")).and_then(|d| d.as_str()).map(str::to_owned)
                })
                .unwrap_or_default();
            return Err(err(format!("HTTP {status} {detail}")));
        }
        let t: TokenResponse =
            serde_json::from_slice(&body).map_err(|_| err("the response has no access_token".to_owned()))?;
        Ok(Secret::new(t.access_token))
    }
}

/// Read a token from one line of stdin (`… | exauth fetch graph --token-stdin`).
pub fn token_from_reader(r: &mut impl std::io::BufRead) -> std::io::Result<Option<Secret>> {
    let mut line = String::new();
    r.read_line(&mut line)?;
    let t = line.trim();
    Ok((!t.is_empty()).then(|| Secret::new(t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("eyJ0eXAiOiJKV1QiLCJhbGciOi.secret");
        assert_eq!(format!("{s} {s:?}"), "*** ***");
        let c = Credential::ClientSecret {
            authority: DEFAULT_AUTHORITY.into(),
            tenant: "t".into(),
            client_id: "c".into(),
            secret: Secret::new("hunter2-secret"),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
        let p = TokenProvider::new(Credential::Token(s), "https://graph.microsoft.com");
        assert!(!format!("{p:?}").contains("secret"));
    }
}
