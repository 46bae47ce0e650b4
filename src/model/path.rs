//! An indicator's place by name, `效益 / 项目效益 / 社会效益`: what a person reads and
//! what a table without ids is matched by. It is not an indicator's identity — two
//! siblings may share a name — which is its [`super::NodeId`].

use serde::{Deserialize, Serialize};

use super::{Evaluation, Indicator};

/// The names from the top level down, `["效益", "项目效益", "社会效益"]`, shown joined
/// with " / ". Built from the tree, never by splitting a joined string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IndicatorPath(Vec<String>);

impl IndicatorPath {
    /// The separator people read between the names.
    pub const SEPARATOR: &'static str = " / ";

    pub fn new(names: Vec<String>) -> Self {
        Self(names)
    }

    /// A path a person wrote as text, `效益 / 项目效益 / 社会效益` (a cell of a sheet, a
    /// library saved before paths were lists): the names between the separators,
    /// trimmed. Never used on a path this program joined.
    /// Where the text has the spaced separator, a bare `/` is part of a name
    /// (`资金到位率/及时性`).
    pub fn parse(text: &str) -> Self {
        let separator = if text.contains(Self::SEPARATOR) {
            Self::SEPARATOR
        } else {
            "/"
        };
        Self(
            text.split(separator)
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    }

    pub fn names(&self) -> &[String] {
        &self.0
    }

    /// The indicator's own name, the last of the path.
    pub fn name(&self) -> &str {
        self.0.last().map_or("", String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn push(&mut self, name: impl Into<String>) {
        self.0.push(name.into());
    }

    pub fn pop(&mut self) -> Option<String> {
        self.0.pop()
    }
}

impl std::fmt::Display for IndicatorPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (index, name) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(Self::SEPARATOR)?;
            }
            f.write_str(name)?;
        }
        Ok(())
    }
}

impl From<Vec<String>> for IndicatorPath {
    fn from(names: Vec<String>) -> Self {
        Self(names)
    }
}

impl Evaluation {
    /// Every leaf with its path, in table order, in one walk.
    pub fn leaf_paths(&self) -> Vec<(IndicatorPath, &Indicator)> {
        fn walk<'a>(
            nodes: &'a [Indicator],
            path: &mut IndicatorPath,
            out: &mut Vec<(IndicatorPath, &'a Indicator)>,
        ) {
            for node in nodes {
                path.push(node.name.clone());
                if node.is_leaf() {
                    out.push((path.clone(), node));
                } else {
                    walk(&node.children, path, out);
                }
                path.pop();
            }
        }
        let mut out = Vec::new();
        walk(&self.indicators, &mut IndicatorPath::default(), &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_reads_as_people_write_it() {
        let path = IndicatorPath::new(vec!["效益".into(), "项目效益".into(), "社会效益".into()]);
        assert_eq!(path.to_string(), "效益 / 项目效益 / 社会效益");
        assert_eq!(path.name(), "社会效益");
    }
}
