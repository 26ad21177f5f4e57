//! A synthetic navigation-heavy CSDL document: `types` entity types, each with `fan_out`
//! navigation properties to other types (single and collection), a containment chain
//! `depth` levels deep from the first type, a base type with derived types that add
//! navigations (casts), and a bound action and function per type. The number of URL paths
//! through it grows exponentially with the depth of the walk; a client whose size follows
//! types + navigations + operations stays small.
//!
//! `csdl-bench stress` times the generation of its client; `bench/tests/stress.rs` generates a
//! small one and compiles it.

use std::fmt::Write as _;

/// The document's text.
pub fn navigation_fan_out(types: usize, fan_out: usize, depth: usize) -> String {
    let types = types.max(2);
    let mut x = String::with_capacity(types * fan_out * 120);
    x.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
        "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n",
        "  <edmx:DataServices>\n",
        "    <Schema Namespace=\"Stress.Fanout\" Alias=\"s\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n",
        "      <EntityType Name=\"node\" Abstract=\"true\">\n",
        "        <Key><PropertyRef Name=\"id\"/></Key>\n",
        "        <Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\"/>\n",
        "        <Property Name=\"name\" Type=\"Edm.String\"/>\n",
        "      </EntityType>\n",
    ));
    for t in 0..types {
        let _ = writeln!(x, "      <EntityType Name=\"t{t}\" BaseType=\"s.node\">");
        let _ = writeln!(
            x,
            "        <Property Name=\"value{t}\" Type=\"Edm.Int64\"/>"
        );
        for n in 0..fan_out {
            // A spread of targets; every fourth navigation is single-valued.
            let target = (t * 7 + n * 13 + 1) % types;
            let collection = n % 4 != 0;
            let ty = if collection {
                format!("Collection(s.t{target})")
            } else {
                format!("s.t{target}")
            };
            let _ = writeln!(
                x,
                "        <NavigationProperty Name=\"n{n}\" Type=\"{ty}\" ContainsTarget=\"{}\"/>",
                n % 2 == 0
            );
        }
        // The containment chain: t0 -> c1 -> c2 -> ... (each level its own type).
        if t < depth {
            let _ = writeln!(
                x,
                "        <NavigationProperty Name=\"down\" Type=\"Collection(s.t{})\" ContainsTarget=\"true\"/>",
                t + 1
            );
        }
        x.push_str("      </EntityType>\n");
        // Derived types of every tenth type add a navigation: reachable by casts.
        if t % 10 == 0 {
            let _ = writeln!(
                x,
                "      <EntityType Name=\"t{t}special\" BaseType=\"s.t{t}\">\n        <NavigationProperty Name=\"extra\" Type=\"Collection(s.t{})\"/>\n      </EntityType>",
                (t + 3) % types
            );
        }
        let _ = writeln!(
            x,
            "      <Action Name=\"touch\" IsBound=\"true\"><Parameter Name=\"it\" Type=\"s.t{t}\"/><Parameter Name=\"reason\" Type=\"Edm.String\"/><Parameter Name=\"force\" Type=\"Edm.Boolean\"/></Action>"
        );
        let _ = writeln!(
            x,
            "      <Function Name=\"score\" IsBound=\"true\"><Parameter Name=\"it\" Type=\"s.t{t}\"/><Parameter Name=\"weight\" Type=\"Edm.Int32\" Nullable=\"false\"/><ReturnType Type=\"Edm.Double\"/></Function>"
        );
    }
    x.push_str("      <EntityContainer Name=\"Stress\">\n");
    for t in (0..types).step_by(25) {
        let _ = writeln!(
            x,
            "        <EntitySet Name=\"set{t}\" EntityType=\"s.t{t}\"/>"
        );
    }
    x.push_str("        <Singleton Name=\"root\" Type=\"s.t0\"/>\n");
    x.push_str("      </EntityContainer>\n    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n");
    x
}
