//! Credentials for a triplestore: where the secret comes from, how each scheme puts it on a
//! request, and how it is kept out of every message.
//!
//! The secret is read only from an environment variable or a file, held in a [`Secret`]
//! whose `Debug` and `Display` print `***`, and [`Auth::redact`] removes it from any text
//! that could reach the user (server messages, transport errors, verbose logs).

use crate::base::error::{Error, Result};
use crate::base::named::{Named, display_and_parse};
use digest_auth::{AuthContext, HttpMethod, WwwAuthenticateHeader};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

/// A password or token. Never printed.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// The secret in the environment variable `name`.
    pub fn from_env(name: &str) -> Result<Self> {
        match std::env::var(name) {
            Ok(value) if !value.is_empty() => Ok(Self(value)),
            Ok(_) => Err(Error::Usage(format!(
                "the environment variable {name} is empty: put the secret in it"
            ))),
            Err(_) => Err(Error::Usage(format!(
                "the environment variable {name} is not set: export it with the secret"
            ))),
        }
    }

    /// The secret in a file: its first line, without the line break.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        let value = text.lines().next().unwrap_or("").to_owned();
        if value.is_empty() {
            return Err(Error::Usage(format!(
                "{} is empty: put the secret on its first line",
                path.display()
            )));
        }
        Ok(Self(value))
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// The authentication schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Basic,
    Digest,
    Bearer,
}

impl Named for Scheme {
    const KIND: &'static str = "authentication scheme";
    const ALL: &'static [Self] = &[Self::Basic, Self::Digest, Self::Bearer];

    fn name(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::Digest => "digest",
            Self::Bearer => "bearer",
        }
    }
}

display_and_parse!(Scheme);

/// How requests authenticate.
#[derive(Debug)]
pub enum Auth {
    None,
    Basic {
        user: String,
        password: Secret,
    },
    /// HTTP Digest (RFC 7616): the server's challenge is kept per path, so that only the
    /// first request to a path pays the extra round trip.
    Digest {
        user: String,
        password: Secret,
        challenges: Mutex<HashMap<String, WwwAuthenticateHeader>>,
    },
    Bearer {
        token: Secret,
    },
}

impl Auth {
    pub fn new(scheme: Scheme, user: Option<String>, secret: Secret) -> Result<Self> {
        let need_user = || {
            user.clone().ok_or(Error::NoUser {
                scheme: scheme.name(),
            })
        };
        Ok(match scheme {
            Scheme::Basic => Self::Basic {
                user: need_user()?,
                password: secret,
            },
            Scheme::Digest => Self::Digest {
                user: need_user()?,
                password: secret,
                challenges: Mutex::new(HashMap::new()),
            },
            Scheme::Bearer => Self::Bearer { token: secret },
        })
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Self::None)
    }

    pub fn is_digest(&self) -> bool {
        matches!(self, Self::Digest { .. })
    }

    /// `text` with every occurrence of the secret replaced by `***`, and the credentials of
    /// any `Authorization` header it echoes hidden. An occurrence inside a longer word is
    /// not the secret (a short password such as `dba` is found in random hex, the run id
    /// of a staging graph, say) and is left as it is.
    pub fn redact(&self, text: &str) -> String {
        let secret = match self {
            Self::None => return redact_authorization(text),
            Self::Basic { password, .. } | Self::Digest { password, .. } => password.expose(),
            Self::Bearer { token } => token.expose(),
        };
        redact_authorization(&replace_whole(text, secret, "***"))
    }

    /// Adds the credentials to a request, if the scheme can now: Digest needs a challenge
    /// of the server for this path first (see [`Auth::remember_challenge`]).
    pub(crate) fn apply(
        &self,
        request: reqwest::blocking::RequestBuilder,
        method: &str,
        url: &reqwest::Url,
    ) -> reqwest::blocking::RequestBuilder {
        match self {
            Self::None => request,
            Self::Basic { user, password } => request.basic_auth(user, Some(password.expose())),
            Self::Bearer { token } => request.bearer_auth(token.expose()),
            Self::Digest {
                user,
                password,
                challenges,
            } => {
                let mut challenges = challenges.lock().unwrap_or_else(|e| e.into_inner());
                let Some(challenge) = challenges.get_mut(url.path()) else {
                    return request;
                };
                let uri = match url.query() {
                    Some(query) => format!("{}?{query}", url.path()),
                    None => url.path().to_owned(),
                };
                let context = AuthContext::new_with_method(
                    user.as_str(),
                    password.expose(),
                    uri,
                    Option::<&[u8]>::None,
                    HttpMethod(method.to_owned().into()),
                );
                match challenge.respond(&context) {
                    Ok(answer) => {
                        let mut value =
                            reqwest::header::HeaderValue::from_str(&answer.to_header_string())
                                .expect("a digest answer is a valid header value");
                        value.set_sensitive(true);
                        request.header(reqwest::header::AUTHORIZATION, value)
                    }
                    Err(_) => request,
                }
            }
        }
    }

    /// Keeps the Digest challenge of a 401 answer; true when there is a new one to answer.
    pub(crate) fn remember_challenge(&self, url: &reqwest::Url, www_authenticate: &str) -> bool {
        let Self::Digest { challenges, .. } = self else {
            return false;
        };
        let Ok(challenge) = digest_auth::parse(www_authenticate) else {
            return false;
        };
        let mut challenges = challenges.lock().unwrap_or_else(|e| e.into_inner());
        let known = challenges.get(url.path());
        // The same nonce refused again means wrong credentials, not an expired nonce.
        let fresh = known.is_none_or(|k| k.nonce != challenge.nonce || challenge.stale);
        challenges.insert(url.path().to_owned(), challenge);
        fresh
    }

    pub(crate) fn has_challenge(&self, url: &reqwest::Url) -> bool {
        match self {
            Self::Digest { challenges, .. } => challenges
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains_key(url.path()),
            _ => true,
        }
    }
}

/// Hides the credentials of every `Authorization` header that `text` shows (a server may
/// echo the request's headers back): the token of `Basic` and `Bearer`, the rest of the
/// line of any other scheme.
fn redact_authorization(text: &str) -> String {
    const NAME: &str = "authorization:";
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = lower[from..].find(NAME) {
        let value = from + found + NAME.len();
        let after_spaces = |at: usize| {
            text[at..]
                .find(|c: char| c != ' ' && c != '\t')
                .map_or(text.len(), |i| at + i)
        };
        let scheme_start = after_spaces(value);
        let scheme_end = text[scheme_start..]
            .find(|c: char| c.is_whitespace())
            .map_or(text.len(), |i| scheme_start + i);
        let scheme = lower[scheme_start..scheme_end].to_owned();
        let start = after_spaces(scheme_end);
        let end = if scheme == "basic" || scheme == "bearer" {
            text[start..]
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | ',' | ';'))
                .map_or(text.len(), |i| start + i)
        } else {
            text[start..].find('\n').map_or(text.len(), |i| start + i)
        };
        out.push_str(&text[copied..start]);
        if end > start {
            out.push_str("***");
        }
        copied = end;
        from = end.max(value);
    }
    out.push_str(&text[copied..]);
    out
}

/// `text` with each occurrence of `word` that is not part of a longer word replaced by
/// `by`: an occurrence that starts (ends) with a letter or digit counts only when no letter
/// or digit comes just before (after) it.
fn replace_whole(text: &str, word: &str, by: &str) -> String {
    if word.is_empty() {
        return text.to_owned();
    }
    let alphanumeric = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let (first, last) = (word.chars().next(), word.chars().next_back());
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, _) in text.match_indices(word) {
        let end = start + word.len();
        let joined_before = alphanumeric(first) && alphanumeric(text[..start].chars().next_back());
        let joined_after = alphanumeric(last) && alphanumeric(text[end..].chars().next());
        if joined_before || joined_after {
            continue;
        }
        out.push_str(&text[copied..start]);
        out.push_str(by);
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_inside_a_longer_word_is_not_the_secret() {
        let auth = Auth::new(Scheme::Basic, Some("dba".into()), Secret("dba".into())).unwrap();
        let staging = "PUT /crud?graph-uri=urn%3Atipkg%3Astaging%3ARUN%3A6e718e8f6983a31e45e4adba";
        assert_eq!(auth.redact(staging), staging);
        assert_eq!(
            auth.redact("user dba:dba@host, password=dba&x, \"dba\""),
            "user ***:***@host, password=***&x, \"***\""
        );
        assert_eq!(auth.redact("dba"), "***");
        let symbols = Auth::new(Scheme::Bearer, None, Secret("!x!".into())).unwrap();
        assert_eq!(symbols.redact("a!x!b"), "a***b");
    }

    #[test]
    fn echoed_authorization_values_are_hidden() {
        let text = "authorization: Basic dXNlcjpzZWNyZXQ= was refused; Authorization:Bearer abc.def\nProxy-Authorization: Digest username=\"u\", response=\"x\"\nend";
        let clean = redact_authorization(text);
        assert!(!clean.contains("dXNlcjpzZWNyZXQ="), "{clean}");
        assert!(!clean.contains("abc.def"), "{clean}");
        assert!(!clean.contains("response"), "{clean}");
        assert!(clean.contains("Basic *** was refused"), "{clean}");
        assert!(clean.ends_with("\nend"), "{clean}");
        let plain = "Basic authentication is required";
        assert_eq!(redact_authorization(plain), plain);
    }

    #[test]
    fn secrets_never_print() {
        let secret = Secret("hunter2".into());
        assert_eq!(format!("{secret} {secret:?}"), "*** ***");
        let auth = Auth::new(Scheme::Basic, Some("dba".into()), secret).unwrap();
        assert!(!format!("{auth:?}").contains("hunter2"));
        assert_eq!(auth.redact("bad password hunter2!"), "bad password ***!");
    }
}
