//! The boxed types shared by the client's modules. They sit here, depending on nothing else
//! in the crate, so that the modules that use them (credentials, transports, requests,
//! errors) need not depend on each other for them.

use std::future::Future;
use std::pin::Pin;

/// A boxed, `Send` future; the return type of the object-safe async traits of this crate
/// ([`TokenCredential`](crate::TokenCredential), [`Transport`](crate::Transport)) and the
/// future a [`Request`](crate::Request) turns into on `.await`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A boxed error usable as an error source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;
