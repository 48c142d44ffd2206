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
                    prefix: configured,
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
