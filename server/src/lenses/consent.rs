//! A workspace cannot grant itself the machine. What a cloned repository's
//! `wasmlens.toml` asks for beyond an empty sandbox (a `build` command,
//! a `[run]` directory outside its own folder, the network, the editor's
//! environment) is the repository's wish; it runs only once the user has
//! agreed. The editor's own settings are the user's and need no consent,
//! and the CLI asks nothing (the user typed the flags).
//!
//! Answers are kept per `wasmlens.toml` and per its content (a SHA-256 of
//! the file), outside the workspace, so an edited file asks again.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use super::settings::Settings;
use crate::analysis::config::RunDir;
use crate::sync::lock;

/// One thing a `wasmlens.toml` asks for that needs the user's consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wish {
    /// Run this shell command (a Build lens).
    Build {
        command: String,
    },
    /// Preopen a directory outside the folder of `wasmlens.toml`
    /// (symlinks followed).
    DirOutside {
        dir: RunDir,
        /// Where it really is.
        resolved: PathBuf,
    },
    Network,
    InheritEnv,
}

impl std::fmt::Display for Wish {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Wish::Build { command } => write!(f, "run the shell command `{command}`"),
            Wish::DirOutside { dir, resolved } => write!(
                f,
                "{} the directory {} (outside the workspace) as {}",
                if dir.read_only {
                    "read"
                } else {
                    "read and write"
                },
                resolved.display(),
                dir.guest.as_deref().unwrap_or(&dir.host)
            ),
            Wish::Network => write!(f, "use the network (TCP, UDP, name lookups)"),
            Wish::InheritEnv => write!(f, "read every environment variable of the editor"),
        }
    }
}

/// What one `wasmlens.toml`, as it is now, asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wishes {
    pub file: PathBuf,
    /// SHA-256 of the file's bytes, hex.
    pub digest: String,
    pub items: Vec<Wish>,
}

impl Wishes {
    /// The question put to the user: exactly what would be granted or run.
    pub fn question(&self) -> String {
        let items: Vec<String> = self.items.iter().map(|w| format!("• {w}")).collect();
        format!(
            "{} asks to:\n{}\nAllow it?",
            self.file.display(),
            items.join("\n")
        )
    }
}

/// What a Build lens would run: the command, always a wish.
pub fn build_wishes(settings: &Settings, command: &str) -> Option<Wishes> {
    wishes_of(
        settings,
        vec![Wish::Build {
            command: command.to_string(),
        }],
    )
}

/// What a run, invoke or trace would grant on the file's word: its
/// directories outside its folder, the network, the environment.
pub fn run_wishes(settings: &Settings) -> Option<Wishes> {
    let file = settings.file.as_deref()?;
    let folder = resolved(file.parent()?);
    let run = &settings.config.run;
    let mut items: Vec<Wish> = run
        .dirs
        .iter()
        .filter_map(|dir| {
            let place = resolved(&folder.join(&dir.host));
            (!place.starts_with(&folder)).then(|| Wish::DirOutside {
                dir: dir.clone(),
                resolved: place,
            })
        })
        .collect();
    if run.allow_net == Some(true) {
        items.push(Wish::Network);
    }
    if run.inherit_env == Some(true) {
        items.push(Wish::InheritEnv);
    }
    wishes_of(settings, items)
}

fn wishes_of(settings: &Settings, items: Vec<Wish>) -> Option<Wishes> {
    if items.is_empty() {
        return None;
    }
    let file = settings.file.clone()?;
    // A file that cannot be read again digests as empty: any answer kept
    // for its real content then does not apply, so the user is asked.
    let bytes = std::fs::read(&file).unwrap_or_default();
    Some(Wishes {
        digest: hex(&Sha256::digest(&bytes)),
        file,
        items,
    })
}

/// The settings with what `wishes` asked for taken out: the file's
/// directories outside, its network and environment grants (the editor's
/// own settings still apply).
pub fn without(settings: &Settings, wishes: &Wishes) -> Settings {
    let mut settings = settings.clone();
    let run = &mut settings.config.run;
    for wish in &wishes.items {
        match wish {
            Wish::DirOutside { dir, .. } => run.dirs.retain(|d| d != dir),
            Wish::Network => run.allow_net = None,
            Wish::InheritEnv => run.inherit_env = None,
            Wish::Build { .. } => {}
        }
    }
    settings
}

/// `path` with symlinks followed as far as it exists, and `..` resolved in
/// the rest: where a directory grant would really point.
fn resolved(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    // The components below the part that exists, innermost last.
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match Path::new(part).components().next() {
                    Some(Component::ParentDir) => {
                        out.pop();
                    }
                    Some(Component::CurDir) | None => {}
                    Some(_) => out.push(part),
                }
            }
            return out;
        }
        let Some(name) = existing.components().next_back() else {
            return path.to_path_buf();
        };
        rest.push(name.as_os_str().to_owned());
        if !existing.pop() {
            return path.to_path_buf();
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The user's "Always for this workspace" answers: `wasmlens.toml` path →
/// digest of the content they were given for. Kept in
/// `<state dir>/consent.json`, outside every workspace.
pub struct ConsentStore {
    file: PathBuf,
    /// Serialises read-modify-write of the file within this process.
    writing: Mutex<()>,
}

impl ConsentStore {
    /// The store in `state_dir`, else in the user's state directory
    /// (`$XDG_STATE_HOME/wasmlens`, `~/.local/state/wasmlens`).
    pub fn new(state_dir: Option<PathBuf>) -> ConsentStore {
        let dir = state_dir.unwrap_or_else(|| {
            std::env::var_os("XDG_STATE_HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .or_else(|| {
                    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/state"))
                })
                .unwrap_or_else(std::env::temp_dir)
                .join("wasmlens")
        });
        ConsentStore {
            file: dir.join("consent.json"),
            writing: Mutex::new(()),
        }
    }

    fn read(&self) -> BTreeMap<String, String> {
        std::fs::read(&self.file)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Whether the user allowed this file's wishes, for its current content.
    pub fn allows(&self, wishes: &Wishes) -> bool {
        self.read().get(&key(&wishes.file)) == Some(&wishes.digest)
    }

    /// Remembers "Always for this workspace" for this content.
    pub fn allow_always(&self, wishes: &Wishes) -> Result<(), String> {
        let _one_writer = lock(&self.writing);
        let mut answers = self.read();
        answers.insert(key(&wishes.file), wishes.digest.clone());
        let dir = self.file.parent().unwrap_or(Path::new("."));
        let written = std::fs::create_dir_all(dir).and_then(|()| {
            let text = serde_json::to_vec_pretty(&answers).map_err(std::io::Error::other)?;
            // A rename replaces the file whole: a crash leaves the old one.
            let temporary = tempfile::NamedTempFile::new_in(dir)?;
            std::fs::write(temporary.path(), text)?;
            temporary.persist(&self.file).map_err(|e| e.error)?;
            Ok(())
        });
        written.map_err(|e| format!("cannot remember the answer in {}: {e}", self.file.display()))
    }
}

fn key(file: &Path) -> String {
    resolved(file).to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Config;

    /// A workspace folder with `wasmlens.toml`, and a folder beside it.
    fn settings_in(dir: &Path, toml: &str) -> Settings {
        let file = dir.join("wasmlens.toml");
        std::fs::write(&file, toml).unwrap();
        let (config, errors) = Config::parse_all(toml);
        assert!(errors.is_empty(), "{errors:?}");
        Settings {
            config,
            file: Some(file),
            ..Settings::default()
        }
    }

    #[test]
    fn each_kind_of_grant_is_a_wish_and_inside_dirs_are_not() {
        let root = tempfile::tempdir().unwrap();
        let workspace = root.path().join("ws");
        std::fs::create_dir_all(workspace.join("data")).unwrap();
        std::fs::create_dir_all(root.path().join("secrets")).unwrap();
        std::os::unix::fs::symlink(root.path().join("secrets"), workspace.join("link")).unwrap();
        // Table: [run] -> the wishes, in words.
        let cases: [(&str, &[&str]); 7] = [
            ("dirs = [{ host = \"data\" }]", &[]),
            ("dirs = [{ host = \"not-yet/made\" }]", &[]),
            (
                "dirs = [{ host = \"../secrets\", guest = \"/s\" }]",
                &["read and write the directory <root>/secrets (outside the workspace) as /s"],
            ),
            (
                "dirs = [{ host = \"link\", read-only = true }]",
                &["read the directory <root>/secrets (outside the workspace) as link"],
            ),
            (
                "dirs = [{ host = \"data/../../secrets\" }]",
                &[
                    "read and write the directory <root>/secrets (outside the workspace) as data/../../secrets",
                ],
            ),
            (
                "allow-net = true",
                &["use the network (TCP, UDP, name lookups)"],
            ),
            (
                "inherit-env = true\nallow-net = false",
                &["read every environment variable of the editor"],
            ),
        ];
        let real_root = root.path().canonicalize().unwrap();
        for (run, expected) in cases {
            let settings = settings_in(&workspace, &format!("[run]\n{run}\n"));
            let words: Vec<String> = run_wishes(&settings)
                .map(|w| w.items.iter().map(|i| i.to_string()).collect())
                .unwrap_or_default();
            let expected: Vec<String> = expected
                .iter()
                .map(|e| e.replace("<root>", &real_root.to_string_lossy()))
                .collect();
            assert_eq!(words, expected, "{run}");
        }
    }

    #[test]
    fn denying_takes_out_exactly_the_wishes() {
        let root = tempfile::tempdir().unwrap();
        let toml = "[run]\nallow-net = true\ndirs = [{ host = \"/\" }, { host = \"in\" }]\n";
        let settings = settings_in(root.path(), toml);
        let wishes = run_wishes(&settings).unwrap();
        let denied = without(&settings, &wishes);
        assert_eq!(denied.config.run.allow_net, None);
        assert_eq!(denied.config.run.dirs.len(), 1);
        assert_eq!(denied.config.run.dirs[0].host, "in");
    }

    #[test]
    fn an_answer_holds_for_the_content_it_was_given_for() {
        let root = tempfile::tempdir().unwrap();
        let store = ConsentStore::new(Some(root.path().join("state")));
        let settings = settings_in(root.path(), "[run]\nallow-net = true\n");
        let wishes = run_wishes(&settings).unwrap();
        assert!(!store.allows(&wishes));
        store.allow_always(&wishes).unwrap();
        assert!(store.allows(&wishes));
        assert!(root.path().join("state/consent.json").is_file());
        let edited = settings_in(root.path(), "[run]\nallow-net = true\n# edited\n");
        let edited = run_wishes(&edited).unwrap();
        assert!(!store.allows(&edited), "an edited file asks again");
    }
}
