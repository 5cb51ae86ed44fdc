import Foundation
import NIOCore
import NIOHTTP1

/// A message received from, peeked at, or put on a queue.
public struct QueueMessage: Sendable, Equatable {
    /// The message ID.
    public var id: String
    /// The message text as stored (AzureKit sends what it is given; see ``QueueClient``).
    public var text: String
    /// The pop receipt needed to delete or update the message (absent when peeked).
    public var popReceipt: String?
    /// How many times the message has been dequeued.
    public var dequeueCount: Int
    /// When the message was inserted.
    public var insertionTime: Date?
    /// When the message expires.
    public var expirationTime: Date?
    /// When the message becomes visible again.
    public var timeNextVisible: Date?

    /// The bytes of a message put with ``QueueClient/putMessage(queue:data:visibilityTimeout:timeToLive:logger:)``
    /// (its text decoded from base64), or `nil` when the text is not base64.
    public var base64Data: Data? { Data(base64Encoded: text) }

    /// Creates a message description.
    public init(
        id: String,
        text: String,
        popReceipt: String? = nil,
        dequeueCount: Int = 0,
        insertionTime: Date? = nil,
        expirationTime: Date? = nil,
        timeNextVisible: Date? = nil
    ) {
        self.id = id
        self.text = text
        self.popReceipt = popReceipt
        self.dequeueCount = dequeueCount
        self.insertionTime = insertionTime
        self.expirationTime = expirationTime
        self.timeNextVisible = timeNextVisible
    }
}

/// The receipt of an Update Message: the new pop receipt and when the message is visible again.
public struct QueueMessageReceipt: Sendable, Equatable {
    /// The new pop receipt (the old one is no longer valid).
    public var popReceipt: String
    /// When the message becomes visible.
    public var timeNextVisible: Date?
}
