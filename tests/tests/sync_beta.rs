//! Behaviour of `graph-synchronization-beta-models` where beta differs from v1.0: the
//! camelCase `synchronizationMetadata` members and the deprecated secrets surface.
// The beta metadata deprecates `synchronization/secrets` and its types; they must stay usable.
#![allow(deprecated)]

mod common;

use common::{assert_round_trip, json, read, write};
use graph_odata_runtime::enums::EvolvableEnum;
use graph_synchronization_beta_models as beta;
use graph_synchronization_models as v1;
use serde_json::Value;

#[test]
fn synchronization_metadata_wire_strings_differ_between_versions() {
    use beta::SynchronizationMetadata as B;
    use v1::SynchronizationMetadata as V;
    let pairs = [
        (
            B::GalleryApplicationIdentifier,
            V::GalleryApplicationIdentifier,
            "galleryApplicationIdentifier",
            "GalleryApplicationIdentifier",
        ),
        (
            B::GalleryApplicationKey,
            V::GalleryApplicationKey,
            "galleryApplicationKey",
            "GalleryApplicationKey",
        ),
        (
            B::IsOAuthEnabled,
            V::IsOAuthEnabled,
            "isOAuthEnabled",
            "IsOAuthEnabled",
        ),
        // The one member beta kept in PascalCase.
        (
            B::IsSynchronizationAgentAssignmentRequired,
            V::IsSynchronizationAgentAssignmentRequired,
            "IsSynchronizationAgentAssignmentRequired",
            "IsSynchronizationAgentAssignmentRequired",
        ),
        (
            B::OAuthSettings,
            V::OAuthSettings,
            "oAuthSettings",
            "OAuthSettings",
        ),
        (
            B::ConfigurationFields,
            V::ConfigurationFields,
            "configurationFields",
            "ConfigurationFields",
        ),
    ];
    for (b, v, beta_wire, v1_wire) in pairs {
        assert_eq!(b.as_wire(), beta_wire);
        assert_eq!(v.as_wire(), v1_wire);
        // Same CSDL value in both versions.
        assert_eq!(b.value(), v.value(), "{beta_wire}");
        assert_eq!(
            serde_json::to_value(&b).expect("serialize"),
            Value::from(beta_wire)
        );
        assert_eq!(
            serde_json::to_value(&v).expect("serialize"),
            Value::from(v1_wire)
        );
    }
    assert_eq!(B::MEMBERS.len(), 9);
    assert_eq!(B::MEMBERS[8], ("configurationFields", 8));
    assert_eq!(V::MEMBERS[8], ("ConfigurationFields", 8));
}

const TEMPLATE_METADATA: &str = r#"{
  "id": "scim",
  "applicationId": "8adf8e6e-67b2-4cf2-a259-e3dc5476c621",
  "default": false,
  "discoverable": true,
  "metadata": [
    { "key": "galleryApplicationIdentifier", "value": "scim" },
    { "key": "isOAuthEnabled", "value": "true" },
    { "key": "IsSynchronizationAgentAssignmentRequired", "value": "false" }
  ]
}"#;

#[test]
fn camel_case_metadata_key_is_known_in_beta_and_unknown_in_v1() {
    let in_beta: beta::SynchronizationTemplate = assert_round_trip(TEMPLATE_METADATA);
    let beta_keys: Vec<_> = in_beta
        .metadata
        .as_deref()
        .expect("metadata")
        .iter()
        .map(|m| m.key.clone().expect("key"))
        .collect();
    assert_eq!(
        beta_keys,
        [
            beta::SynchronizationMetadata::GalleryApplicationIdentifier,
            beta::SynchronizationMetadata::IsOAuthEnabled,
            beta::SynchronizationMetadata::IsSynchronizationAgentAssignmentRequired,
        ]
    );

    let in_v1: v1::SynchronizationTemplate = assert_round_trip(TEMPLATE_METADATA);
    let v1_keys: Vec<_> = in_v1
        .metadata
        .as_deref()
        .expect("metadata")
        .iter()
        .map(|m| m.key.clone().expect("key"))
        .collect();
    assert_eq!(
        v1_keys,
        [
            v1::SynchronizationMetadata::UnknownValue("galleryApplicationIdentifier".into()),
            v1::SynchronizationMetadata::UnknownValue("isOAuthEnabled".into()),
            v1::SynchronizationMetadata::IsSynchronizationAgentAssignmentRequired,
        ]
    );

    // And the v1.0 spelling is unknown to beta, and still written back verbatim.
    let entry: beta::SynchronizationMetadataEntry =
        assert_round_trip(r#"{ "key": "GalleryApplicationIdentifier", "value": "scim" }"#);
    assert_eq!(
        entry.key,
        Some(beta::SynchronizationMetadata::UnknownValue(
            "GalleryApplicationIdentifier".into()
        ))
    );
}

#[test]
fn deprecated_secrets_are_still_usable() {
    let text = r#"{
      "id": "5b0f4a2e-9c1d-4e7a-8b36-2f1d0c9e7a41",
      "secrets": [
        { "key": "BaseAddress", "value": "https://scim.contoso.com/v2" },
        { "key": "SecretToken", "value": "*" }
      ]
    }"#;
    let sync: beta::Synchronization = assert_round_trip(text);
    let secrets = sync.secrets.as_deref().expect("secrets");
    assert_eq!(
        secrets[0].key,
        Some(beta::SynchronizationSecret::BaseAddress)
    );
    assert_eq!(secrets[1].value.as_deref(), Some("*"));

    // Building the deprecated types and clearing the deprecated property.
    let mut sync = beta::Synchronization {
        secrets: Some(vec![beta::SynchronizationSecretKeyStringValuePair {
            key: Some(beta::SynchronizationSecret::ClientSecret),
            value: Some("s3cr3t".into()),
            ..Default::default()
        }]),
        ..Default::default()
    };
    assert_eq!(
        write(&sync),
        json(r#"{ "secrets": [{ "key": "ClientSecret", "value": "s3cr3t" }] }"#)
    );
    sync.set_null(beta::SynchronizationField::Secrets);
    assert_eq!(write(&sync), json(r#"{ "secrets": null }"#));
}

#[test]
fn beta_job_with_unknown_members_round_trips() {
    let text = r#"{
      "@odata.context": "https://graph.microsoft.com/beta/$metadata#servicePrincipals('5b0f4a2e')/synchronization/jobs/$entity",
      "id": "scim.beta",
      "templateId": "scim",
      "schedule": { "expiration": null, "interval": "PT20M", "state": "Disabled" },
      "status": {
        "code": "SomeNewCode",
        "countSuccessiveCompleteFailures": 2,
        "escrowsPruned": true,
        "steadyStateFirstAchievedTime": "2024-01-02T03:04:05.0600007Z",
        "synchronizedEntryCountByType": []
      },
      "betaOnlyThing": [true, false]
    }"#;
    let job: beta::SynchronizationJob = assert_round_trip(text);
    let schedule = job.schedule.as_ref().expect("schedule");
    assert_eq!(
        schedule.state,
        Some(beta::SynchronizationScheduleState::Disabled)
    );
    assert_eq!(schedule.interval.map(|d| d.whole_seconds()), Some(20 * 60));
    let status = job.status.as_ref().expect("status");
    assert_eq!(
        status.code,
        Some(beta::SynchronizationStatusCode::UnknownValue(
            "SomeNewCode".into()
        ))
    );
    assert_eq!(status.count_successive_complete_failures, Some(2));
    assert_eq!(
        status
            .steady_state_first_achieved_time
            .map(|t| t.nanosecond()),
        Some(60_000_700)
    );
    assert_eq!(status.synchronized_entry_count_by_type, Some(Vec::new()));
    assert_eq!(
        job.additional_properties.get("betaOnlyThing"),
        Some(&json("[true, false]"))
    );
    // The same payload reads identically with the v1.0 models.
    let in_v1: v1::SynchronizationJob = read(text);
    assert_eq!(write(&in_v1), write(&job));
}
