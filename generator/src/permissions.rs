//! The permissions table: which permission grants which request, one fact a row, matched
//! against each planned request to document the permissions that grant it.
//!
//! # File format
//!
//! A text file, one fact a line, four fields separated by one tab each (shown as spaces
//! here):
//!
//! ```text
//! # comments and blank lines are ignored
//! GET     /users/{id}                  DelegatedWork  User.Read
//! POST    /groups/{id}/members/$ref    Application    GroupMember.ReadWrite.All
//! ```
//!
//! `method` (`GET`, `POST`, `PUT`, `PATCH`, `DELETE`), `path` (from the service root, `/`
//! first, any `{...}` placeholder for a key or a parameter), `scheme` (how the permission is
//! given, a word such as `DelegatedWork` or `Application`; documented in the order the table
//! first names them) and `permission` (its name). Paths are matched without regard to case
//! and placeholder names (see [`normalize`]); a `$ref`, `$count` or `$value` request
//! without a fact of its own takes those of its path without that segment, and a request
//! through a type cast those of its path without the cast ([`Table::lookup`]).
//!
//! # Narrowest first
//!
//! The table does not rank permissions, so the docs order the permissions that grant a
//! request by a rule computed from the table itself ([`Table::rank`]):
//! 1. read-only permissions before the others: a name that says `Read` and not `Write`
//!    (`User.Read`, `User.ReadBasic.All`, `Mail.Read.Shared`; by the naming convention of
//!    Microsoft Graph and others; the table cannot tell, since reading actions are `POST`s);
//! 2. permissions whose name does not end in `.All` before those that do (by the naming
//!    convention of Microsoft Graph and others, `.All` is tenant-wide, the rest is limited to
//!    the signed-in user or the application's own objects);
//! 3. permissions granting fewer facts in the whole table before those granting more;
//! 4. by name.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::error::{Error, ErrorKind, Pos, Result};

/// The facts of a permissions table, indexed for matching.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Schemes in the order the table first names them.
    schemes: Vec<String>,
    /// `(METHOD, normalized path)` -> `(scheme index, permission)`, deduplicated.
    grants: HashMap<(String, String), Vec<(usize, String)>>,
    /// Permission -> number of facts.
    breadth: HashMap<String, usize>,
}

/// The permissions that grant one request, per scheme, narrowest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    /// The table path whose rows these are, in the form paths are compared in
    /// ([`normalize`]): the request's own, or the one a `$ref`, `$count`, `$value` or a cast
    /// fell back to.
    pub path: String,
    /// `(scheme, permissions)` in the table's scheme order; schemes without one are left out.
    pub schemes: Vec<(String, Vec<String>)>,
}

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

impl Table {
    /// Reads a table file; a malformed row is an error at its file and line.
    pub fn read(path: &Path) -> Result<Table> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))?;
        Self::parse(&text).map_err(|e| e.in_file(path))
    }

    /// Parses table text.
    pub fn parse(text: &str) -> Result<Table> {
        let mut table = Table::default();
        let mut seen: BTreeMap<(String, String, usize, String), ()> = BTreeMap::new();
        for (index, line) in text.lines().enumerate() {
            let at = |col: usize| Pos {
                line: u32::try_from(index + 1).unwrap_or(u32::MAX),
                col: u32::try_from(col + 1).unwrap_or(u32::MAX),
            };
            let row = line.trim_end_matches('\r');
            if row.trim().is_empty() || row.trim_start().starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = row.split('\t').collect();
            let [method, path, scheme, permission] = fields[..] else {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!(
                        "permissions table: a row has 4 tab-separated fields (method, path, scheme, permission), this one has {}",
                        fields.len()
                    ),
                )
                .at(at(0)));
            };
            let col = |field: &str| at(field.as_ptr() as usize - row.as_ptr() as usize);
            if !METHODS.contains(&method) {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!(
                        "permissions table: unknown method `{method}`; methods are {}{}",
                        METHODS.join(", "),
                        crate::error::did_you_mean(method, METHODS.into_iter())
                    ),
                )
                .at(col(method))
                .named(method));
            }
            if !path.starts_with('/') || path.contains(char::is_whitespace) {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("permissions table: the path `{path}` must start with `/` and have no spaces"),
                )
                .at(col(path))
                .named(path));
            }
            for (what, field) in [("scheme", scheme), ("permission", permission)] {
                if field.is_empty() || field.contains(char::is_whitespace) {
                    return Err(Error::new(
                        ErrorKind::Config,
                        format!("permissions table: the {what} `{field}` must be one word"),
                    )
                    .at(col(field)));
                }
            }
            let s = match table.schemes.iter().position(|s| s == scheme) {
                Some(s) => s,
                None => {
                    table.schemes.push(scheme.to_string());
                    table.schemes.len() - 1
                }
            };
            let key = (method.to_string(), normalize(path));
            if seen
                .insert(
                    (key.0.clone(), key.1.clone(), s, permission.to_string()),
                    (),
                )
                .is_some()
            {
                continue;
            }
            *table.breadth.entry(permission.to_string()).or_default() += 1;
            table
                .grants
                .entry(key)
                .or_default()
                .push((s, permission.to_string()));
        }
        Ok(table)
    }

    /// The permissions that grant `method` on the URL `template` (`{id}` placeholders,
    /// parenthesized keys and function arguments as the client writes them), narrowest
    /// first per scheme; `None` when the table has no fact for it.
    ///
    /// A `$ref`, `$count` or `$value` request without a fact of its own takes the facts of
    /// the same method on the path without that last segment: linking to a navigation,
    /// counting a collection and reading raw content are granted by what grants the
    /// navigation, the collection and the entity (tables write them either way).
    ///
    /// A request through a type cast (`/messages/{id}/microsoft.graph.eventMessage`) without
    /// a fact of its own takes those of the path without the cast: a cast narrows the type,
    /// not the resource. A cast is a qualified segment (with a `.`) that is not the request's
    /// own operation: not the last segment of a `POST` (an action) nor one with arguments (a
    /// function).
    pub fn lookup(&self, method: &str, template: &str) -> Option<Granted> {
        let exact = normalize(template);
        let uncast = normalize(&without_casts(template, method == "POST"));
        let (path, found) = [exact, uncast].into_iter().find_map(|path| {
            let own = self
                .grants
                .get_key_value(&(method.to_string(), path.clone()));
            own.or_else(|| {
                let base = ["/$ref", "/$count", "/$value"]
                    .iter()
                    .find_map(|s| path.strip_suffix(s))?;
                self.grants
                    .get_key_value(&(method.to_string(), base.to_string()))
            })
            .map(|((_, path), found)| (path.clone(), found))
        })?;
        let schemes = self
            .schemes
            .iter()
            .enumerate()
            .filter_map(|(s, name)| {
                let mut names: Vec<&String> = found
                    .iter()
                    .filter(|(fs, _)| *fs == s)
                    .map(|(_, p)| p)
                    .collect();
                if names.is_empty() {
                    return None;
                }
                names.sort_by_key(|p| self.rank(p));
                Some((name.clone(), names.into_iter().cloned().collect()))
            })
            .collect();
        Some(Granted { path, schemes })
    }

    /// The sort key of a permission, narrowest first (the rule in the [module docs](self)).
    pub fn rank<'p>(&self, permission: &'p str) -> (bool, bool, usize, &'p str) {
        let lower = permission.to_ascii_lowercase();
        let read_only = lower.contains("read") && !lower.contains("write");
        let facts = self.breadth.get(permission).copied().unwrap_or_default();
        (!read_only, permission.ends_with(".All"), facts, permission)
    }

    /// The number of distinct facts.
    pub fn len(&self) -> usize {
        self.breadth.values().sum()
    }

    /// Whether the table has no fact.
    pub fn is_empty(&self) -> bool {
        self.grants.is_empty()
    }
}

/// The form in which a table path and a client URL template are compared: lowercase; no
/// trailing `/` and no query (`?$id=...`); every `{...}` placeholder is `{id}`; a key in parentheses (`set(42)`,
/// `set({id})`) is a key segment (`set/{id}`); the arguments of a function call
/// (`delta()`, `range(address='{id}')`, `delta(...)`) are dropped, since tables write a
/// function with or without them.
pub fn normalize(path: &str) -> String {
    let lower = path.split('?').next().unwrap_or_default().to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for segment in lower.trim_end_matches('/').split('/').skip(1) {
        out.push('/');
        let (name, args) = match segment.find('(') {
            Some(open) if segment.ends_with(')') => (
                &segment[..open],
                Some(&segment[open + 1..segment.len() - 1]),
            ),
            _ => (segment, None),
        };
        out.push_str(&placeholders(name));
        if let Some(args) = args {
            let is_key = !args.is_empty() && !args.contains('=') && args != "...";
            if is_key {
                if !name.is_empty() {
                    out.push('/');
                }
                out.push_str("{id}");
            }
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// `template` without its cast segments (see [`Table::lookup`]); `action` when the last
/// segment may be an action.
fn without_casts(template: &str, action: bool) -> String {
    let path = template.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    segments
        .iter()
        .enumerate()
        // Kept: unqualified segments, `$` and `{` segments, functions (arguments), and
        // the last segment of a `POST` (an action).
        .filter(|(i, s)| {
            !s.contains('.')
                || s.contains('(')
                || s.starts_with('$')
                || s.starts_with('{')
                || (*i == last && action)
        })
        .map(|(_, s)| *s)
        .collect::<Vec<_>>()
        .join("/")
}

/// `text` with every `{...}` placeholder written `{id}`.
fn placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                out.push_str("{id}");
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{normalize, Table};

    #[test]
    fn paths_and_templates_meet_in_one_form() {
        for (a, b) in [
            ("/users/{id}", "/Users/{user-id}/"),
            (
                "/groups/{id}/members/$ref",
                "/groups/{group-id}/members/$ref",
            ),
            ("/users/delta(...)", "/users/delta"),
            ("/users/delta()", "/users/delta"),
            (
                "/me/calendarView(startDateTime={startDateTime})",
                "/me/calendarview",
            ),
            ("/accounts(42)/orders", "/accounts/{id}/orders"),
            ("/accounts({id})", "/accounts/{id}"),
            (
                "/accounts({id})/partners/$ref?$id={url}",
                "/accounts/{id}/partners/$ref",
            ),
            (
                "/directory/deletedItems/microsoft.graph.user",
                "/directory/deleteditems/microsoft.graph.user",
            ),
        ] {
            assert_eq!(normalize(a), normalize(b), "{a} vs {b}");
        }
        assert_ne!(normalize("/users/{id}"), normalize("/users"));
        assert_ne!(
            normalize("/users/{id}/photo"),
            normalize("/users/{id}/photos")
        );
        assert_eq!(normalize("/"), "/");
    }

    const TABLE: &str = "# facts\n\
        GET\t/things\tDelegated\tThing.Read\n\
        POST\t/things/check\tDelegated\tThing.Read\n\
        GET\t/things\tDelegated\tThing.ReadWrite\n\
        POST\t/things\tDelegated\tThing.ReadWrite\n\
        GET\t/things\tDelegated\tThing.Read.All\n\
        GET\t/things\tApplication\tThing.Read.All\n\
        GET\t/things\tApplication\tEverything.Read.All\n\
        GET\t/others\tApplication\tEverything.Read.All\n\
        GET\t/more\tApplication\tEverything.Read.All\n\
        GET\t/most\tApplication\tEverything.Read.All\n\
        GET\t/things/{thing-id}\tApplication\tThing.Read.All\n\
        GET\t/things/{thing-id}\tApplication\tThing.Read.All\n";

    #[test]
    fn read_only_then_own_scope_then_fewer_facts_then_name() {
        let table = Table::parse(TABLE).unwrap();
        let granted = table.lookup("GET", "/Things").unwrap();
        assert_eq!(
            granted.schemes,
            [
                (
                    "Delegated".to_string(),
                    vec![
                        "Thing.Read".to_string(),
                        "Thing.Read.All".to_string(),
                        "Thing.ReadWrite".to_string()
                    ]
                ),
                (
                    "Application".to_string(),
                    vec![
                        "Thing.Read.All".to_string(),
                        "Everything.Read.All".to_string()
                    ]
                ),
            ]
        );
        // A duplicate row is one fact.
        assert_eq!(table.len(), 11);
        assert_eq!(
            table.lookup("GET", "/things/{id}").unwrap().schemes,
            [(
                "Application".to_string(),
                vec!["Thing.Read.All".to_string()]
            )]
        );
        assert!(table.lookup("DELETE", "/things").is_none());
        // The rows taken are named by their path, also after a fallback.
        assert_eq!(
            table.lookup("GET", "/Things/{x}").unwrap().path,
            "/things/{id}"
        );
        assert_eq!(
            table.lookup("GET", "/things/$count").unwrap().path,
            "/things"
        );
        // `$count`, `$ref` and `$value` fall back to the path without them.
        assert_eq!(
            table.lookup("GET", "/things/$count"),
            table.lookup("GET", "/things")
        );
        assert_eq!(
            table.lookup("POST", "/things/$ref").unwrap().schemes,
            [("Delegated".to_string(), vec!["Thing.ReadWrite".to_string()])]
        );
        assert!(table.lookup("GET", "/things/$ref/x").is_none());
        // A cast takes the facts of the path without it; an action (the last qualified
        // segment of a POST) and a function (arguments) are not casts.
        assert_eq!(
            table.lookup("GET", "/things/{id}/Things.special"),
            table.lookup("GET", "/things/{id}")
        );
        assert_eq!(
            table.lookup("GET", "/things/Things.special/$count"),
            table.lookup("GET", "/things")
        );
        assert!(table.lookup("POST", "/things/Things.check").is_none());
        assert!(table
            .lookup("GET", "/things/{id}/Things.f(x={x})")
            .is_none());
    }

    #[test]
    fn ties_in_breadth_fall_back_to_the_name() {
        let table = Table::parse("GET\t/a\tS\tB.Read\nGET\t/a\tS\tA.Read\n").unwrap();
        assert_eq!(
            table.lookup("GET", "/a").unwrap().schemes[0].1,
            ["A.Read", "B.Read"]
        );
    }

    #[test]
    fn malformed_rows_name_their_line_and_column() {
        for (text, line, col, says) in [
            ("GET\t/a\tS\n", 1, 1, "4 tab-separated fields"),
            ("# c\n\nGTE\t/a\tS\tP\n", 3, 1, "did you mean `GET`"),
            ("GET\t/a\tS\tP\nGET\ta\tS\tP\n", 2, 5, "must start with `/`"),
            ("GET\t/a\t\tP\n", 1, 8, "scheme"),
            ("GET /a S P\n", 1, 1, "has 1"),
        ] {
            let err = Table::parse(text).unwrap_err();
            let pos = err.pos.unwrap();
            assert_eq!((pos.line, pos.col), (line, col), "{text:?}: {err}");
            assert!(err.to_string().contains(says), "{text:?}: {err}");
        }
    }
}
