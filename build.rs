//! Embeds the SQL models and templates, so that `homeward init DIR` can
//! write a new project from the binary alone.

use std::fmt::Write as _;
use std::path::Path;

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable project folder")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(root, &p, out);
        } else {
            out.push(p.strip_prefix(root).expect("inside").display().to_string());
        }
    }
}

fn main() {
    // Read when the script runs, not baked in when it is compiled: clones
    // that share one target folder (CI) share this script's binary too.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir);
    let mut files = Vec::new();
    for dir in ["sql", "templates"] {
        println!("cargo:rerun-if-changed={dir}");
        walk(root, &root.join(dir), &mut files);
    }
    let mut code = String::from(
        "/// Every file of `sql/` and `templates/`, by relative path.\npub static PROJECT_FILES: &[(&str, &str)] = &[\n",
    );
    // Paths relative to the manifest folder, resolved at compile time: a
    // cached build-script output then stays right when the clone moves
    // (CI shares one target folder between clones).
    for f in &files {
        writeln!(
            code,
            "    ({f:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/\", {f:?}))),"
        )
        .expect("write");
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(Path::new(&out).join("project_files.rs"), code).expect("write project_files.rs");
}
