//! Changes of the crate and of what `Client` is built with: package, servers, key variable,
//! auth schemes, error body.

use std::collections::BTreeMap;

use super::{Changes, Level, code, optional};
use crate::summary;

pub(super) fn package(old: &summary::Package, new: &summary::Package, out: &mut Changes) {
    if old.name != new.name {
        out.push(
            Level::Breaking,
            "the crate",
            "`[package] name`",
            format!(
                "renamed {} → {}: every dependent's `Cargo.toml` and paths name it",
                code(&old.name),
                code(&new.name)
            ),
        );
    }
    if old.description != new.description {
        out.push(
            Level::Patch,
            "the crate",
            "`[package] description`",
            "description changed",
        );
    }
}

pub(super) fn client(old: &summary::Client, new: &summary::Client, out: &mut Changes) {
    base_url(&old.base_url, &new.base_url, out);
    if old.servers != new.servers && old.base_url == new.base_url {
        out.push(
            Level::Patch,
            "the crate docs",
            "`servers`",
            "the server list changed; the default base URL did not",
        );
    }
    env_var(old.env_var.as_deref(), new.env_var.as_deref(), out);
    base_url_env(
        old.base_url_env.as_deref(),
        new.base_url_env.as_deref(),
        out,
    );
    if old.default_scheme != new.default_scheme {
        out.push(
            Level::Breaking,
            "`Client::new`",
            "the default auth scheme",
            format!(
                "{} → {}: clients built without `auth_scheme` send the key another way",
                optional(old.default_scheme.as_deref()),
                optional(new.default_scheme.as_deref())
            ),
        );
    }
    schemes(&old.schemes, &new.schemes, out);
    let fields = [
        ("code", &old.error_code_field, &new.error_code_field),
        (
            "message",
            &old.error_message_field,
            &new.error_message_field,
        ),
    ];
    for (what, old_field, new_field) in fields {
        if old_field != new_field {
            out.push(
                Level::Breaking,
                &format!("`ApiError::{what}`"),
                &format!("`[errors] {what}_field`"),
                format!(
                    "read from {} instead of {}",
                    code(new_field),
                    code(old_field)
                ),
            );
        }
    }
}

fn base_url(old: &str, new: &str, out: &mut Changes) {
    let (item, wire) = ("`Client::new`", "the first usable `servers` URL");
    match (old.is_empty(), new.is_empty()) {
        _ if old == new => {}
        (true, false) => out.push(
            Level::Breaking,
            item,
            wire,
            format!(
                "a default base URL, {}: `Client::new` no longer takes a `base_url` argument",
                code(new)
            ),
        ),
        (false, true) => out.push(
            Level::Breaking,
            item,
            wire,
            format!(
                "no default base URL any more (was {}): `Client::new` takes a `base_url` argument",
                code(old)
            ),
        ),
        _ => out.push(
            Level::Breaking,
            item,
            wire,
            format!(
                "default base URL {} → {}: clients built without `base_url` call another server",
                code(old),
                code(new)
            ),
        ),
    }
}

fn env_var(old: Option<&str>, new: Option<&str>, out: &mut Changes) {
    let (item, wire) = ("`Client::from_env`", "`[auth] env_var`");
    match (old, new) {
        (None, Some(new)) => out.push(
            Level::Additive,
            item,
            wire,
            format!("added: reads {}", code(new)),
        ),
        (Some(old), None) => out.push(
            Level::Breaking,
            item,
            wire,
            format!("removed (it read {})", code(old)),
        ),
        (Some(old), Some(new)) if old != new => out.push(
            Level::Breaking,
            item,
            wire,
            format!("reads {} instead of {}", code(new), code(old)),
        ),
        _ => {}
    }
}

fn base_url_env(old: Option<&str>, new: Option<&str>, out: &mut Changes) {
    let (item, wire) = (
        "`ClientBuilder::from_env`",
        "the base URL's environment variable",
    );
    match (old, new) {
        (None, Some(new)) => out.push(
            Level::Additive,
            item,
            wire,
            format!("reads the base URL from {} when it is set", code(new)),
        ),
        (Some(old), None) => out.push(
            Level::Breaking,
            item,
            wire,
            format!("no longer reads the base URL from {}", code(old)),
        ),
        (Some(old), Some(new)) if old != new => out.push(
            Level::Breaking,
            item,
            wire,
            format!(
                "reads the base URL from {} instead of {}",
                code(new),
                code(old)
            ),
        ),
        _ => {}
    }
}

fn scheme_text(scheme: &summary::Scheme) -> String {
    let name = scheme.name.as_deref().unwrap_or_default();
    match (scheme.location.as_str(), &scheme.prefix) {
        ("header", Some(prefix)) => code(&format!("{name}: {prefix} <key>")),
        ("header", None) => code(&format!("{name}: <key>")),
        ("basic", _) => "HTTP Basic".to_owned(),
        (location, _) => format!("{location} {}", code(name)),
    }
}

fn schemes(
    old: &BTreeMap<String, summary::Scheme>,
    new: &BTreeMap<String, summary::Scheme>,
    out: &mut Changes,
) {
    let item = "`ClientBuilder::auth_scheme`";
    match (old.is_empty(), new.is_empty()) {
        (true, false) => out.push(
            Level::Breaking,
            "`Client::new`",
            "`components.securitySchemes`",
            "takes an `api_key` argument: the API declares a way to send a key now",
        ),
        (false, true) => out.push(
            Level::Breaking,
            "`Client::new`",
            "`components.securitySchemes`",
            "no longer takes an `api_key` argument: the API declares no way to send one",
        ),
        _ => {}
    }
    for (name, scheme) in new.iter().filter(|(n, _)| !old.contains_key(*n)) {
        out.push(
            Level::Additive,
            item,
            &format!("auth scheme {}", code(name)),
            format!("added: sends {}", scheme_text(scheme)),
        );
    }
    for (name, scheme) in old {
        let wire = format!("auth scheme {}", code(name));
        match new.get(name) {
            None => out.push(
                Level::Breaking,
                item,
                &wire,
                format!(
                    "removed (it sent {}): choosing it fails",
                    scheme_text(scheme)
                ),
            ),
            Some(now) if now != scheme => out.push(
                Level::Breaking,
                item,
                &wire,
                format!(
                    "sends {} instead of {}",
                    scheme_text(now),
                    scheme_text(scheme)
                ),
            ),
            Some(_) => {}
        }
    }
}
