/// One page of a listing: its elements and the token of the next page.
public struct AzurePage<Element: Sendable>: Sendable {
    /// The elements of the page.
    public var elements: [Element]
    /// The continuation token (`NextMarker`, `nextLink`), or `nil` on the last page.
    public var next: String?

    /// Creates a page.
    public init(elements: [Element], next: String?) {
        self.elements = elements
        self.next = next
    }
}

/// An `AsyncSequence` over every element of a paged listing, fetching pages lazily.
///
/// It stops when a page has no continuation token, an empty one, or the same token as the page
/// before it, so a misbehaving server cannot make it loop forever.
public struct AzurePagedSequence<Element: Sendable>: AsyncSequence, Sendable {
    /// Fetches the page for a token (`nil` for the first page).
    public typealias FetchPage = @Sendable (String?) async throws -> AzurePage<Element>

    let fetch: FetchPage

    /// Creates a sequence from a page fetcher.
    public init(fetch: @escaping FetchPage) {
        self.fetch = fetch
    }

    /// Iterates elements across pages.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let fetch: FetchPage
        var buffer: [Element] = []
        var index = 0
        var token: String?
        var started = false
        var finished = false

        /// The next element, or `nil` at the end.
        public mutating func next() async throws -> Element? {
            while index >= buffer.count {
                if finished { return nil }
                try Task.checkCancellation()
                let previous = token
                let page = try await fetch(started ? token : nil)
                started = true
                buffer = page.elements
                index = 0
                token = page.next
                if page.next == nil || page.next?.isEmpty == true || (previous != nil && page.next == previous) {
                    finished = true
                }
            }
            defer { index += 1 }
            return buffer[index]
        }
    }

    /// Starts iterating.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(fetch: fetch)
    }

    /// Collects every element into an array (use only for listings known to be small).
    public func collect() async throws -> [Element] {
        var result: [Element] = []
        for try await element in self { result.append(element) }
        return result
    }
}
