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

/// What fetching one page gives: its items, the request for the page after it (`None`
/// when it was the last), and its page number and count when it says them.
struct Fetched<T> {
    items: Vec<T>,
    next: Option<Request>,
    number: i64,
    count: Option<i64>,
}

type Fetch<T> = BoxFuture<'static, Result<Fetched<T>, Error>>;

/// One page being fetched, in page order.
enum Slot<T> {
    Pending(Fetch<T>),
    Done(Result<Fetched<T>, Error>),
}

/// The most pages [`Pages::concurrent`] fetches at once.
pub const MAX_CONCURRENT_PAGES: usize = 100;

/// A stream of the items of every page of a listing operation, from its generated
/// `into_stream()`: each item is a `Result`; the stream ends after the last page, or after
/// the first error. Pages are fetched one at a time, as the items are consumed, each with
/// the client's retries; [`concurrent`](Self::concurrent) fetches several pages of a
/// page-numbered listing at once.
///
/// It implements `futures_core::Stream`; use `futures::StreamExt` (or
/// `tokio_stream::StreamExt`) to consume it, or call [`next`](Self::next).
#[must_use = "a stream does nothing until polled"]
pub struct Pages<T> {
    client: Client,
    paging: Paging,
    model: &'static str,
    decode: fn(&Response, &'static str) -> Result<Page<T>, Error>,
    /// The request of the next page to fetch one after another.
    next: Option<Result<Request, Error>>,
    buffer: VecDeque<T>,
    /// Pages in flight, in page order.
    fetching: VecDeque<Slot<T>>,
    /// How many pages may be in flight.
    concurrency: usize,
    /// With concurrency: the first page's request, and the numbers of the pages still to
    /// ask for (from the next one to the first page's `pageCount`).
    schedule: Option<(Request, std::ops::RangeInclusive<i64>)>,
    pages: u64,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("paging", &self.paging)
            .field("model", &self.model)
            .field("concurrency", &self.concurrency)
            .field("pages_fetched", &self.pages)
            .field("in_flight", &self.fetching.len())
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
        fetching: VecDeque::new(),
        concurrency: 1,
        schedule: None,
        pages: 0,
    }
}

impl<T: Send + 'static> Pages<T> {
    /// Fetches up to `pages` pages at once (at most [`MAX_CONCURRENT_PAGES`]), for
    /// exporting large collections: after the first page, which says how many there are
    /// (`pageCount`), the next ones are asked for together, each with the client's retries,
    /// and their items still come in page order. Only page-numbered listings with a
    /// `pageCount` go faster; the others are fetched one page after another as before.
    ///
    /// An empty page or an error ends the stream as it does one page at a time; pages
    /// already asked for beyond it are dropped. Mind the API's rate limits: each page is a
    /// request (a 429 is retried as usual).
    ///
    /// ```no_run
    /// # async fn run<T: Send + 'static>(pages: genesys_cloud::runtime::Pages<T>) -> Result<(), genesys_cloud::Error> {
    /// let items = pages.concurrent(8).try_collect().await?;
    /// # let _ = items;
    /// # Ok(()) }
    /// ```
    pub fn concurrent(mut self, pages: usize) -> Self {
        self.concurrency = pages.clamp(1, MAX_CONCURRENT_PAGES);
        self
    }

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
            self.fill();
            for slot in &mut self.fetching {
                if let Slot::Pending(fetch) = slot {
                    if let Poll::Ready(result) = fetch.as_mut().poll(cx) {
                        *slot = Slot::Done(result);
                    }
                }
            }
            match self.fetching.front() {
                Some(Slot::Pending(_)) => return Poll::Pending,
                Some(Slot::Done(_)) => {
                    let Some(Slot::Done(result)) = self.fetching.pop_front() else {
                        unreachable!("the front slot was just seen done");
                    };
                    if let Err(error) = self.take(result) {
                        return Poll::Ready(Some(Err(error)));
                    }
                }
                None => match self.next.take() {
                    None => return Poll::Ready(None),
                    Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                    Some(Ok(request)) => {
                        let fetch = self.fetch(request);
                        self.fetching.push_back(Slot::Pending(fetch));
                    }
                },
            }
        }
    }

    /// Takes in a fetched page: its items go to the buffer, and what comes after it is
    /// decided (the next request, the schedule of concurrent pages, or the end). An error
    /// ends the listing, dropping the pages in flight.
    fn take(&mut self, result: Result<Fetched<T>, Error>) -> Result<(), Error> {
        let fetched = match result {
            Ok(fetched) => fetched,
            Err(error) => {
                self.stop();
                return Err(error);
            }
        };
        self.pages += 1;
        let empty = fetched.items.is_empty();
        self.buffer.extend(fetched.items);
        if self.schedule.is_some() {
            if empty {
                self.stop();
            }
            return Ok(());
        }
        match (
            self.concurrency > 1,
            self.paging,
            fetched.count,
            fetched.next,
        ) {
            (true, Paging::PageNumber(_), Some(count), Some(next)) => {
                self.schedule = Some((next, fetched.number + 1..=count));
            }
            (_, _, _, next) => self.next = next.map(Ok),
        }
        Ok(())
    }

    /// With a schedule, asks for pages until `concurrency` are in flight.
    fn fill(&mut self) {
        while self.fetching.len() < self.concurrency {
            let Some((template, numbers)) = &mut self.schedule else {
                return;
            };
            let (Some(number), Paging::PageNumber(param)) = (numbers.next(), self.paging) else {
                return;
            };
            let mut request = template.clone();
            request.set_query(param, number.to_string());
            let fetch = self.fetch(request);
            self.fetching.push_back(Slot::Pending(fetch));
        }
    }

    /// Ends the listing: nothing in flight, nothing more to ask for.
    fn stop(&mut self) {
        self.fetching.clear();
        self.schedule = None;
        self.next = None;
    }

    /// Fetches one page and works out the request after it.
    fn fetch(&self, request: Request) -> Fetch<T> {
        let client = self.client.clone();
        let (paging, model, decode) = (self.paging, self.model, self.decode);
        Box::pin(async move {
            let response = client.execute(request.clone()).await?;
            let page = decode(&response, model)?;
            let next = next_request(&request, paging, &page);
            Ok(Fetched {
                number: page_number(&request, paging, &page),
                count: page.page_count,
                next,
                items: page.items,
            })
        })
    }
}

impl<T: Send + 'static> futures_core::Stream for Pages<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

// `Pages` holds no self-references: the fetches in flight are boxed.
impl<T> Unpin for Pages<T> {}

/// The number of `page`, fetched with `request`: the page's own `pageNumber`, else the
/// request's, else 1.
fn page_number<T>(request: &Request, paging: Paging, page: &Page<T>) -> i64 {
    let from_request = match paging {
        Paging::PageNumber(param) => request.query_value(param).and_then(|v| v.parse().ok()),
        _ => None,
    };
    page.page_number.or(from_request).unwrap_or(1)
}

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
            let number = page_number(current, paging, page);
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
