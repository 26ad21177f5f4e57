//! Behaviour of `graph-synchronization-models` (Microsoft Graph v1.0) on realistic
//! synchronization payloads: typed values, round trips, unknown members, nulls.

mod common;

use common::{assert_round_trip, assert_writes_back, json, read, write};
use graph_odata_runtime::enums::{EvolvableEnum, FlagsEnum};
use graph_synchronization_models as v1;
use graph_synchronization_models::edm;
use serde_json::Value;

const JOB: &str = r##"{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('5b0f4a2e-9c1d-4e7a-8b36-2f1d0c9e7a41')/synchronization/jobs/$entity",
  "@odata.type": "#microsoft.graph.synchronizationJob",
  "id": "scim.3f9d2c1be0a84f6c9d7e5a4b3c2d1e0f.5b0f4a2e-9c1d-4e7a-8b36-2f1d0c9e7a41",
  "templateId": "scim",
  "schedule": {
    "expiration": "0001-01-01T00:00:00Z",
    "interval": "P10675199DT2H48M5.4775807S",
    "interval@odata.type": "#Duration",
    "state": "Active"
  },
  "status": {
    "code": "Active",
    "countSuccessiveCompleteFailures": 0,
    "escrowsPruned": false,
    "steadyStateFirstAchievedTime": "0001-01-01T00:00:00Z",
    "steadyStateLastAchievedTime": "2024-05-01T10:00:00.1234567Z",
    "troubleshootingUrl": null,
    "lastExecution": {
      "activityIdentifier": "c5a1e7d3-2b4f-4c8e-9a6d-1f3b5d7e9a2c",
      "countEntitled": 120,
      "countEntitledForProvisioning": 118,
      "countEscrowed": 2,
      "countEscrowedRaw": 2,
      "countExported": 15,
      "countExports": 17,
      "countImported": 240,
      "countImportedDeltas": 31,
      "countImportedReferenceDeltas": 4,
      "error": null,
      "state": "Succeeded",
      "timeBegan": "2024-05-01T09:40:00.5678912Z",
      "timeEnded": "2024-05-01T09:41:12.0001234Z"
    },
    "lastSuccessfulExecution": null,
    "lastSuccessfulExecutionWithExports": {
      "activityIdentifier": "8e2d4f6a-1c3b-4a5d-8e7f-9a0b1c2d3e4f",
      "countEntitled": 119,
      "countEntitledForProvisioning": 117,
      "countEscrowed": 0,
      "countEscrowedRaw": 0,
      "countExported": 9,
      "countExports": 9,
      "countImported": 238,
      "countImportedDeltas": 12,
      "countImportedReferenceDeltas": 1,
      "error": {
        "code": "None",
        "message": "",
        "tenantActionable": false
      },
      "state": "EntryLevelErrors",
      "timeBegan": "2024-04-30T21:00:00Z",
      "timeEnded": "2024-04-30T21:02:43.25Z"
    },
    "progress": [
      {
        "completedUnits": 42,
        "progressObservationDateTime": "2024-05-01T09:40:30.5Z",
        "totalUnits": 100,
        "units": "Entries"
      }
    ],
    "quarantine": {
      "currentBegan": "2024-04-28T03:15:00Z",
      "nextAttempt": "2024-04-28T15:15:00Z",
      "reason": "EncounteredEscrowProportionThreshold",
      "seriesBegan": "2024-04-27T03:15:00Z",
      "seriesCount": 3,
      "error": {
        "code": "SystemForCrossDomainIdentityManagementCredentialsInvalid",
        "message": "The credentials supplied were rejected by the target endpoint.",
        "tenantActionable": true
      }
    },
    "synchronizedEntryCountByType@odata.type": "#Collection(microsoft.graph.stringKeyLongValuePair)",
    "synchronizedEntryCountByType": [
      { "key": "user to User", "value": 57, "value@odata.type": "#Int64" },
      { "key": "group to Group", "value": 3 }
    ]
  },
  "synchronizationJobSettings": [
    { "name": "AzureIngestionAttributeOptimization", "value": "False" },
    { "name": "LookaheadQueryEnabled", "value": null }
  ],
  "provisioningHealth": { "score": 97, "signals": ["latency", { "kind": "errors", "count": 0 }] },
  "lastRunSummary": "ok"
}"##;

#[test]
fn synchronization_job_reads_typed_values() {
    let job: v1::SynchronizationJob = read(JOB);
    assert_eq!(job.template_id.as_deref(), Some("scim"));
    assert_eq!(
        job.id.as_deref(),
        Some("scim.3f9d2c1be0a84f6c9d7e5a4b3c2d1e0f.5b0f4a2e-9c1d-4e7a-8b36-2f1d0c9e7a41")
    );

    let schedule = job.schedule.as_ref().expect("schedule");
    let interval = schedule.interval.expect("interval");
    // P10675199DT2H48M5.4775807S: the largest .NET TimeSpan.
    assert!(!interval.is_negative());
    assert_eq!(
        interval.whole_seconds(),
        10_675_199 * 86_400 + 2 * 3_600 + 48 * 60 + 5
    );
    assert_eq!(interval.subsec_nanos(), 477_580_700);
    assert_eq!(interval.to_string(), "P10675199DT2H48M5.4775807S");
    let expiration = schedule.expiration.expect("expiration");
    assert_eq!(
        (
            expiration.year(),
            u8::from(expiration.month()),
            expiration.day()
        ),
        (1, 1, 1)
    );
    assert_eq!(expiration.unix_timestamp(), -62_135_596_800);
    assert_eq!(
        schedule.state,
        Some(v1::SynchronizationScheduleState::Active)
    );
    assert_eq!(
        schedule.additional_properties.get("interval@odata.type"),
        Some(&Value::from("#Duration"))
    );

    let status = job.status.as_ref().expect("status");
    assert_eq!(status.code, Some(v1::SynchronizationStatusCode::Active));
    assert_eq!(status.count_successive_complete_failures, Some(0));
    assert_eq!(status.escrows_pruned, Some(false));
    assert_eq!(status.troubleshooting_url, None);
    assert_eq!(status.last_successful_execution, None);
    let last_achieved = status.steady_state_last_achieved_time.expect("time");
    assert_eq!(last_achieved.nanosecond(), 123_456_700);
    assert_eq!(last_achieved.hour(), 10);

    let last = status.last_execution.as_ref().expect("lastExecution");
    assert_eq!(
        last.state,
        Some(v1::SynchronizationTaskExecutionResult::Succeeded)
    );
    assert_eq!(last.count_imported, Some(240));
    assert_eq!(last.count_imported_reference_deltas, Some(4));
    assert_eq!(last.error, None);
    let took = last.time_ended.expect("end").0 - last.time_began.expect("begin").0;
    assert_eq!(took.whole_milliseconds(), 71_432);

    let with_exports = status
        .last_successful_execution_with_exports
        .as_ref()
        .expect("lastSuccessfulExecutionWithExports");
    assert_eq!(
        with_exports.state,
        Some(v1::SynchronizationTaskExecutionResult::EntryLevelErrors)
    );
    assert_eq!(
        with_exports
            .error
            .as_ref()
            .and_then(|e| e.tenant_actionable),
        Some(false)
    );

    let progress = status.progress.as_deref().expect("progress");
    assert_eq!(progress.len(), 1);
    assert_eq!(progress[0].completed_units, Some(42));
    assert_eq!(progress[0].total_units, Some(100));
    assert_eq!(progress[0].units.as_deref(), Some("Entries"));

    let quarantine = status.quarantine.as_ref().expect("quarantine");
    assert_eq!(
        quarantine.reason,
        Some(v1::QuarantineReason::EncounteredEscrowProportionThreshold)
    );
    assert_eq!(quarantine.series_count, Some(3));
    assert_eq!(
        quarantine.error.as_ref().and_then(|e| e.code.as_deref()),
        Some("SystemForCrossDomainIdentityManagementCredentialsInvalid")
    );
    let span =
        quarantine.next_attempt.expect("next").0 - quarantine.current_began.expect("began").0;
    assert_eq!(span.whole_hours(), 12);

    let counts = status
        .synchronized_entry_count_by_type
        .as_deref()
        .expect("synchronizedEntryCountByType");
    let counts: Vec<(&str, i64)> = counts
        .iter()
        .map(|c| (c.key.as_deref().unwrap_or(""), c.value.unwrap_or(-1)))
        .collect();
    assert_eq!(counts, [("user to User", 57), ("group to Group", 3)]);
    assert_eq!(
        status
            .additional_properties
            .get("synchronizedEntryCountByType@odata.type"),
        Some(&Value::from(
            "#Collection(microsoft.graph.stringKeyLongValuePair)"
        ))
    );

    let settings = job
        .synchronization_job_settings
        .as_deref()
        .expect("settings");
    assert_eq!(
        settings[0].name.as_deref(),
        Some("AzureIngestionAttributeOptimization")
    );
    assert_eq!(settings[0].value.as_deref(), Some("False"));
    assert_eq!(settings[1].value, None);

    // Annotations and undeclared properties are kept verbatim.
    assert_eq!(
        job.additional_properties.get("@odata.type"),
        Some(&Value::from("#microsoft.graph.synchronizationJob"))
    );
    assert!(job
        .additional_properties
        .get("@odata.context")
        .and_then(Value::as_str)
        .is_some_and(|c| c.ends_with("/synchronization/jobs/$entity")));
    assert_eq!(
        job.additional_properties.get("provisioningHealth"),
        Some(&json(
            r#"{ "score": 97, "signals": ["latency", { "kind": "errors", "count": 0 }] }"#
        ))
    );
    assert_eq!(job.additional_properties.len(), 4);
    // Navigation properties are absent unless expanded.
    assert_eq!(job.schema, None);
    assert_eq!(job.bulk_upload, None);
}

#[test]
fn synchronization_job_round_trips() {
    let job: v1::SynchronizationJob = assert_round_trip(JOB);
    // Explicit nulls are kept: read as unset, written back as null.
    let written = write(&job);
    assert_eq!(written["status"]["troubleshootingUrl"], Value::Null);
    assert_eq!(written["status"]["lastSuccessfulExecution"], Value::Null);
    assert_eq!(written["status"]["lastExecution"]["error"], Value::Null);
    assert_eq!(
        written["synchronizationJobSettings"][1]["value"],
        Value::Null
    );
    let status = job.status.as_ref().unwrap();
    assert_eq!(status.troubleshooting_url, None);
    assert_eq!(
        written["schedule"]["interval"],
        "P10675199DT2H48M5.4775807S"
    );
    assert_eq!(written["schedule"]["expiration"], "0001-01-01T00:00:00Z");
}

#[test]
fn job_collection_page_reads_and_round_trips() {
    let page = format!(
        r#"{{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('5b0f4a2e-9c1d-4e7a-8b36-2f1d0c9e7a41')/synchronization/jobs",
  "value": [{JOB}, {{ "id": "second", "templateId": "scim", "schedule": {{ "interval": "PT40M", "state": "Paused" }} }}]
}}"#
    );
    let page_json = json(&page);
    let jobs: Vec<v1::SynchronizationJob> =
        serde_json::from_value(page_json["value"].clone()).expect("value array");
    assert_eq!(jobs.len(), 2);
    let second = &jobs[1];
    let schedule = second.schedule.as_ref().expect("schedule");
    assert_eq!(schedule.interval, Some(edm::Duration::from_secs(40 * 60)));
    assert_eq!(
        schedule.state,
        Some(v1::SynchronizationScheduleState::Paused)
    );
    assert_eq!(schedule.expiration, None);
    assert_eq!(write(&jobs), page_json["value"]);
}

const SCHEMA: &str = r##"{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('5b0f4a2e-9c1d-4e7a-8b36-2f1d0c9e7a41')/synchronization/jobs('scim.3f9d')/schema/$entity",
  "id": "scim.3f9d2c1be0a84f6c9d7e5a4b3c2d1e0f.5b0f4a2e-9c1d-4e7a-8b36-2f1d0c9e7a41",
  "version": "Date:2024-05-01T09:00:00Z~###Builtin###Version:1",
  "synchronizationRules": [
    {
      "id": "c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8",
      "name": "USER_INBOUND_USER",
      "editable": true,
      "priority": 1,
      "sourceDirectoryName": "Azure Active Directory",
      "targetDirectoryName": "customappsso",
      "containerFilter": { "includedContainers": [] },
      "groupFilter": { "includedGroups": ["a1b2c3d4-0000-4000-8000-000000000001"] },
      "metadata": [
        { "key": "defaultSourceObjectMappings", "value": "[]" },
        { "key": "ExtraRuleFlag", "value": null }
      ],
      "objectMappings": [
        {
          "enabled": true,
          "flowTypes": "Add, Update, Delete",
          "name": "Provision Azure Active Directory Users",
          "sourceObjectName": "User",
          "targetObjectName": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
          "metadata": [
            { "key": "Disposition", "value": "Normal" },
            { "key": "ShowInUiWhenDisabled", "value": "True" }
          ],
          "scope": {
            "categoryFilterGroups": [],
            "groups": [
              {
                "name": "Active accounts",
                "clauses": [
                  {
                    "operatorName": "EQUALS",
                    "sourceOperandName": "accountEnabled",
                    "targetOperand": { "values": ["True"] }
                  },
                  {
                    "operatorName": "REGEX_MATCH",
                    "sourceOperandName": "userPrincipalName",
                    "targetOperand": { "values": ["^.*@contoso\\.com$"] }
                  }
                ]
              }
            ],
            "inputFilterGroups": []
          },
          "attributeMappings": [
            {
              "defaultValue": "",
              "exportMissingReferences": false,
              "flowBehavior": "FlowWhenChanged",
              "flowType": "Always",
              "matchingPriority": 1,
              "targetAttributeName": "externalId",
              "source": {
                "expression": "[objectId]",
                "name": "objectId",
                "parameters": [],
                "type": "Attribute"
              }
            },
            {
              "defaultValue": null,
              "exportMissingReferences": true,
              "flowBehavior": "FlowAlways",
              "flowType": "ValueAddOnly",
              "matchingPriority": 0,
              "targetAttributeName": "displayName",
              "source": {
                "expression": "Join(\" \", Trim([givenName]), Replace(ToLower([surname], ), , \"-\", , \" \", , ))",
                "name": "Join",
                "type": "Function",
                "parameters": [
                  {
                    "key": "separator",
                    "value": { "expression": "\" \"", "name": " ", "parameters": [], "type": "Constant" }
                  },
                  {
                    "key": "source1",
                    "value": {
                      "expression": "Trim([givenName])",
                      "name": "Trim",
                      "type": "Function",
                      "parameters": [
                        {
                          "key": "source",
                          "value": { "expression": "[givenName]", "name": "givenName", "parameters": [], "type": "Attribute" }
                        }
                      ]
                    }
                  },
                  {
                    "key": "source2",
                    "value": {
                      "expression": "Replace(ToLower([surname], ), , \"-\", , \" \", , )",
                      "name": "Replace",
                      "type": "Function",
                      "parameters": [
                        {
                          "key": "source",
                          "value": {
                            "expression": "ToLower([surname], )",
                            "name": "ToLower",
                            "type": "Function",
                            "parameters": [
                              {
                                "key": "source",
                                "value": { "expression": "[surname]", "name": "surname", "parameters": [], "type": "Attribute" }
                              }
                            ]
                          }
                        },
                        {
                          "key": "oldValue",
                          "value": { "expression": "\"-\"", "name": "-", "parameters": [], "type": "Constant" }
                        },
                        {
                          "key": "replacementValue",
                          "value": { "expression": "\" \"", "name": " ", "parameters": [], "type": "Constant" }
                        }
                      ]
                    }
                  }
                ]
              }
            }
          ]
        }
      ]
    }
  ],
  "directories": [
    {
      "id": "66e4a8cc-1b7b-435e-95f8-f06cea133828",
      "name": "Azure Active Directory",
      "discoverabilities": "AttributeNames, AttributeDataTypes, AttributeReadOnly, ReferenceAttributes",
      "discoveryDateTime": "2024-04-30T08:00:00Z",
      "readOnly": true,
      "version": "1.0",
      "objects": [
        {
          "name": "User",
          "supportedApis": [],
          "metadata": [
            { "key": "PropertyNameAccountEnabled", "value": "accountEnabled" },
            { "key": "PropertyNameSoftDeleted", "value": "isSoftDeleted" },
            { "key": "SupportsPagedRead", "value": "true" }
          ],
          "attributes": [
            {
              "anchor": true,
              "caseExact": false,
              "defaultValue": null,
              "flowNullValues": false,
              "multivalued": false,
              "mutability": "ReadWrite",
              "name": "objectId",
              "required": false,
              "type": "String",
              "apiExpressions": [],
              "metadata": [
                { "key": "MaximumLength", "value": "36" },
                { "key": "IsSortable", "value": "true" }
              ],
              "referencedObjects": []
            },
            {
              "anchor": false,
              "caseExact": false,
              "defaultValue": null,
              "flowNullValues": false,
              "multivalued": false,
              "mutability": "ReadWrite",
              "name": "manager",
              "required": false,
              "type": "Reference",
              "apiExpressions": [
                { "key": "Get", "value": "$manager" }
              ],
              "metadata": [],
              "referencedObjects": [
                { "referencedObjectName": "User", "referencedProperty": null }
              ]
            },
            {
              "anchor": false,
              "caseExact": true,
              "flowNullValues": true,
              "multivalued": true,
              "mutability": "Immutable",
              "name": "proxyAddresses",
              "required": false,
              "type": "Json"
            }
          ]
        }
      ]
    }
  ]
}"##;

#[test]
fn synchronization_schema_reads_typed_values() {
    let schema: v1::SynchronizationSchema = read(SCHEMA);
    let rules = schema.synchronization_rules.as_deref().expect("rules");
    assert_eq!(rules.len(), 1);
    let rule = &rules[0];
    assert_eq!(rule.id.as_deref(), Some("c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8"));
    assert_eq!(rule.priority, Some(1));
    assert_eq!(rule.editable, Some(true));
    assert_eq!(
        rule.group_filter
            .as_ref()
            .and_then(|g| g.included_groups.as_deref()),
        Some(&["a1b2c3d4-0000-4000-8000-000000000001".to_string()][..])
    );
    assert_eq!(
        rule.container_filter
            .as_ref()
            .and_then(|c| c.included_containers.as_deref()),
        Some(&[][..])
    );

    let mapping = &rule.object_mappings.as_deref().expect("objectMappings")[0];
    let flow = mapping.flow_types.as_ref().expect("flowTypes");
    assert_eq!(flow.bits(), 7);
    assert!(flow.contains(&(v1::ObjectFlowTypes::ADD | v1::ObjectFlowTypes::DELETE)));
    assert!(flow.unknown_members().is_empty());
    let meta = mapping.metadata.as_deref().expect("metadata");
    assert_eq!(meta[0].key, Some(v1::ObjectMappingMetadata::Disposition));
    // A key this metadata version does not define.
    assert_eq!(
        meta[1].key,
        Some(v1::ObjectMappingMetadata::UnknownValue(
            "ShowInUiWhenDisabled".into()
        ))
    );
    assert!(meta[1].key.as_ref().is_some_and(EvolvableEnum::is_unknown));
    let clauses = mapping
        .scope
        .as_ref()
        .and_then(|s| s.groups.as_deref())
        .and_then(|g| g[0].clauses.as_deref())
        .expect("clauses");
    assert_eq!(clauses[1].operator_name.as_deref(), Some("REGEX_MATCH"));
    assert_eq!(
        clauses[1]
            .target_operand
            .as_ref()
            .and_then(|o| o.values.as_deref()),
        Some(&["^.*@contoso\\.com$".to_string()][..])
    );

    let attrs = mapping
        .attribute_mappings
        .as_deref()
        .expect("attributeMappings");
    assert_eq!(
        attrs[0].flow_behavior,
        Some(v1::AttributeFlowBehavior::FlowWhenChanged)
    );
    assert_eq!(attrs[0].matching_priority, Some(1));
    assert_eq!(
        attrs[1].flow_type,
        Some(v1::AttributeFlowType::ValueAddOnly)
    );
    assert_eq!(attrs[1].default_value, None);

    // Join -> Replace -> ToLower -> [surname]: function expressions three levels deep.
    let join = attrs[1].source.as_ref().expect("source");
    assert_eq!(join.r#type, Some(v1::AttributeMappingSourceType::Function));
    assert_eq!(join.name.as_deref(), Some("Join"));
    let param = |s: &v1::AttributeMappingSource, key: &str| -> v1::AttributeMappingSource {
        s.parameters
            .as_deref()
            .unwrap_or_default()
            .iter()
            .find(|p| p.key.as_deref() == Some(key))
            .and_then(|p| p.value.clone())
            .unwrap_or_else(|| panic!("parameter {key}"))
    };
    let replace = param(join, "source2");
    assert_eq!(replace.name.as_deref(), Some("Replace"));
    let to_lower = param(&replace, "source");
    assert_eq!(to_lower.name.as_deref(), Some("ToLower"));
    assert_eq!(
        to_lower.r#type,
        Some(v1::AttributeMappingSourceType::Function)
    );
    let surname = param(&to_lower, "source");
    assert_eq!(
        surname.r#type,
        Some(v1::AttributeMappingSourceType::Attribute)
    );
    assert_eq!(surname.expression.as_deref(), Some("[surname]"));
    assert_eq!(surname.parameters.as_deref(), Some(&[][..]));
    let separator = param(join, "separator");
    assert_eq!(
        separator.r#type,
        Some(v1::AttributeMappingSourceType::Constant)
    );
    assert_eq!(separator.name.as_deref(), Some(" "));

    let directory = &schema.directories.as_deref().expect("directories")[0];
    assert_eq!(directory.read_only, Some(true));
    let disc = directory
        .discoverabilities
        .as_ref()
        .expect("discoverabilities");
    assert_eq!(disc.bits(), 15);
    assert!(disc.contains(&v1::DirectoryDefinitionDiscoverabilities::REFERENCE_ATTRIBUTES));
    assert!(!disc.contains(&v1::DirectoryDefinitionDiscoverabilities::UNKNOWN_FUTURE_VALUE));
    assert_eq!(
        directory.discovery_date_time.map(|d| d.unix_timestamp()),
        Some(1_714_464_000)
    );
    let user = &directory.objects.as_deref().expect("objects")[0];
    assert_eq!(user.name.as_deref(), Some("User"));
    let object_meta = user.metadata.as_deref().expect("metadata");
    assert_eq!(
        object_meta[1].key,
        Some(v1::ObjectDefinitionMetadata::PropertyNameSoftDeleted)
    );
    assert_eq!(
        object_meta[2]
            .key
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("SupportsPagedRead")
    );
    let attributes = user.attributes.as_deref().expect("attributes");
    assert_eq!(attributes.len(), 3);
    assert_eq!(attributes[0].anchor, Some(true));
    assert_eq!(attributes[0].r#type, Some(v1::AttributeType::String));
    assert_eq!(attributes[0].mutability, Some(v1::Mutability::ReadWrite));
    assert_eq!(
        attributes[0].metadata.as_deref().map(|m| m[0].key.clone()),
        Some(Some(v1::AttributeDefinitionMetadata::MaximumLength))
    );
    assert_eq!(attributes[1].r#type, Some(v1::AttributeType::Reference));
    let referenced = &attributes[1]
        .referenced_objects
        .as_deref()
        .expect("referencedObjects")[0];
    assert_eq!(referenced.referenced_object_name.as_deref(), Some("User"));
    assert_eq!(referenced.referenced_property, None);
    // "Json" is not an attributeType member in this metadata version.
    assert_eq!(
        attributes[2].r#type,
        Some(v1::AttributeType::UnknownValue("Json".into()))
    );
    assert_eq!(attributes[2].mutability, Some(v1::Mutability::Immutable));
}

#[test]
fn synchronization_schema_round_trips() {
    let schema: v1::SynchronizationSchema = assert_round_trip(SCHEMA);
    let written = write(&schema);
    // Property names that are Rust keywords keep their wire names.
    assert_eq!(
        written["directories"][0]["objects"][0]["attributes"][2]["type"],
        "Json"
    );
    assert_eq!(
        written["synchronizationRules"][0]["objectMappings"][0]["attributeMappings"][1]["source"]
            ["parameters"][2]["value"]["parameters"][0]["value"]["parameters"][0]["value"]
            ["expression"],
        "[surname]"
    );
}

const PARSE_OK: &str = r##"{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.parseExpressionResponse",
  "error": null,
  "evaluationSucceeded": true,
  "evaluationResult": ["jdoe@contoso.com"],
  "parsingSucceeded": true,
  "parsedExpression": {
    "expression": "Append([mailNickname], \"@contoso.com\")",
    "name": "Append",
    "type": "Function",
    "parameters": [
      { "key": "source", "value": { "expression": "[mailNickname]", "name": "mailNickname", "parameters": [], "type": "Attribute" } },
      { "key": "suffix", "value": { "expression": "\"@contoso.com\"", "name": "@contoso.com", "parameters": [], "type": "Constant" } }
    ]
  }
}"##;

const PARSE_FAILED: &str = r##"{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.parseExpressionResponse",
  "evaluationSucceeded": false,
  "evaluationResult": [],
  "parsingSucceeded": false,
  "parsedExpression": null,
  "error": {
    "code": "ExpressionParsingFailed",
    "message": "Unexpected token ')' at position 21.",
    "target": "expression",
    "details": [
      { "code": "UnexpectedToken", "message": "')'", "target": "21" }
    ],
    "innerError": {
      "code": "ParserError",
      "message": "Parser stopped.",
      "request-id": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
      "date": "2024-05-01T10:05:00",
      "details": []
    }
  }
}"##;

#[test]
fn parse_expression_response_reads_and_round_trips() {
    let ok: v1::ParseExpressionResponse = assert_round_trip(PARSE_OK);
    assert_eq!(ok.parsing_succeeded, Some(true));
    assert_eq!(ok.evaluation_succeeded, Some(true));
    assert_eq!(ok.error, None);
    assert_eq!(
        ok.evaluation_result,
        Some(vec!["jdoe@contoso.com".to_string()])
    );
    let parsed = ok.parsed_expression.as_ref().expect("parsedExpression");
    assert_eq!(parsed.name.as_deref(), Some("Append"));
    let params = parsed.parameters.as_deref().expect("parameters");
    assert_eq!(params[1].key.as_deref(), Some("suffix"));
    assert_eq!(
        params[1].value.as_ref().and_then(|v| v.r#type.clone()),
        Some(v1::AttributeMappingSourceType::Constant)
    );

    let failed: v1::ParseExpressionResponse = assert_round_trip(PARSE_FAILED);
    assert_eq!(failed.parsing_succeeded, Some(false));
    assert_eq!(failed.parsed_expression, None);
    let error = failed.error.as_ref().expect("error");
    assert_eq!(error.code.as_deref(), Some("ExpressionParsingFailed"));
    assert_eq!(
        error.details.as_deref().map(|d| d[0].target.clone()),
        Some(Some("21".to_string()))
    );
    // publicInnerError is an open type: its dynamic properties are kept.
    let inner = error.inner_error.as_ref().expect("innerError");
    assert_eq!(inner.code.as_deref(), Some("ParserError"));
    assert_eq!(
        inner.additional_properties.get("request-id"),
        Some(&Value::from("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"))
    );
    assert_eq!(
        inner.additional_properties.get("date"),
        Some(&Value::from("2024-05-01T10:05:00"))
    );
}

const TEMPLATE: &str = r##"{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('5b0f4a2e-9c1d-4e7a-8b36-2f1d0c9e7a41')/synchronization/templates/$entity",
  "id": "scim",
  "applicationId": "8adf8e6e-67b2-4cf2-a259-e3dc5476c621",
  "default": true,
  "description": null,
  "discoverable": true,
  "factoryTag": "CustomSCIM",
  "metadata": [
    { "key": "GalleryApplicationIdentifier", "value": "scim" },
    { "key": "IsOAuthEnabled", "value": "true" },
    { "key": "IsSynchronizationAgentAssignmentRequired", "value": "false" },
    { "key": "galleryApplicationIdentifier", "value": "beta spelling" },
    { "key": "ConnectorVersion", "value": "2" }
  ],
  "schema@odata.navigationLink": "https://graph.microsoft.com/v1.0/servicePrincipals/5b0f4a2e/synchronization/templates/scim/schema"
}"##;

#[test]
fn synchronization_template_reads_and_round_trips() {
    let template: v1::SynchronizationTemplate = assert_round_trip(TEMPLATE);
    assert_eq!(
        template.application_id,
        Some(edm::Guid::parse_str("8adf8e6e-67b2-4cf2-a259-e3dc5476c621").expect("uuid"))
    );
    assert_eq!(template.default, Some(true));
    assert_eq!(template.discoverable, Some(true));
    assert_eq!(template.description, None);
    assert_eq!(template.factory_tag.as_deref(), Some("CustomSCIM"));
    let keys: Vec<v1::SynchronizationMetadata> = template
        .metadata
        .as_deref()
        .expect("metadata")
        .iter()
        .filter_map(|m| m.key.clone())
        .collect();
    assert_eq!(
        keys,
        [
            v1::SynchronizationMetadata::GalleryApplicationIdentifier,
            v1::SynchronizationMetadata::IsOAuthEnabled,
            v1::SynchronizationMetadata::IsSynchronizationAgentAssignmentRequired,
            // Matching is case-sensitive: the beta spelling is unknown to v1.0.
            v1::SynchronizationMetadata::UnknownValue("galleryApplicationIdentifier".into()),
            v1::SynchronizationMetadata::UnknownValue("ConnectorVersion".into()),
        ]
    );
    assert_eq!(keys[0].value(), Some(0));
    assert_eq!(keys[3].value(), None);
    assert!(template
        .additional_properties
        .contains_key("schema@odata.navigationLink"));
}

#[test]
fn restart_criteria_flags_read_and_write_in_canonical_order() {
    let text = r#"{ "resetScope": "Watermark, Escrows, QuarantineState" }"#;
    let criteria: v1::SynchronizationJobRestartCriteria = read(text);
    let scope = criteria.reset_scope.as_ref().expect("resetScope");
    assert_eq!(scope.bits(), 2 | 4 | 8);
    assert!(scope.contains(&v1::SynchronizationJobRestartScope::WATERMARK));
    assert!(scope.contains(&v1::SynchronizationJobRestartScope::ESCROWS));
    assert!(scope.contains(&v1::SynchronizationJobRestartScope::QUARANTINE_STATE));
    assert!(!scope.contains(&v1::SynchronizationJobRestartScope::CONNECTOR_DATA_STORE));
    assert!(!scope.contains(&v1::SynchronizationJobRestartScope::FULL));
    assert_eq!(
        *scope,
        v1::SynchronizationJobRestartScope::ESCROWS
            | v1::SynchronizationJobRestartScope::WATERMARK
            | v1::SynchronizationJobRestartScope::QUARANTINE_STATE
    );
    // The runtime writes flags in ascending member-value order (documented in
    // graph_odata_runtime::enums), so the text is reordered but means the same.
    assert_eq!(
        write(&criteria),
        json(r#"{ "resetScope": "Escrows, Watermark, QuarantineState" }"#)
    );
    // The canonical text round-trips unchanged.
    assert_round_trip::<v1::SynchronizationJobRestartCriteria>(
        r#"{ "resetScope": "Escrows, Watermark, QuarantineState" }"#,
    );

    // All four bits of Full are written as the composite member.
    let full: v1::SynchronizationJobRestartCriteria = assert_writes_back(
        r#"{ "resetScope": "ConnectorDataStore, Escrows, Watermark, QuarantineState, ForceDeletes" }"#,
        &json(r#"{ "resetScope": "Full, ForceDeletes" }"#),
    );
    assert_eq!(
        full.reset_scope.as_ref().map(FlagsEnum::bits),
        Some(15 | 32)
    );

    // A member added to the service later is kept by name.
    let future: v1::SynchronizationJobRestartCriteria =
        assert_round_trip(r#"{ "resetScope": "Escrows, PendingExports" }"#);
    let scope = future.reset_scope.expect("resetScope");
    assert_eq!(scope.bits(), 2);
    assert_eq!(scope.unknown_members(), ["PendingExports".to_string()]);

    // The action body the client sends.
    let body = v1::SynchronizationJobRestartCriteria {
        reset_scope: Some(v1::SynchronizationJobRestartScope::FULL),
        ..Default::default()
    };
    assert_eq!(write(&body), json(r#"{ "resetScope": "Full" }"#));
    let none = v1::SynchronizationJobRestartCriteria {
        reset_scope: Some(v1::SynchronizationJobRestartScope::NONE),
        ..Default::default()
    };
    assert_eq!(write(&none), json(r#"{ "resetScope": "None" }"#));
}

#[test]
fn unknown_enum_values_are_kept_and_written_back() {
    let text = r#"{
      "code": "SomeNewCode",
      "quarantine": { "reason": "SomeNewReason", "seriesCount": 1 },
      "lastExecution": { "state": "PartiallySucceeded", "countExported": 1 }
    }"#;
    let status: v1::SynchronizationStatus = assert_round_trip(text);
    let code = status.code.as_ref().expect("code");
    assert_eq!(
        *code,
        v1::SynchronizationStatusCode::UnknownValue("SomeNewCode".into())
    );
    assert!(code.is_unknown());
    assert_eq!(code.to_string(), "SomeNewCode");
    assert_eq!(
        status.quarantine.as_ref().and_then(|q| q.reason.clone()),
        Some(v1::QuarantineReason::UnknownValue("SomeNewReason".into()))
    );
    assert_eq!(
        status.last_execution.as_ref().and_then(|e| e.state.clone()),
        Some(v1::SynchronizationTaskExecutionResult::UnknownValue(
            "PartiallySucceeded".into()
        ))
    );
    // Integer values (as some services send them) map to the member of that value.
    let numeric: v1::SynchronizationStatus = read(r#"{ "code": 4 }"#);
    assert_eq!(
        numeric.code,
        Some(v1::SynchronizationStatusCode::Quarantine)
    );
    assert_eq!(write(&numeric), json(r#"{ "code": "Quarantine" }"#));
}

#[test]
fn explicit_nulls_are_kept_and_written_back() {
    let text = r#"{
      "id": "job1",
      "templateId": null,
      "schedule": null,
      "status": { "code": "Paused", "quarantine": null, "progress": null },
      "synchronizationJobSettings": null
    }"#;
    let job: v1::SynchronizationJob = read(text);
    assert_eq!(job.template_id, None);
    assert_eq!(job.schedule, None);
    assert_eq!(job.synchronization_job_settings, None);
    // Unset, with the null kept (as `set_null` records one), so nothing is lost.
    assert_eq!(job.additional_properties["templateId"], Value::Null);
    let status = job.status.as_ref().expect("status");
    assert_eq!(status.quarantine, None);
    assert_eq!(status.additional_properties.len(), 2);
    assert_eq!(write(&job), json(text));
}

#[test]
fn explicit_null_of_an_undeclared_property_is_kept() {
    // Only declared properties have a typed home; an undeclared null is data and stays.
    let job: v1::SynchronizationJob = assert_writes_back(
        r#"{ "id": "job1", "futureProperty": null }"#,
        &json(r#"{ "id": "job1", "futureProperty": null }"#),
    );
    assert_eq!(
        job.additional_properties.get("futureProperty"),
        Some(&Value::Null)
    );
}

#[test]
fn set_null_writes_null_and_unset_fields_are_omitted() {
    let mut job = v1::SynchronizationJob {
        id: Some("job1".into()),
        template_id: Some("scim".into()),
        ..Default::default()
    };
    assert_eq!(
        write(&job),
        json(r#"{ "id": "job1", "templateId": "scim" }"#)
    );

    job.set_null(v1::SynchronizationJobField::TemplateId)
        .set_null(v1::SynchronizationJobField::Schedule);
    assert_eq!(job.template_id, None);
    assert_eq!(
        job.additional_properties.get("templateId"),
        Some(&Value::Null)
    );
    assert_eq!(
        write(&job),
        json(r#"{ "id": "job1", "templateId": null, "schedule": null }"#)
    );

    // Setting the field again: the typed value wins over the recorded null, written once.
    job.template_id = Some("scim2".into());
    let text = serde_json::to_string(&job).expect("serialize");
    assert_eq!(text.matches("\"templateId\"").count(), 1, "{text}");
    assert_eq!(
        json(&text),
        json(r#"{ "id": "job1", "templateId": "scim2", "schedule": null }"#)
    );
    // The recorded null stays in the map: clearing the field again sends null again.
    assert_eq!(
        job.additional_properties.get("templateId"),
        Some(&Value::Null)
    );
    job.template_id = None;
    assert_eq!(
        write(&job),
        json(r#"{ "id": "job1", "templateId": null, "schedule": null }"#)
    );
    // Removing the entry returns to "omitted".
    job.additional_properties.remove("templateId");
    assert_eq!(write(&job), json(r#"{ "id": "job1", "schedule": null }"#));
}

#[test]
fn typed_value_wins_over_a_non_null_additional_entry_of_the_same_name() {
    let mut schedule = v1::SynchronizationSchedule {
        interval: Some("PT40M".parse().expect("duration")),
        ..Default::default()
    };
    schedule
        .additional_properties
        .insert("interval".into(), Value::from("PT1H"));
    schedule
        .additional_properties
        .insert("state".into(), Value::from("Paused"));
    // `interval` is set, so its typed value is written; `state` is unset, so the map entry is.
    assert_eq!(
        write(&schedule),
        json(r#"{ "interval": "PT40M", "state": "Paused" }"#)
    );
}

#[test]
fn field_enums_name_the_wire_properties() {
    assert_eq!(
        v1::SynchronizationJobField::TemplateId.as_str(),
        "templateId"
    );
    assert_eq!(
        v1::SynchronizationJobField::SynchronizationJobSettings.to_string(),
        "synchronizationJobSettings"
    );
    let all: Vec<&str> = v1::SynchronizationJobField::ALL
        .iter()
        .map(|f| f.as_str())
        .collect();
    assert_eq!(
        all,
        [
            "id",
            "schedule",
            "status",
            "synchronizationJobSettings",
            "templateId",
            "bulkUpload",
            "schema"
        ]
    );
    assert_eq!(v1::AttributeDefinitionField::Type.as_str(), "type");
    assert_eq!(
        v1::SynchronizationTemplateField::Default.as_str(),
        "default"
    );
}

#[test]
fn provision_on_demand_subjects_nest_through_boxed_links() {
    let text = r#"{
      "ruleId": "c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8",
      "subjects": [
        {
          "objectId": "user-1",
          "objectTypeName": "User",
          "links": {
            "manager": {
              "objectId": "user-2",
              "objectTypeName": "User",
              "links": {
                "manager": { "objectId": "user-3", "objectTypeName": "User" },
                "members": [],
                "owners": []
              }
            },
            "members": [{ "objectId": "user-4", "objectTypeName": "User" }]
          }
        }
      ]
    }"#;
    let params: v1::SynchronizationJobApplicationParameters = assert_round_trip(text);
    let subject = &params.subjects.as_deref().expect("subjects")[0];
    let manager = subject
        .links
        .as_ref()
        .and_then(|l| l.manager.as_ref())
        .expect("manager");
    assert_eq!(manager.object_id.as_deref(), Some("user-2"));
    let grand = manager
        .links
        .as_ref()
        .and_then(|l| l.manager.as_ref())
        .expect("manager of manager");
    assert_eq!(grand.object_id.as_deref(), Some("user-3"));
    assert_eq!(grand.links, None);
}

#[test]
fn secrets_of_the_synchronization_entity_round_trip() {
    let text = r#"{
      "id": "5b0f4a2e-9c1d-4e7a-8b36-2f1d0c9e7a41",
      "secrets": [
        { "key": "BaseAddress", "value": "https://scim.contoso.com/v2" },
        { "key": "SecretToken", "value": "*" },
        { "key": "SyncNotificationSettings", "value": "{\"Enabled\":false}" },
        { "key": "SyncAgentADContainer", "value": "OU=Sync" },
        { "key": "NewSecretKind", "value": "x" }
      ]
    }"#;
    let sync: v1::Synchronization = assert_round_trip(text);
    let keys: Vec<Option<i64>> = sync
        .secrets
        .as_deref()
        .expect("secrets")
        .iter()
        .map(|s| s.key.as_ref().and_then(EvolvableEnum::value))
        .collect();
    assert_eq!(keys, [Some(5), Some(3), Some(37), Some(103), None]);
    assert_eq!(
        sync.secrets.as_deref().expect("secrets")[3].key,
        Some(v1::SynchronizationSecret::SyncAgentAdContainer)
    );
}

#[test]
fn datetime_fraction_trailing_zeros_are_trimmed_on_write() {
    // Documented runtime behaviour: the instant is kept, the text is canonical.
    let progress: v1::SynchronizationProgress =
        read(r#"{ "progressObservationDateTime": "2024-05-01T09:40:30.5000000Z" }"#);
    let written = write(&progress);
    assert_eq!(
        written["progressObservationDateTime"],
        "2024-05-01T09:40:30.5Z"
    );
    let again: v1::SynchronizationProgress = serde_json::from_value(written).expect("read back");
    assert_eq!(again, progress);
}

#[test]
fn documented_values_that_do_not_fit_their_type_never_fail_a_response() {
    // A quarantined job as the API reference documents it: empty timestamps.
    let text = r#"{"id":"job1","status":{"code":"Quarantine","quarantine":{"currentBegan":"","nextAttempt":"","reason":"EncounteredQuarantineException","seriesBegan":"2024-01-01T00:00:00Z","seriesCount":9223372036854775807}},"schedule":{"interval":"P1Y2M3DT4H5M6S"}}"#;
    let job: v1::SynchronizationJob = read(text);
    let quarantine = job
        .status
        .as_ref()
        .and_then(|s| s.quarantine.as_ref())
        .expect("the quarantine can be read");
    assert_eq!(
        quarantine.reason,
        Some(v1::QuarantineReason::EncounteredQuarantineException)
    );
    assert!(quarantine.series_began.is_some());
    // Typed access: unset, and the raw value is there under its name.
    assert_eq!(quarantine.current_began, None);
    assert_eq!(
        quarantine.additional_properties[v1::SynchronizationQuarantineField::CurrentBegan.as_ref()],
        ""
    );
    // Every value written back as it came (declared properties first).
    assert_eq!(write(&job), json(text));

    // A template with a placeholder where a GUID belongs.
    let text = r#"{"id":"t1","applicationId":"{id}","default":true}"#;
    let template: v1::SynchronizationTemplate = read(text);
    assert_eq!(template.application_id, None);
    assert_eq!(template.default, Some(true));
    assert_eq!(write(&template), json(text));
}
