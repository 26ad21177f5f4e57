//! The standard OASIS vocabularies, carried by the generator so that a document referencing
//! them resolves without a network. The files in `generator/vocabularies/` are the project's
//! own transcription of the vocabularies' names, types and members (no descriptions).

/// The built-in vocabulary documents: `(namespace, EDMX text)`.
const BUILTIN: &[(&str, &str)] = &[
    (
        "Org.OData.Core.V1",
        include_str!("../../vocabularies/Org.OData.Core.V1.xml"),
    ),
    (
        "Org.OData.Capabilities.V1",
        include_str!("../../vocabularies/Org.OData.Capabilities.V1.xml"),
    ),
    (
        "Org.OData.Authorization.V1",
        include_str!("../../vocabularies/Org.OData.Authorization.V1.xml"),
    ),
    (
        "Org.OData.Validation.V1",
        include_str!("../../vocabularies/Org.OData.Validation.V1.xml"),
    ),
    (
        "Org.OData.Measures.V1",
        include_str!("../../vocabularies/Org.OData.Measures.V1.xml"),
    ),
    (
        "Org.OData.Aggregation.V1",
        include_str!("../../vocabularies/Org.OData.Aggregation.V1.xml"),
    ),
    (
        "Org.OData.JSON.V1",
        include_str!("../../vocabularies/Org.OData.JSON.V1.xml"),
    ),
    (
        "Org.OData.Temporal.V1",
        include_str!("../../vocabularies/Org.OData.Temporal.V1.xml"),
    ),
    (
        "Org.OData.Repeatability.V1",
        include_str!("../../vocabularies/Org.OData.Repeatability.V1.xml"),
    ),
];

/// The built-in document declaring `namespace`, if the generator carries it.
pub fn builtin(namespace: &str) -> Option<&'static str> {
    BUILTIN
        .iter()
        .find(|(ns, _)| *ns == namespace)
        .map(|(_, text)| *text)
}

/// The namespaces of the built-in vocabularies (for the tests, which load each one).
#[cfg(feature = "internals")]
pub fn namespaces() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(ns, _)| *ns)
}
