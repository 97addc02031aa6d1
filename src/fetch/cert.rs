//! Client credentials with a certificate: the JWT client assertion Entra ID accepts instead of
//! a secret (`client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`).
//! Header `{"alg":"RS256","typ":"JWT","x5t":…,"x5t#S256":…}` (thumbprints of the certificate's
//! DER, base64url), claims `aud` (the token endpoint), `iss` = `sub` = client id, `jti`, `nbf`,
//! `iat`, `exp` (+10 min), signed RSASSA-PKCS1-v1_5 with SHA-256. The header and claim names are
//! the Microsoft identity platform's certificate-credential format; they are not in DOMAIN.md
//! (UNVERIFIED there). The PEM file holds the private key (PKCS#8 or PKCS#1) and the certificate.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rsa::RsaPrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::sha2::{Digest, Sha256};
use rsa::signature::{SignatureEncoding, Signer};

use super::auth::Secret;

/// A loaded certificate credential. Debug prints no key material.
#[derive(Clone)]
pub struct ClientCertificate {
    key: RsaPrivateKey,
    /// base64url SHA-1 and SHA-256 thumbprints of the certificate DER.
    x5t: String,
    x5t_s256: String,
}

impl std::fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ClientCertificate {{ x5t: {}, key: *** }}", self.x5t)
    }
}

fn pem_block(pem: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin)? + begin.len();
    let stop = start + pem[start..].find(&end)?;
    let b64: String = pem[start..stop].chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD.decode(b64).ok()
}

impl ClientCertificate {
    /// From PEM text with a private key and a certificate (what `openssl req -x509 … -nodes`
    /// and a Key Vault PEM export produce). Errors never quote the key.
    pub fn from_pem(pem: &Secret) -> Result<ClientCertificate, String> {
        let text = pem.expose();
        let key = if let Some(der) = pem_block(text, "PRIVATE KEY") {
            RsaPrivateKey::from_pkcs8_der(&der).map_err(|e| format!("the private key is not an RSA PKCS#8 key: {e}"))?
        } else if let Some(der) = pem_block(text, "RSA PRIVATE KEY") {
            RsaPrivateKey::from_pkcs1_der(&der).map_err(|e| format!("the private key is not an RSA PKCS#1 key: {e}"))?
        } else {
            return Err(
                "no unencrypted 'PRIVATE KEY' or 'RSA PRIVATE KEY' block (encrypted keys are not supported)".into()
            );
        };
        let cert = pem_block(text, "CERTIFICATE").ok_or("no 'CERTIFICATE' block")?;
        Ok(ClientCertificate {
            key,
            x5t: URL_SAFE_NO_PAD.encode(sha1::Sha1::digest(&cert)),
            x5t_s256: URL_SAFE_NO_PAD.encode(Sha256::digest(&cert)),
        })
    }

    /// The signed client assertion for `token_endpoint`.
    pub fn assertion(&self, client_id: &str, token_endpoint: &str, now_unix: i64) -> Secret {
        let header = serde_json::json!({ "alg": "RS256", "typ": "JWT", "x5t": self.x5t, "x5t#S256": self.x5t_s256 });
        let jti =
            format!("{:032x}", (now_unix as u128) << 64 ^ (std::process::id() as u128) << 32 ^ rand_u32() as u128);
        let claims = serde_json::json!({
            "aud": token_endpoint, "iss": client_id, "sub": client_id, "jti": jti,
            "nbf": now_unix, "iat": now_unix, "exp": now_unix + 600,
        });
        let signing_input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let sig = SigningKey::<Sha256>::new(self.key.clone()).sign(signing_input.as_bytes());
        Secret::new(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes())))
    }
}

/// Uniqueness for `jti` (not a key: the signature is what protects the assertion).
fn rand_u32() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64));
    h.finish() as u32
}
