//! The success status each request method documents, decided from its plan: what the
//! service answers when the request succeeds, by what the method reads back.

use super::client::{MethodKind, RequestPlan, Response};
use crate::model::Model;

/// The documented success status of a method of kind `kind` that sends `r`: the status an
/// override file names for its requests; `201` for a create (the created entity comes
/// back); `204` when no body is read (updates, replaces, deletes, `$ref` changes, actions
/// without a return type, uploads); `200` for everything that reads a body (reads, lists,
/// `$count`, functions and actions with a return type, content downloads).
pub fn success_status(model: &Model, kind: &MethodKind, r: &RequestPlan) -> u16 {
    if let MethodKind::Http(index) = kind {
        return model.http_operations[*index].status;
    }
    match r.response {
        Response::Created(_) => 201,
        Response::Empty => 204,
        Response::Json(_)
        | Response::Value(_)
        | Response::Page(_)
        | Response::Count
        | Response::Media
        | Response::ReferencePage
        | Response::Reference => 200,
    }
}

/// `200 OK`: a status with its reason phrase (RFC 9110), the number alone for others.
pub fn status_text(status: u16) -> String {
    let reason = match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        _ => return status.to_string(),
    };
    format!("{status} {reason}")
}

#[cfg(test)]
mod tests {
    use super::status_text;

    #[test]
    fn statuses_carry_their_reason_phrase() {
        assert_eq!(status_text(201), "201 Created");
        assert_eq!(status_text(204), "204 No Content");
        assert_eq!(status_text(299), "299");
    }
}
