//! The files of a models crate split into part crates (`plan::parts`).
//!
//! Each part is a crate under `parts/part-<n>/` of the models directory with every
//! namespace module (empty where it holds no item), and each of its modules imports the
//! same module of every part it names. Generated paths are relative (a type of another
//! namespace is `super::super::<module>::<Name>`), so the emitters write a part's files
//! exactly as they write one crate's. The models crate itself only re-exports: its module
//! `<module>` is the glob re-export of that module of every part holding items of it, so
//! every type keeps its path.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{
    ident, lib_rs_attributes, model_dependencies, model_modules, namespace_files, package, render,
    CrateInfo,
};
use crate::error::Result;
use crate::plan::parts::PartsPlan;
use crate::plan::Plan;
use crate::settings::Dependency;
use crate::write::{OutputFile, PendingFile};

/// The package name of part `i` (0-based).
fn part_name(info: &CrateInfo, i: usize) -> String {
    format!("{}-part-{}", info.crate_name, i + 1)
}

/// The directory of part `i` under `parts/`.
fn part_dir(i: usize) -> String {
    format!("part-{}", i + 1)
}

/// The manifest line that depends on part `name` at `path`: the exact version, since the
/// parts are published with the crate that re-exports them (build metadata is not part of
/// a requirement).
fn part_dependency(info: &CrateInfo, name: &str, path: &str) -> String {
    let version = info.version.split('+').next().unwrap_or(&info.version);
    Dependency::path_and_version(path, format!("={version}")).manifest_line(name, &[])
}

/// Adds to the models crate's manifest its dependency on each part, and to each of its
/// features the same feature of the parts that declare it.
pub(super) fn depend_on_parts(
    info: &CrateInfo,
    parts: &PartsPlan,
    dependencies: &mut Vec<String>,
    features: &mut [(String, Vec<String>)],
) {
    for (i, part) in parts.parts.iter().enumerate() {
        let name = part_name(info, i);
        dependencies.push(part_dependency(
            info,
            &name,
            &format!("parts/{}", part_dir(i)),
        ));
        for (feature, enables) in features.iter_mut() {
            if part.features.contains(feature) {
                enables.push(format!("{name}/{feature}"));
            }
        }
    }
}

/// The crate identifier of part `i`.
fn part_ident(info: &CrateInfo, i: usize) -> Ident {
    ident(&part_name(info, i).replace('-', "_"))
}

/// `dependency` as seen from two directories further down (a relative path gets `../../`).
fn two_levels_down(dependency: &Dependency) -> Dependency {
    match dependency {
        Dependency::Path { path, version } if is_relative(path) => Dependency::Path {
            path: format!("../../{path}"),
            version: version.clone(),
        },
        other => other.clone(),
    }
}

/// Whether a manifest path is relative (on any platform the manifest may be read on).
fn is_relative(path: &str) -> bool {
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    !(path.starts_with('/') || path.starts_with('\\') || drive)
}

/// Adds the files of part `part` to `files`.
pub(super) fn part_files<'a>(
    plan: &'a Plan,
    info: &'a CrateInfo,
    parts: &'a PartsPlan,
    part: usize,
    files: &mut Vec<PendingFile<'a>>,
) -> Result<()> {
    let plan_part = &parts.parts[part];
    let name = part_name(info, part);
    let root = format!("parts/{}/", part_dir(part));
    let mut dependencies = model_dependencies(&two_levels_down(&info.runtime));
    for &dep in &plan_part.deps {
        dependencies.push(part_dependency(
            info,
            &part_name(info, dep),
            &format!("../{}", part_dir(dep)),
        ));
    }
    let manifest = package::Manifest {
        info,
        name: &name,
        description: format!(
            "Part {} of {}, which re-exports its types: depend on that crate",
            part + 1,
            info.crate_name
        ),
        keywords: &["odata", "models", "serde"],
        categories: &["api-bindings"],
        dependencies,
        dev_dependencies: Vec::new(),
        features: plan_part
            .features
            .iter()
            .map(|f| (f.clone(), Vec::new()))
            .collect(),
        examples: Vec::new(),
    };
    files.push(PendingFile::ready(OutputFile::new(
        format!("{root}Cargo.toml"),
        manifest.render(),
    )));
    files.push(PendingFile::ready(OutputFile::new(
        format!("{root}README.md"),
        package::part_readme(info, &name, part),
    )));
    let deps: Vec<Ident> = plan_part
        .deps
        .iter()
        .map(|&d| part_ident(info, d))
        .collect();
    let imports = |module: &Ident| -> Option<TokenStream> {
        (!deps.is_empty()).then(|| {
            quote! {
                #(
                    #[allow(unused_imports)]
                    pub(crate) use #deps::#module::*;
                )*
            }
        })
    };
    let modules = model_modules(plan, &|item| parts.part(item) == part);
    let module_decls = namespace_files(plan, info, modules, &root, &imports, files)?;
    let doc = format!(
        " Part {} of the models crate `{}`, which re-exports every type of it at the same path: depend on that crate.",
        part + 1,
        info.crate_name
    );
    let attributes = lib_rs_attributes(plan, false);
    let tokens = quote! {
        #![doc = #doc]
        #attributes
        #(pub mod #module_decls;)*
    };
    let path = format!("{root}src/lib.rs");
    files.push(PendingFile::ready(OutputFile::new(
        path.clone(),
        render(info, tokens, &path)?,
    )));
    Ok(())
}

/// Adds the models crate's own modules, each the re-export of the parts that hold its
/// items, to `files` and returns their identifiers.
pub(super) fn reexporting_modules<'a>(
    plan: &'a Plan,
    info: &'a CrateInfo,
    parts: &PartsPlan,
    files: &mut Vec<PendingFile<'a>>,
) -> Result<Vec<Ident>> {
    let mut decls = Vec::new();
    for module in model_modules(plan, &|_| false) {
        let holders: Vec<Ident> = (0..parts.parts.len())
            .filter(|&p| parts.has_module(p, module.index))
            .map(|p| part_ident(info, p))
            .collect();
        let m = &module.ident;
        // With area features a part's module may hold nothing the enabled ones compile.
        let allow = plan
            .features
            .is_some()
            .then(|| quote!(#[allow(unused_imports)]));
        let doc = module.doc.trim_start();
        let tokens = quote! {
            #![doc = #doc]
            #(
                #[doc(inline)]
                #allow
                pub use #holders::#m::*;
            )*
        };
        let path = format!("src/{m}/mod.rs");
        files.push(PendingFile::ready(OutputFile::new(
            path.clone(),
            render(info, tokens, &path)?,
        )));
        decls.push(module.ident);
    }
    Ok(decls)
}

#[cfg(test)]
mod tests {
    use super::{is_relative, two_levels_down};
    use crate::settings::Dependency;

    /// A part sits two directories below the models crate: a relative runtime path gets
    /// `../../`, an absolute one (Unix, a drive letter, UNC) and a registry or git
    /// dependency stay as they are.
    #[test]
    fn a_part_finds_the_runtime_two_levels_further_down() {
        let line = |d: &Dependency| two_levels_down(d).manifest_line("rt", &[]);
        assert_eq!(
            line(&Dependency::path_and_version("../../runtime", "0.1.0")),
            r#"rt = { path = "../../../../runtime", version = "0.1.0" }"#
        );
        for absolute in [
            "/opt/runtime",
            r"C:\\runtime",
            "c:/runtime",
            r"\\server\share",
        ] {
            assert!(!is_relative(absolute), "{absolute}");
            let d = Dependency::path(absolute);
            assert_eq!(line(&d), d.manifest_line("rt", &[]));
        }
        assert!(is_relative("runtime") && is_relative("./a:b"));
        let registry = Dependency::version("0.1");
        assert_eq!(line(&registry), registry.manifest_line("rt", &[]));
        let git = Dependency::git("https://example.test/r.git", None);
        assert_eq!(line(&git), git.manifest_line("rt", &[]));
    }
}
