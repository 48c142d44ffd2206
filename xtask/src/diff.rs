//! `diff <OLD_SPEC> <NEW_SPEC> [--old-settings FILE] [--new-settings FILE]`: the same code
//! path as `apigen diff` ([`apigen_cli::diff`]): what changed in the generated Rust API
//! between two specs.

use apigen_cli::diff::DiffArgs;

/// `cargo xtask diff …`: prints the report.
pub fn run(args: &[&str]) -> Result<(), String> {
    let usage =
        "usage: cargo xtask diff <OLD_SPEC> <NEW_SPEC> [--old-settings FILE] [--new-settings FILE]";
    let args = DiffArgs::parse(args).map_err(|err| format!("{err}\n{usage}"))?;
    print!("{}", apigen_cli::diff::diff(&args)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use apigen_cli::settings_beside;

    #[test]
    fn the_history_and_the_spec_have_their_settings_beside_them() {
        let root = crate::codegen::workspace_root();
        assert_eq!(
            settings_beside(&root.join("spec/openapi.yaml")),
            Some(root.join("spec/codegen.toml"))
        );
        for version in ["v0-100ops-apikey", "v1-150ops-apikey", "v2-183ops-bearer"] {
            assert_eq!(
                settings_beside(&root.join(format!("spec/history/{version}.yaml"))),
                Some(root.join(format!("spec/history/{version}.codegen.toml")))
            );
        }
    }
}
