//! What an import statement binds, shared by the scope scan and the lowering.

use super::ast::Node;

use super::kinds::{Kind, Tables, fielded, named};
use super::span_of;
use crate::ir::Span;

pub(crate) struct Binding<'a> {
    /// The local name (`*` for a star import).
    pub alias: &'a str,
    /// `Import::qualname`.
    pub qualname: String,
    /// What a reference to `alias` means: `a` for `import a.b`, else the qualname.
    pub resolved: String,
    pub top_level: String,
    pub level: u32,
    pub star: bool,
    pub span: Span,
}

/// Dotted text of a `dotted_name` rebuilt from its identifiers (immune to spacing and
/// comments inside the name), and its first identifier as a source slice.
fn dotted<'a>(t: &Tables, src: &'a str, node: Node) -> (String, &'a str) {
    if t.kind(node) == Kind::Identifier {
        let text = src.get(node.byte_range()).unwrap_or("");
        return (text.to_string(), text);
    }
    let mut out = String::new();
    let mut first = "";
    for id in named(node) {
        let text = src.get(id.byte_range()).unwrap_or("");
        if out.is_empty() {
            first = text;
        } else {
            out.push('.');
        }
        out.push_str(text);
    }
    (out, first)
}

fn top_of(dotted: &str) -> String {
    dotted.split('.').next().unwrap_or("").to_string()
}

pub(crate) fn bindings<'a>(t: &Tables, src: &'a str, node: Node) -> Vec<Binding<'a>> {
    let f = &t.f;
    let kind = t.kind(node);
    let mut out = Vec::new();
    // (prefix to join names onto, level, top-level package)
    let mut module: Option<(String, u32, String)> = None;
    if kind == Kind::FutureImportStatement {
        module = Some(("__future__".into(), 0, "__future__".into()));
    }
    for (field, child) in fielded(node) {
        if kind == Kind::ImportFromStatement && field == f.module_name {
            module = Some(match t.kind(child) {
                Kind::RelativeImport => {
                    let mut prefix = String::new();
                    let mut level = 0u32;
                    let mut top = String::new();
                    for part in named(child) {
                        match t.kind(part) {
                            Kind::ImportPrefix => {
                                let dots = src.get(part.byte_range()).unwrap_or("");
                                let n = dots.bytes().filter(|&b| b == b'.').count();
                                level = level.saturating_add(u32::try_from(n).unwrap_or(0));
                                prefix.push_str(&".".repeat(n));
                            }
                            Kind::DottedName => {
                                let (name, _) = dotted(t, src, part);
                                top = top_of(&name);
                                prefix.push_str(&name);
                            }
                            _ => {}
                        }
                    }
                    (prefix, level, top)
                }
                _ => {
                    let (name, _) = dotted(t, src, child);
                    let top = top_of(&name);
                    (name, 0, top)
                }
            });
            continue;
        }
        let child_kind = t.kind(child);
        if child_kind == Kind::WildcardImport {
            if let Some((prefix, level, top)) = &module {
                out.push(Binding {
                    alias: "*",
                    qualname: prefix.clone(),
                    resolved: prefix.clone(),
                    top_level: top.clone(),
                    level: *level,
                    star: true,
                    span: span_of(node),
                });
            }
            continue;
        }
        if field != f.name {
            continue;
        }
        let (name, first, alias) = match child_kind {
            Kind::AliasedImport => {
                let Some(name_node) = child.child_by_field_id(f.name) else {
                    continue;
                };
                let (name, first) = dotted(t, src, name_node);
                let alias = child
                    .child_by_field_id(f.alias)
                    .and_then(|a| src.get(a.byte_range()));
                (name, first, alias)
            }
            Kind::DottedName | Kind::Identifier => {
                let (name, first) = dotted(t, src, child);
                (name, first, None)
            }
            _ => continue,
        };
        if name.is_empty() {
            continue;
        }
        let binding = match &module {
            None => Binding {
                alias: alias.unwrap_or(first),
                resolved: if alias.is_some() {
                    name.clone()
                } else {
                    first.to_string()
                },
                top_level: top_of(&name),
                qualname: name,
                level: 0,
                star: false,
                span: span_of(child),
            },
            Some((prefix, level, top)) => {
                let qualname = if prefix.is_empty() || prefix.ends_with('.') {
                    format!("{prefix}{name}")
                } else {
                    format!("{prefix}.{name}")
                };
                Binding {
                    alias: alias.unwrap_or(first),
                    resolved: qualname.clone(),
                    qualname,
                    top_level: top.clone(),
                    level: *level,
                    star: false,
                    span: span_of(child),
                }
            }
        };
        out.push(binding);
    }
    out
}
