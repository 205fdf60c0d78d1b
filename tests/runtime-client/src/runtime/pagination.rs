//! Paging through Genesys listings: the [`Listing`] trait generated listing models
//! implement, the three ways to the next page, and the [`Pages`] stream of items that
//! [`pages`] makes for each listing operation's `into_stream()`.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::auth::BoxFuture;
use super::request::{Request, Response};
use super::{Client, Error};

/// One page of a listing, as the next-page logic needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items on this page (`entities`).
    pub items: Vec<T>,
    /// `pageNumber`, 1-based.
    pub page_number: Option<i64>,
    /// `pageCount`, the number of pages.
    pub page_count: Option<i64>,
    /// `nextUri`, the path and query of the next page.
    pub next_uri: Option<String>,
    /// The cursor of the next page (`cursor`, or `cursors.after`).
    pub cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page holding these items and no paging information.
    pub fn new(items: Vec<T>) -> Self {
        Page {
            items,
            page_number: None,
            page_count: None,
            next_uri: None,
            cursor: None,
        }
    }
}

/// A Genesys listing model: a page of items with what leads to the next page. The
/// generator implements it for every model with an `entities` (or `results`) array and
/// `pageNumber`/`pageCount`, `nextUri`, `cursor` or `cursors` fields.
pub trait Listing: serde::de::DeserializeOwned {
    /// The type of the items.
    type Item;

    /// The page's items and paging fields.
    fn into_page(self) -> Page<Self::Item>;
}

/// How an operation gets its next page; the generator picks it from the operation's
/// parameters and its listing's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Paging {
    /// Sets this query parameter (`pageNumber`) to the next number, until `pageCount` is
    /// reached, or a page is empty, or (without `pageCount`) there is no `nextUri`.
    PageNumber(&'static str),
    /// Sets this query parameter (`cursor`, `after`) to the page's cursor until there is
    /// none.
    Cursor(&'static str),
    /// Follows `nextUri` until there is none.
    NextUri,
}

type Fetch<T> = BoxFuture<'static, Result<(Vec<T>, Option<Request>), Error>>;

/// A stream of the items of every page of a listing operation, from its generated
/// `into_stream()`: each item is a `Result`; the stream ends after the last page, or after
/// the first error. Pages are fetched one at a time, as the items are consumed, each with
/// the client's retries.
///
/// It implements `futures_core::Stream`; use `futures::StreamExt` (or
/// `tokio_stream::StreamExt`) to consume it, or call [`next`](Self::next).
#[must_use = "a stream does nothing until polled"]
pub struct Pages<T> {
    client: Client,
    paging: Paging,
    model: &'static str,
    decode: fn(&Response, &'static str) -> Result<Page<T>, Error>,
    next: Option<Result<Request, Error>>,
    buffer: VecDeque<T>,
    fetching: Option<Fetch<T>>,
    pages: u64,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("paging", &self.paging)
            .field("model", &self.model)
            .field("pages_fetched", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

fn decode_page<L: Listing>(
    response: &Response,
    model: &'static str,
) -> Result<Page<L::Item>, Error> {
    response.json::<L>(model).map(Listing::into_page)
}

/// A stream over the pages of `first` (the first page's request), decoding each page as
/// `L` (named `model` in errors): each listing operation's `into_stream()` is this call.
pub fn pages<L>(
    client: Client,
    first: Result<Request, Error>,
    paging: Paging,
    model: &'static str,
) -> Pages<L::Item>
where
    L: Listing,
    L::Item: Send + 'static,
{
    Pages {
        client,
        paging,
        model,
        decode: decode_page::<L>,
        next: Some(first),
        buffer: VecDeque::new(),
        fetching: None,
        pages: 0,
    }
}

impl<T: Send + 'static> Pages<T> {
    /// The next item, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_item(cx)).await
    }

    /// Collects every item, stopping at the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error>>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(fetch) = &mut self.fetching {
                let result = match fetch.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(result) => result,
                };
                self.fetching = None;
                match result {
                    Ok((items, next)) => {
                        self.pages += 1;
                        self.buffer.extend(items);
                        self.next = next.map(Ok);
                        continue;
                    }
                    Err(error) => return Poll::Ready(Some(Err(error))),
                }
            }
            match self.next.take() {
                None => return Poll::Ready(None),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                Some(Ok(request)) => {
                    let client = self.client.clone();
                    let (paging, model, decode) = (self.paging, self.model, self.decode);
                    self.fetching = Some(Box::pin(async move {
                        let response = client.execute(request.clone()).await?;
                        let page = decode(&response, model)?;
                        let next = next_request(&request, paging, &page);
                        Ok((page.items, next))
                    }));
                }
            }
        }
    }
}

impl<T: Send + 'static> futures_core::Stream for Pages<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

// `Pages` holds no self-references: the in-flight fetch is boxed.
impl<T> Unpin for Pages<T> {}

/// The request for the page after `page`, or `None` when it was the last. A next request
/// identical to the current one also ends the listing, so a server that repeats itself
/// cannot loop the stream forever.
fn next_request<T>(current: &Request, paging: Paging, page: &Page<T>) -> Option<Request> {
    let mut next = current.clone();
    match paging {
        Paging::PageNumber(param) => {
            if page.items.is_empty() {
                return None;
            }
            let number = page
                .page_number
                .or_else(|| current.query_value(param).and_then(|v| v.parse().ok()))
                .unwrap_or(1);
            let more = match page.page_count {
                Some(count) => number < count,
                None => page.next_uri.is_some(),
            };
            if !more {
                return None;
            }
            next.set_query(param, (number + 1).to_string());
        }
        Paging::Cursor(param) => {
            let cursor = page.cursor.as_deref().filter(|c| !c.is_empty())?;
            next.set_query(param, cursor);
        }
        Paging::NextUri => {
            let uri = page.next_uri.as_deref().filter(|u| !u.is_empty())?;
            // Only a path on the same API: a `nextUri` never sends the token elsewhere.
            let path = match uri.find("://") {
                Some(_) => return None,
                None => uri,
            };
            if !path.starts_with('/') {
                return None;
            }
            next.set_uri(path);
        }
    }
    (next.path != current.path || next.query != current.query).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first() -> Request {
        let mut request = Request::new(reqwest::Method::GET, "getUsers", "/api/v2/users");
        request.query("pageSize", &2);
        request
    }

    fn page(items: usize) -> Page<u8> {
        Page::new(vec![0; items])
    }

    /// The query of the request after `page`, or `None` when the listing ends there.
    fn next_query(current: &Request, paging: Paging, page: &Page<u8>) -> Option<Vec<String>> {
        let next = next_request(current, paging, page)?;
        assert_eq!(next.path(), "/api/v2/users");
        Some(
            next.query
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect(),
        )
    }

    #[test]
    fn page_numbers_count_up_to_the_page_count() {
        let paging = Paging::PageNumber("pageNumber");
        let mut current = page(2);
        current.page_number = Some(1);
        current.page_count = Some(3);
        assert_eq!(
            next_query(&first(), paging, &current).unwrap(),
            ["pageSize=2", "pageNumber=2"]
        );
        current.page_number = Some(3);
        assert_eq!(next_query(&first(), paging, &current), None);
    }

    #[test]
    fn without_a_page_number_the_request_says_which_page_it_was() {
        let paging = Paging::PageNumber("pageNumber");
        let mut request = first();
        request.query("pageNumber", &4);
        let mut current = page(2);
        current.page_count = Some(9);
        assert_eq!(
            next_query(&request, paging, &current).unwrap(),
            ["pageSize=2", "pageNumber=5"]
        );
    }

    #[test]
    fn without_a_page_count_a_next_uri_means_more() {
        let paging = Paging::PageNumber("pageNumber");
        let mut current = page(2);
        assert_eq!(next_query(&first(), paging, &current), None);
        current.next_uri = Some("/api/v2/users?pageNumber=2".to_owned());
        assert_eq!(
            next_query(&first(), paging, &current).unwrap(),
            ["pageSize=2", "pageNumber=2"]
        );
    }

    #[test]
    fn an_empty_page_ends_a_numbered_listing() {
        let mut current = page(0);
        current.page_number = Some(1);
        current.page_count = Some(5);
        let next = next_request(&first(), Paging::PageNumber("pageNumber"), &current);
        assert!(next.is_none());
    }

    #[test]
    fn cursors_are_passed_on_until_there_is_none() {
        let paging = Paging::Cursor("after");
        let mut current = page(2);
        current.cursor = Some("b64==".to_owned());
        assert_eq!(
            next_query(&first(), paging, &current).unwrap(),
            ["pageSize=2", "after=b64=="]
        );
        current.cursor = Some(String::new());
        assert_eq!(next_query(&first(), paging, &current), None);
        current.cursor = None;
        assert_eq!(next_query(&first(), paging, &current), None);
    }

    #[test]
    fn next_uris_are_followed_on_the_same_api_only() {
        let mut current = page(2);
        current.next_uri = Some("/api/v2/users?pageSize=2&pageNumber=2".to_owned());
        assert_eq!(
            next_query(&first(), Paging::NextUri, &current).unwrap(),
            ["pageSize=2", "pageNumber=2"]
        );
        // Another host would receive the token; a relative path has no meaning.
        for uri in [
            "https://elsewhere.example.com/api/v2/users?pageNumber=2",
            "api/v2/users?pageNumber=2",
            "",
        ] {
            current.next_uri = Some(uri.to_owned());
            assert!(
                next_request(&first(), Paging::NextUri, &current).is_none(),
                "{uri:?}"
            );
        }
    }

    #[test]
    fn a_next_request_equal_to_the_current_one_ends_the_listing() {
        let mut current = page(2);
        current.next_uri = Some("/api/v2/users?pageSize=2".to_owned());
        assert!(next_request(&first(), Paging::NextUri, &current).is_none());
        current.cursor = Some("same".to_owned());
        let mut request = first();
        request.query("after", "same");
        assert!(next_request(&request, Paging::Cursor("after"), &current).is_none());
    }
}
