//! Why an area reaches what it reaches: a report for whoever tunes the rules of
//! [`super`] (the example `area_reach` prints it for a metadata file).

use std::collections::HashMap;
use std::fmt::Write;

use super::super::client::ClientPlan;
use super::super::Plan;
use super::reach::{self, BuilderStep, State, TypeStep};
use crate::model::TypeId;

/// How many of the largest branches the report lists.
const BRANCHES: usize = 30;

/// A text report of area `feature` of `plan`'s crates: its builders by the step that
/// brought them in (those no entry reaches through containment by name), the largest
/// branches of its types (how many types each step brought, with its chain), and the
/// chain of every type named in `focus` (qualified or plain CSDL names). `Err` names the
/// areas when `feature` is none of them.
pub fn explain(
    plan: &Plan,
    cp: &ClientPlan,
    feature: &str,
    focus: &[&str],
) -> Result<String, String> {
    let areas = super::areas(cp);
    let area_of_set = super::area_of_set(&areas);
    let Some(area) = areas.iter().position(|a| a.feature == feature) else {
        let names: Vec<&str> = areas.iter().map(|a| a.feature.as_str()).collect();
        return Err(format!(
            "no area `{feature}`; the areas: {}",
            names.join(", ")
        ));
    };
    let imports = areas.iter().position(|a| a.set.is_none());
    let builders = reach::builders(plan, cp, &area_of_set);
    let client_method_area = super::client_method_areas(cp, &area_of_set, imports);
    let seeds = reach::seeds(cp, areas.len(), &builders, &client_method_area);
    let types = reach::types(plan, &seeds.types[area], &reach::claimed(&seeds));
    let model = plan.model;
    let name = |id: TypeId| model.ty(id).qualified_name();
    let builder = |b: usize| {
        format!(
            "{} ({})",
            cp.builder_names[b].ident, cp.surface.builders[b].canonical
        )
    };
    let describe = |step: &TypeStep| match step {
        TypeStep::Builder(b) => format!("entity of builder {}", builder(*b)),
        TypeStep::Request {
            builder: Some(b),
            method,
        } => {
            format!(
                "request of {}::{}",
                builder(*b),
                cp.methods[*b][*method].ident
            )
        }
        TypeStep::Request {
            builder: None,
            method,
        } => {
            format!(
                "request of client method {}",
                cp.client_methods[*method].ident
            )
        }
        TypeStep::Property(p) => format!("property `{p}`"),
        TypeStep::Base => "base type".into(),
        TypeStep::Derived => "derived type".into(),
    };
    let state =
        |(id, value): State| format!("{}{}", name(id), if value { "" } else { " (as base)" });

    let mut out = String::new();
    let ids = types.ids();
    let in_area: Vec<usize> = (0..builders.areas.len())
        .filter(|b| builders.areas[*b].contains(&area))
        .collect();
    let _ = writeln!(
        out,
        "area `{feature}`: {} builders, {} types",
        in_area.len(),
        ids.len()
    );
    let mut by_step: HashMap<&'static str, Vec<usize>> = HashMap::new();
    for &b in &in_area {
        let kind = match builders.steps.get(&(b, area)) {
            Some(BuilderStep::Entry) => "entry",
            Some(BuilderStep::Contained { .. }) => "contained",
            Some(BuilderStep::Link { .. }) => "link",
            Some(BuilderStep::Base { .. }) | None => "base",
        };
        by_step.entry(kind).or_default().push(b);
    }
    for kind in ["entry", "contained", "link", "base"] {
        let list = by_step.get(kind).map_or(&[][..], Vec::as_slice);
        let _ = writeln!(out, "builders ({kind}): {}", list.len());
        if kind != "contained" {
            for &b in list {
                let _ = writeln!(out, "  {}", builder(b));
            }
        }
    }

    // How many types each state brought: the size of its subtree of first steps.
    let mut brought: HashMap<State, usize> = HashMap::new();
    for &id in &ids {
        for (s, _) in chain(&types, id) {
            *brought.entry(s).or_default() += 1;
        }
    }
    let mut branches: Vec<(&State, &usize)> = brought.iter().filter(|(_, n)| **n > 1).collect();
    branches.sort_by(|a, b| b.1.cmp(a.1).then_with(|| state(*a.0).cmp(&state(*b.0))));
    let _ = writeln!(
        out,
        "largest branches (types brought, chain from its seed):"
    );
    for (s, n) in branches.into_iter().take(BRANCHES) {
        let chain: Vec<String> = chain_to(&types, Some(*s))
            .iter()
            .map(|(at, step)| format!("{} [{}]", state(*at), describe(step)))
            .collect();
        let _ = writeln!(out, "  {n:5} {}", chain.join(" -> "));
    }
    for wanted in focus {
        let found = ids
            .iter()
            .find(|id| name(**id) == *wanted || model.ty(**id).name == *wanted);
        match found {
            None => {
                let _ = writeln!(out, "type `{wanted}`: not reached");
            }
            Some(&id) => {
                let _ = writeln!(out, "type `{wanted}`:");
                for (at, step) in chain(&types, id) {
                    let _ = writeln!(out, "  {} [{}]", state(at), describe(step));
                }
                if let Some((
                    _,
                    TypeStep::Builder(b)
                    | TypeStep::Request {
                        builder: Some(b), ..
                    },
                )) = chain(&types, id).first()
                {
                    let _ = writeln!(
                        out,
                        "  builder path: {}",
                        builder_path(cp, &builders, *b, area)
                    );
                }
            }
        }
    }
    Ok(out)
}

/// How area `area` reached builder `b`: the segments from its entry.
fn builder_path(cp: &ClientPlan, builders: &reach::Builders, mut b: usize, area: usize) -> String {
    let mut segments = Vec::new();
    loop {
        match builders.steps.get(&(b, area)) {
            Some(BuilderStep::Contained { from, segment }) => {
                segments.push(segment.clone());
                b = *from;
            }
            Some(BuilderStep::Link { from, segment }) => {
                segments.push(format!("{segment} (link)"));
                b = *from;
            }
            Some(BuilderStep::Entry) => {
                segments.push(cp.surface.builders[b].canonical.clone());
                break;
            }
            Some(BuilderStep::Base { of }) => {
                segments.push(format!("(as base {})", cp.surface.builders[*of].canonical));
                b = *of;
            }
            None => break,
        }
    }
    segments.reverse();
    segments.join("/")
}

/// The state that reached `id` first (its value state when it has one).
fn first_state(types: &reach::Types, id: TypeId) -> Option<State> {
    [(id, true), (id, false)]
        .into_iter()
        .find(|s| types.steps.contains_key(s))
}

/// The chain of steps from a seed to `id`, seed first.
fn chain(types: &reach::Types, id: TypeId) -> Vec<(State, &TypeStep)> {
    chain_to(types, first_state(types, id))
}

/// The chain of steps from a seed to state `at`, seed first.
fn chain_to(types: &reach::Types, mut at: Option<State>) -> Vec<(State, &TypeStep)> {
    let mut out = Vec::new();
    while let Some(s) = at {
        let (parent, step) = &types.steps[&s];
        out.push((s, step));
        at = *parent;
    }
    out.reverse();
    out
}

/// One line per area of `plan`'s crates: its feature, builders and types, as the feature
/// plan decides them (the README's table).
pub fn summary(plan: &Plan, cp: &ClientPlan) -> String {
    let f = super::FeaturePlan::new(plan, cp);
    let mut out = String::new();
    for a in &f.areas {
        let types: usize = a.groups.iter().map(|g| f.groups[*g].types).sum();
        let _ = writeln!(
            out,
            "{:45} {:5} builders {:5} types",
            a.feature, a.builders, types
        );
    }
    let full_only = f.builder_areas.iter().filter(|a| a.is_empty()).count();
    let _ = writeln!(
        out,
        "{} type groups; {full_only} builders only with `full`",
        f.groups.len()
    );
    out
}
