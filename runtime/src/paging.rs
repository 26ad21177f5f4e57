//! Following `@odata.nextLink` across the pages of a collection.
//!
//! Next links are used verbatim (query options are not added again). A relative link is
//! resolved against the URL of the page that contained it. Following stops with an
//! [`Error::Paging`] when a link was already visited (a loop) or points to a scheme, host
//! or port other than the base URL's and the allowed next-link hosts; the token is never
//! sent there. The page carrying such a link is still yielded first.

use std::collections::HashSet;

use futures_core::Stream;
use futures_util::stream::{self, StreamExt};
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::Error;
use crate::request::{Delta, Page, Request};

struct State<T> {
    next: Option<Request<Page<T>>>,
    pending_error: Option<Error>,
    seen: HashSet<String>,
}

impl<T: DeserializeOwned + Send + 'static> Request<Page<T>> {
    /// All pages, following next links. Ends after the last page or the first error.
    /// The stream is `Unpin`: `while let Some(page) = pages.next().await` works as is.
    /// The last page of a delta query carries [`Page::delta_link`].
    pub fn into_pages(self) -> impl Stream<Item = Result<Page<T>, Error>> + Send + Unpin + 'static {
        let state = State {
            next: Some(self),
            pending_error: None,
            seen: HashSet::new(),
        };
        Box::pin(stream::unfold(state, |mut state| async move {
            if let Some(error) = state.pending_error.take() {
                return Some((Err(error), state));
            }
            let request = state.next.take()?;
            let prepared = match request.build() {
                Ok(p) => p,
                Err(e) => return Some((Err(e), state)),
            };
            let url = prepared.url.clone();
            state.seen.insert(url.as_str().to_owned());
            let page = match request.send_prepared(prepared).await {
                Ok(page) => page,
                Err(e) => return Some((Err(e), state)),
            };
            if let Some(link) = &page.next_link {
                let base = link_base(&url, &page.additional);
                match next_url(&request, &base, link, &state.seen) {
                    Ok(next) => state.next = Some(request.follow(next)),
                    Err(e) => state.pending_error = Some(e),
                }
            }
            Some((Ok(page), state))
        }))
    }

    /// A whole delta round: follows every next link and returns all items with the last
    /// page's `@odata.deltaLink` (a missing one is an [`Error::Paging`]: the round cannot be
    /// resumed). The first error ends the round; nothing is returned half.
    pub async fn collect_delta(self) -> Result<Delta<T>, Error> {
        let mut pages = self.into_pages();
        let mut items = Vec::new();
        let mut delta_link = None;
        while let Some(page) = pages.next().await {
            let page = page?;
            items.extend(page.value);
            delta_link = page.delta_link;
        }
        let delta_link = delta_link.ok_or_else(|| {
            Error::Paging("the last page of the delta query has no @odata.deltaLink".into())
        })?;
        Ok(Delta { items, delta_link })
    }

    /// The next delta round from a stored `@odata.deltaLink` (of an earlier
    /// [`collect_delta`](Self::collect_delta)): this request, typed and configured as it is,
    /// sent to the link ([`Request::at_url`], so the origin rule of next links applies).
    pub async fn resume_delta(self, delta_link: &str) -> Result<Delta<T>, Error> {
        self.at_url(delta_link).collect_delta().await
    }

    /// All items of all pages, following next links. Ends after the last item or the first
    /// error. (Use [`into_pages`](Self::into_pages) to see `@odata.count` or a delta link.)
    pub fn into_stream(self) -> impl Stream<Item = Result<T, Error>> + Send + Unpin + 'static {
        let pages = self.into_pages();
        Box::pin(stream::unfold(
            (pages, Vec::new().into_iter()),
            |(mut pages, mut items)| async move {
                loop {
                    if let Some(item) = items.next() {
                        return Some((Ok(item), (pages, items)));
                    }
                    match pages.next().await {
                        None => return None,
                        Some(Err(e)) => return Some((Err(e), (pages, items))),
                        Some(Ok(page)) => items = page.value.into_iter(),
                    }
                }
            },
        ))
    }
}

/// What a relative next link is relative to: the page's context URL (`@odata.context`,
/// itself relative to the request URL), else the request URL. OData's JSON format says so,
/// and services that send relative links (SAP among them) write them from the service
/// root, which the context URL `<root>/$metadata#...` gives; resolving
/// `Orders('1')/Items?$skiptoken=2` against the request URL `<root>/Orders('1')/Items` would
/// repeat the path.
fn link_base(request_url: &Url, additional: &serde_json::Map<String, serde_json::Value>) -> Url {
    ["@odata.context", "@context", "odata.context"]
        .iter()
        .find_map(|key| additional.get(*key)?.as_str())
        .and_then(|context| request_url.join(context).ok())
        .map_or_else(
            || request_url.clone(),
            |mut context| {
                context.set_fragment(None);
                context
            },
        )
}

fn next_url<T>(
    request: &Request<T>,
    current: &Url,
    link: &str,
    seen: &HashSet<String>,
) -> Result<Url, Error> {
    let mut next = current
        .join(link)
        .map_err(|e| Error::Paging(format!("invalid @odata.nextLink: {e}")))?;
    // A fragment is never sent: links that differ only there are the same request (and
    // would otherwise hide a loop).
    next.set_fragment(None);
    if !request.client().is_allowed_origin(&next) {
        return Err(Error::Paging(format!(
            "@odata.nextLink points to {}, which is not the service's origin nor an allowed \
             next-link host; not following it",
            next.origin().ascii_serialization()
        )));
    }
    if seen.contains(next.as_str()) {
        return Err(Error::Paging(format!(
            "@odata.nextLink {} was already visited (a paging loop)",
            next.path()
        )));
    }
    Ok(next)
}
