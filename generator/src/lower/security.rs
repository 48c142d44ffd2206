//! Security schemes: how the client attaches its credential.

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme as OaScheme};

use super::Lowerer;
use crate::diagnostics::pointer;
use crate::model::{AuthKind, SecurityScheme};
use crate::settings::Settings;

/// The schemes the client can use, the default first: the settings' `default_scheme`,
/// else the first scheme of the top-level `security`, else the first declared.
pub(super) fn lower_schemes(cx: &mut Lowerer<'_>, settings: &Settings) -> Vec<SecurityScheme> {
    let declared = cx.doc.components.as_ref().map(|c| &c.security_schemes);
    let mut schemes: Vec<SecurityScheme> = declared
        .into_iter()
        .flatten()
        .filter_map(|(name, scheme)| {
            let at = pointer("#/components/securitySchemes", name);
            lower_scheme(cx, name, scheme, &at, settings)
        })
        .collect();
    for (name, extra) in &settings.auth.extra_schemes {
        if schemes.iter().any(|s| &s.wire_name == name) {
            cx.diags
                .error(
                    "#/components/securitySchemes",
                    format!("codegen.toml adds scheme `{name}`, which the spec already declares"),
                )
                .help("remove it from `[auth.extra_schemes]` in codegen.toml, or rename it");
            continue;
        }
        schemes.push(SecurityScheme {
            wire_name: name.clone(),
            kind: AuthKind::Header {
                name: extra.header.clone(),
                prefix: extra.prefix.clone(),
            },
            description: extra.description.clone(),
        });
    }
    schemes.sort_by(|a, b| a.wire_name.cmp(&b.wire_name));
    // The first requirement that names a scheme; within it (all of its schemes are needed
    // together, in no order) the first by name.
    let first_required = cx
        .doc
        .security
        .iter()
        .flatten()
        .find_map(|requirement| requirement.keys().min());
    let default = settings.auth.default_scheme.as_ref().or(first_required);
    if let Some(default) = default {
        match schemes.iter().position(|s| &s.wire_name == default) {
            Some(index) => {
                let scheme = schemes.remove(index);
                schemes.insert(0, scheme);
            }
            None if settings.auth.default_scheme.as_ref() == Some(default) => {
                cx.diags
                    .error(
                        "#/components/securitySchemes",
                        format!("codegen.toml's default scheme `{default}` is not declared"),
                    )
                    .help("set `default_scheme` to a scheme of `components/securitySchemes`");
            }
            // The spec's first required scheme is one the client cannot use (it was
            // reported when skipped); the next usable one becomes the default.
            None => {}
        }
    }
    for name in settings.auth.schemes.keys() {
        if !schemes.iter().any(|s| &s.wire_name == name) {
            cx.diags
                .error(
                    "#/components/securitySchemes",
                    format!(
                        "codegen.toml configures scheme `{name}`, which the spec does not declare"
                    ),
                )
                .help("correct the name under `[auth.schemes]` in codegen.toml, or remove it");
        }
    }
    schemes
}

fn lower_scheme(
    cx: &mut Lowerer<'_>,
    name: &str,
    scheme: &ReferenceOr<OaScheme>,
    at: &str,
    settings: &Settings,
) -> Option<SecurityScheme> {
    let ReferenceOr::Item(scheme) = scheme else {
        cx.diags.warning(
            at,
            "security scheme references are not supported; scheme skipped",
        );
        return None;
    };
    let configured = settings
        .auth
        .schemes
        .get(name)
        .and_then(|s| s.prefix.clone());
    let (kind, description) = match scheme {
        OaScheme::APIKey {
            location,
            name: param,
            description,
            ..
        } => {
            let kind = match location {
                APIKeyLocation::Header => AuthKind::Header {
                    name: param.clone(),
                    prefix: header_prefix(cx, name, param, configured, description, at),
                },
                APIKeyLocation::Query => AuthKind::Query {
                    name: param.clone(),
                },
                APIKeyLocation::Cookie => AuthKind::Cookie {
                    name: param.clone(),
                },
            };
            (kind, description)
        }
        OaScheme::HTTP {
            scheme: http,
            description,
            ..
        } if http.eq_ignore_ascii_case("bearer") => {
            let prefix = configured.or_else(|| Some("Bearer".to_owned()));
            (
                AuthKind::Header {
                    name: "Authorization".to_owned(),
                    prefix,
                },
                description,
            )
        }
        OaScheme::OAuth2 { description, .. } | OaScheme::OpenIDConnect { description, .. } => {
            let prefix = configured.or_else(|| Some("Bearer".to_owned()));
            (
                AuthKind::Header {
                    name: "Authorization".to_owned(),
                    prefix,
                },
                description,
            )
        }
        OaScheme::HTTP {
            scheme: http,
            description,
            ..
        } if http.eq_ignore_ascii_case("basic") => (AuthKind::Basic, description),
        OaScheme::HTTP { scheme: http, .. } => {
            cx.diags.warning(
                at,
                format!("HTTP `{http}` authentication is not supported; scheme skipped"),
            );
            return None;
        }
    };
    Some(SecurityScheme {
        wire_name: name.to_owned(),
        kind,
        description: description.clone(),
    })
}

/// The word sent before an API key in the header `header`: the one `codegen.toml` gives
/// (`prefix = ""` for none); else, in `Authorization`, the one an example in the scheme's
/// description shows (`Authorization: Api-Key <key>`), with a warning that says so, or none
/// with a warning that the key is sent bare. Other headers carry the key alone.
fn header_prefix(
    cx: &mut Lowerer<'_>,
    scheme: &str,
    header: &str,
    configured: Option<String>,
    description: &Option<String>,
    at: &str,
) -> Option<String> {
    if let Some(prefix) = configured {
        return (!prefix.is_empty()).then_some(prefix);
    }
    if !header.eq_ignore_ascii_case("authorization") {
        return None;
    }
    let override_help = |prefix: &str| {
        format!(
            "to send another, or to confirm this one and silence the warning, set `prefix = \
             \"{prefix}\"` under `[auth.schemes.{scheme}]` in the settings beside the spec \
             (`<spec stem>.codegen.toml` or `codegen.toml`); `prefix = \"\"` sends the key bare"
        )
    };
    match description.as_deref().and_then(prefix_from_prose) {
        Some(prefix) => {
            cx.diags
                .warning(
                    pointer(at, "description"),
                    format!(
                        "scheme `{scheme}` sends its key in `Authorization` with no prefix \
                         configured; its description shows `Authorization: {prefix} …`, so the \
                         key is sent as `Authorization: {prefix} <key>`"
                    ),
                )
                .help(override_help(&prefix));
            Some(prefix)
        }
        None => {
            cx.diags
                .warning(
                    at,
                    format!(
                        "scheme `{scheme}` sends its key in `Authorization` bare, with no \
                         scheme word before it: none is configured and its description shows \
                         no `Authorization: <Scheme> <key>` example"
                    ),
                )
                .help(override_help("<Scheme>"));
            None
        }
    }
}

/// The scheme word of the first example `Authorization: <Scheme> <credential>` in prose
/// (`Api-Key` in "For example, `Authorization: Api-Key <Your_Api_Key>`"), if there is one.
/// A lone value (`Authorization: <key>`, `Authorization: YOUR_API_KEY`) shows no scheme.
fn prefix_from_prose(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    lower
        .match_indices("authorization")
        .find_map(|(start, word)| example_scheme(&text[start + word.len()..]))
}

/// The scheme word of what follows `Authorization` in an example: `: Api-Key <key>`.
fn example_scheme(after: &str) -> Option<String> {
    let value = after.trim_start_matches([' ', '\t']).strip_prefix(':')?;
    let value = value.trim_start_matches([' ', '\t']);
    let end = value
        .find(|c: char| !is_scheme_char(c))
        .unwrap_or(value.len());
    let (scheme, rest) = value.split_at(end);
    let credential_follows = rest.starts_with([' ', '\t'])
        && rest
            .trim_start_matches([' ', '\t'])
            .starts_with(|c: char| !c.is_whitespace() && !matches!(c, '`' | '"' | '\''));
    let placeholder = scheme.contains('_') && !scheme.chars().any(|c| c.is_ascii_lowercase());
    (!scheme.is_empty() && credential_follows && !placeholder).then(|| scheme.to_owned())
}

/// A character of an HTTP authentication scheme name (RFC 9110 `token`, less the quotes).
fn is_scheme_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&*+-.^_|~".contains(c)
}

#[cfg(test)]
mod tests {
    use super::prefix_from_prose;

    #[test]
    fn an_authorization_example_in_prose_gives_its_scheme_word() {
        let cases = [
            (
                "You must specify the scheme 'Api-Key' in the Authorization header. For \
                 example, `Authorization: Api-Key <Your_Api_Key>`",
                Some("Api-Key"),
            ),
            ("Send `Authorization: Bearer YOUR_TOKEN`.", Some("Bearer")),
            ("AUTHORIZATION:Token abc123", Some("Token")),
            ("Use the Authorization header: Key {key}", None),
            ("Put it in `Authorization: <your key>`", None),
            ("Authorization: YOUR_API_KEY to sign in", None),
            ("Authorization: sk-123", None),
            ("The key goes in the Authorization header.", None),
            ("Authorization: Bearer", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(prefix_from_prose(text).as_deref(), expected, "{text}");
        }
    }
}
