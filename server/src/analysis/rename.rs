//! Rename: every occurrence of a symbol gets the new name, or nothing
//! changes and the user is told why.

use super::index::{DefId, DefKind};
use super::navigation::SymbolAt;
use super::{FileEdit, FileId, PackageAnalysis};
use crate::syntax::lexer::validate_id;
use crate::syntax::{SyntaxKind, TextRange, TextSize};

impl PackageAnalysis {
    /// The name a rename at `offset` would change, with its current text,
    /// or why it cannot be renamed.
    pub fn prepare_rename(
        &self,
        file: FileId,
        offset: TextSize,
    ) -> Result<(TextRange, String), String> {
        let symbol = self.renameable_at(file, offset)?;
        let name = self.index.def(self.name_root(symbol.def)).name.clone();
        Ok((symbol.range, name))
    }

    /// The edits that rename the symbol at `offset` to `new_name`
    /// (`%`-escaped where it is a keyword), or why they would be wrong.
    pub fn rename(
        &self,
        file: FileId,
        offset: TextSize,
        new_name: &str,
    ) -> Result<Vec<FileEdit>, String> {
        let symbol = self.renameable_at(file, offset)?;
        let bare = new_name.strip_prefix('%').unwrap_or(new_name);
        validate_id(bare).map_err(|e| format!("`{new_name}` is not a WIT identifier: {e}"))?;
        let root = self.name_root(symbol.def);
        for renamed in self.same_name_defs(root) {
            if let Some(clash) = self.sibling_named(renamed, bare) {
                let d = self.index.def(clash);
                let scope = d
                    .parent
                    .map(|p| format!(" in `{}`", self.index.def(p).name))
                    .unwrap_or_default();
                return Err(format!(
                    "`{bare}` is already defined{scope}; choose another name"
                ));
            }
        }
        let occurrences = self.occurrences(root);
        if let Some(outside) = occurrences.iter().find(|o| !self.is_main_file(o.file)) {
            return Err(format!(
                "`{}` is used by a dependency ({}), which is read-only; renaming it would break that dependency",
                self.index.def(root).name,
                self.file(outside.file).path.display()
            ));
        }
        let new_text = if SyntaxKind::from_keyword(bare).is_some() {
            format!("%{bare}")
        } else {
            bare.to_string()
        };
        Ok(occurrences
            .into_iter()
            .map(|o| FileEdit {
                file: o.file,
                range: o.range,
                new_text: new_text.clone(),
            })
            .collect())
    }

    fn renameable_at(&self, file: FileId, offset: TextSize) -> Result<SymbolAt, String> {
        let symbol = self
            .symbol_at(file, offset)
            .ok_or("there is no name to rename here")?;
        let root = self.name_root(symbol.def);
        let d = self.index.def(root);
        match d.kind {
            DefKind::Package => {
                return Err("packages are renamed in their `package` line and every path that names them; wasmlens does not rename packages".into());
            }
            DefKind::Constructor => return Err("a constructor has no name to rename".into()),
            _ => {}
        }
        if !self.is_main_file(d.file) {
            let path = self.file(d.file).path.display().to_string();
            return Err(format!(
                "`{}` is defined in a dependency ({path}); dependencies in deps/ are read-only",
                d.name
            ));
        }
        Ok(symbol)
    }

    /// Another definition of the same scope already called `name`.
    fn sibling_named(&self, def: DefId, name: &str) -> Option<DefId> {
        let d = self.index.def(def);
        self.index.def_ids().find(|&other| {
            let o = self.index.def(other);
            other != def
                && o.name == name
                && o.parent == d.parent
                && (o.parent.is_some() || o.file == d.file)
                && o.kind != DefKind::Package
        })
    }
}
