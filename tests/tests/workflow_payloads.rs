//! The payloads of the rest of the provisioning workflow, as the service sends them, read by
//! the synchronization models (v1.0 and beta): a provisioning log entry, a gallery template,
//! the result of `instantiate`, an app role assignment. Each is read into typed values and
//! written back unchanged.

mod common;

use common::assert_round_trip;
use graph_synchronization_beta_models as beta;
use graph_synchronization_models as v1;

/// One entry of `GET /auditLogs/provisioning` (v1.0): a group the service failed to update.
const PROVISIONING_EVENT: &str = r##"{
  "id": "75b5b0ae-9cc5-850e-e0a5-7d6a4231de87",
  "activityDateTime": "2026-08-24T18:51:57.4951237Z",
  "tenantId": "74beb175-3b33-4a48-9c64-8e7f2d4a1c2f",
  "jobId": "aws.74beb1753b334a489c648e7f2d4a1c2f.5a5bd84b-7648-4fd5-b4e9-44c9a25b4f7b",
  "cycleId": "44576a16-c5f3-4fac-a9df-7e2b2e4e7d6b",
  "changeId": "eaad2f8b-e6e3-409b-83bd-e4e2e57177d5",
  "provisioningAction": "update",
  "durationInMilliseconds": 2000,
  "initiatedBy": {"id": "", "displayName": "Azure AD Provisioning Service", "initiatorType": "system"},
  "sourceSystem": {"id": "0404601d-a9c0-4ec7-bbcd-02660120d8c9", "displayName": "Azure Active Directory", "details": {}},
  "targetSystem": {
    "id": "d8fa0c7b-ea1b-4ac6-8c4c-fc8b5a2fc2c1",
    "displayName": "Amazon Web Services (AWS)",
    "details": {"ApplicationId": "f0a9c9a3-6b5d-4e3e-a0c1-0f9e6c5d4b3a", "ServicePrincipalId": "5a5bd84b-7648-4fd5-b4e9-44c9a25b4f7b"}
  },
  "sourceIdentity": {"id": "5e6c9rae-ab4d-5239-8ad0-174391d110eb", "displayName": "Sample Group", "identityType": "Group", "details": {}},
  "targetIdentity": {"id": "", "displayName": "", "identityType": "Group", "details": {}},
  "modifiedProperties": [
    {"displayName": "displayName", "oldValue": null, "newValue": "Sample Group"},
    {"displayName": "objectId", "oldValue": null, "newValue": "5e6c9rae-ab4d-5239-8ad0-174391d110eb"}
  ],
  "provisioningSteps": [
    {"name": "EntryImportAdd", "provisioningStepType": "import", "status": "success", "description": "Received Group 'Sample Group' change of type (Add) from Azure Active Directory", "details": {}},
    {"name": "EntryExportUpdate", "provisioningStepType": "export", "status": "failure", "description": "Failed to update Group 'Sample Group' in Amazon Web Services (AWS)", "details": {"ReportableIdentifier": "Sample Group"}}
  ],
  "provisioningStatusInfo": {
    "status": "failure",
    "errorInformation": {
      "errorCode": "AWSInvalidRequest",
      "errorCategory": "failure",
      "reason": "The target rejected the change.",
      "additionalDetails": null,
      "recommendedAction": "Check the group's attributes in the target."
    }
  },
  "servicePrincipal": {"id": "5a5bd84b-7648-4fd5-b4e9-44c9a25b4f7b", "displayName": "Amazon Web Services (AWS)"}
}"##;

#[test]
fn a_provisioning_log_entry_reads_typed_and_writes_back() {
    let event: v1::ProvisioningObjectSummary = assert_round_trip(PROVISIONING_EVENT);
    assert_eq!(
        event.provisioning_action,
        Some(v1::ProvisioningAction::Update)
    );
    assert_eq!(event.duration_in_milliseconds, Some(2000));
    let initiator = event.initiated_by.as_ref().unwrap();
    assert_eq!(initiator.initiator_type, Some(v1::InitiatorType::System));
    let steps = event.provisioning_steps.as_ref().unwrap();
    assert_eq!(
        steps[1].provisioning_step_type,
        Some(v1::ProvisioningStepType::Export)
    );
    assert_eq!(steps[1].status, Some(v1::ProvisioningResult::Failure));
    let status = event.provisioning_status_info.as_ref().unwrap();
    let error = status.error_information.as_ref().unwrap();
    assert_eq!(
        error.error_category,
        Some(v1::ProvisioningStatusErrorCategory::Failure)
    );
    assert_eq!(error.error_code.as_deref(), Some("AWSInvalidRequest"));
    let details = event
        .target_system
        .as_ref()
        .unwrap()
        .details
        .as_ref()
        .unwrap();
    assert_eq!(
        details.additional_properties["ServicePrincipalId"],
        "5a5bd84b-7648-4fd5-b4e9-44c9a25b4f7b"
    );
    let changed = event.modified_properties.as_ref().unwrap();
    assert_eq!(changed[0].new_value.as_deref(), Some("Sample Group"));

    // The beta models read the same entry.
    let event: beta::ProvisioningObjectSummary = assert_round_trip(PROVISIONING_EVENT);
    assert_eq!(
        event.provisioning_action,
        Some(beta::ProvisioningAction::Update)
    );
}

/// `GET /applicationTemplates/{id}` (v1.0).
const TEMPLATE: &str = r##"{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applicationTemplates/$entity",
  "id": "8b1025e4-1dd2-430b-a150-2ef79cd700f5",
  "displayName": "Amazon Web Services (AWS)",
  "homePageUrl": "http://aws.amazon.com/",
  "supportedSingleSignOnModes": ["password", "saml", "external"],
  "supportedProvisioningTypes": ["sync"],
  "logoUrl": "https://az495088.vo.msecnd.net/app-logo/aws_215.png",
  "categories": ["developerServices", "itInfrastructure", "security", "New"],
  "publisher": "Amazon",
  "description": "Federate to a single AWS account and assign roles."
}"##;

#[test]
fn a_gallery_template_reads_typed_and_writes_back() {
    let template: v1::ApplicationTemplate = assert_round_trip(TEMPLATE);
    assert_eq!(
        template.supported_provisioning_types.as_deref(),
        Some(&["sync".to_owned()][..])
    );
    assert_eq!(template.publisher.as_deref(), Some("Amazon"));
    assert!(template
        .additional_properties
        .contains_key("@odata.context"));
    let template: beta::ApplicationTemplate = assert_round_trip(TEMPLATE);
    assert_eq!(
        template.display_name.as_deref(),
        Some("Amazon Web Services (AWS)")
    );
}

/// `POST /applicationTemplates/{id}/instantiate` answers with the two objects it created.
const INSTANTIATED: &str = r##"{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.applicationServicePrincipal",
  "application": {
    "objectId": "cbfe4d5e-1e2b-4c5a-8b6d-7e8f9a0b1c2d",
    "appId": "4f0e1d2c-3b4a-5968-7a6b-5c4d3e2f1a0b",
    "applicationTemplateId": "229946b9-a9fb-45b8-9531-efa47453ac9e",
    "displayName": "testProvisioningApp",
    "homepage": "https://signin.aws.amazon.com/saml?metadata=aws|ISV9.1|primary|z",
    "identifierUris": [],
    "publicClient": null,
    "replyUrls": [],
    "logoutUrl": null,
    "samlMetadataUrl": null,
    "errorUrl": null,
    "groupMembershipClaims": null,
    "availableToOtherOrganizations": false
  },
  "servicePrincipal": {
    "id": "1e0f9a8b-7c6d-5e4f-3a2b-1c0d9e8f7a6b",
    "deletedDateTime": null,
    "accountEnabled": true,
    "appId": "4f0e1d2c-3b4a-5968-7a6b-5c4d3e2f1a0b",
    "applicationTemplateId": "229946b9-a9fb-45b8-9531-efa47453ac9e",
    "appDisplayName": "testProvisioningApp",
    "alternativeNames": [],
    "appRoleAssignmentRequired": true,
    "loginUrl": null,
    "logoutUrl": null,
    "homepage": "https://signin.aws.amazon.com/saml?metadata=aws|ISV9.1|primary|z",
    "notificationEmailAddresses": [],
    "preferredSingleSignOnMode": null,
    "preferredTokenSigningKeyThumbprint": null,
    "replyUrls": [],
    "servicePrincipalNames": ["4f0e1d2c-3b4a-5968-7a6b-5c4d3e2f1a0b"],
    "servicePrincipalType": "Application",
    "tags": [],
    "tokenEncryptionKeyId": null
  }
}"##;

#[test]
fn the_result_of_instantiate_names_both_new_objects() {
    let created: v1::ApplicationServicePrincipal = assert_round_trip(INSTANTIATED);
    let sp = created.service_principal.as_ref().unwrap();
    assert_eq!(
        sp.id.as_deref(),
        Some("1e0f9a8b-7c6d-5e4f-3a2b-1c0d9e8f7a6b")
    );
    assert_eq!(sp.app_role_assignment_required, Some(true));
    let app = created.application.as_ref().unwrap();
    assert_eq!(app.display_name.as_deref(), Some("testProvisioningApp"));
    // Members the metadata does not declare (`objectId`, `homepage`) are kept.
    assert!(app.additional_properties.contains_key("objectId"));
    let created: beta::ApplicationServicePrincipal = assert_round_trip(INSTANTIATED);
    assert!(created.application.is_some());
}

/// `POST /servicePrincipals/{id}/appRoleAssignedTo` answers with the new assignment.
const ASSIGNMENT: &str = r##"{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('9028d19c-26a9-4809-8e3f-20ff73e2d75e')/appRoleAssignedTo/$entity",
  "id": "Sc3oW9ZaAEiX6LPXG5ZqwTmzadRd0dtEpPOtqYEqMo0",
  "deletedDateTime": null,
  "appRoleId": "00000000-0000-0000-0000-000000000000",
  "createdDateTime": "2026-02-27T04:22:26.6264812Z",
  "principalDisplayName": "Sales team",
  "principalId": "5be8cd49-5ad6-4800-97e8-b3d71b966ac1",
  "principalType": "Group",
  "resourceDisplayName": "Fabrikam App",
  "resourceId": "9028d19c-26a9-4809-8e3f-20ff73e2d75e"
}"##;

#[test]
fn an_app_role_assignment_reads_typed_and_writes_back() {
    let assignment: v1::AppRoleAssignment = assert_round_trip(ASSIGNMENT);
    assert_eq!(assignment.app_role_id, Some(v1::edm::Guid::nil()));
    assert_eq!(
        assignment.principal_id.map(|g| g.to_string()).as_deref(),
        Some("5be8cd49-5ad6-4800-97e8-b3d71b966ac1")
    );
    assert_eq!(assignment.principal_type.as_deref(), Some("Group"));
    let assignment: beta::AppRoleAssignment = assert_round_trip(ASSIGNMENT);
    assert!(assignment.resource_id.is_some());
}
