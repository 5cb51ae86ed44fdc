import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A client for the Queue service of one storage account.
///
/// Message text is sent as given inside `<MessageText>` (XML-escaped). Callers that need arbitrary
/// bytes should base64-encode them; ``putMessage(queue:text:visibilityTimeout:timeToLive:logger:)``
/// rejects text whose encoded form exceeds 64 KiB before sending.
public struct QueueClient: Sendable, CustomStringConvertible {
    /// The largest message the service accepts, in bytes of encoded UTF-8 text.
    public static let maxMessageBytes = 64 * 1024
    /// The most messages one Get Messages returns.
    public static let maxMessagesPerGet = 32
    /// The longest visibility timeout, seven days.
    public static let maxVisibilityTimeout: Duration = .seconds(604_800)
    /// The most bytes ``putMessage(queue:data:visibilityTimeout:timeToLive:logger:)`` accepts: base64
    /// turns every 3 bytes into 4 characters, so 48 KiB is what fits in the 64 KiB message limit.
    public static let maxBase64MessageBytes = maxMessageBytes / 4 * 3

    /// The underlying service client.
    public var service: StorageServiceClient

    /// Creates a client for a Queue endpoint.
    public init(client: AzureClient, endpoint: URL, authorization: StorageAuthorization) {
        self.service = StorageServiceClient(client: client, endpoint: endpoint, authorization: authorization)
    }

    /// Creates a client for the Queue service of `account` in `environment`.
    public init(
        client: AzureClient,
        environment: AzureEnvironment,
        account: String,
        authorization: StorageAuthorization
    ) throws {
        guard let endpoint = environment.storageEndpoint(account: account, service: .queue) else {
            throw AzureError(.configuration, message: "No Queue endpoint is configured for storage account \(account).")
        }
        self.init(client: client, endpoint: endpoint, authorization: authorization)
    }

    /// A description without secrets.
    public var description: String { "QueueClient(\(service))" }

    /// Creates a queue; returns `false` if it already existed (204, or 409 with other metadata).
    @discardableResult
    public func createQueue(_ queue: String, logger: Logger) async throws -> Bool {
        do {
            let (response, _) = try await service.sendBuffered(
                service.request(.PUT, [queue]),
                operation: "queue.create",
                logger: logger
            )
            return response.status == .created
        } catch let error as AzureError where error.isConflict && error.azureCode == "QueueAlreadyExists" {
            return false
        }
    }

    /// Deletes a queue; returns `false` if it did not exist.
    @discardableResult
    public func deleteQueue(_ queue: String, logger: Logger) async throws -> Bool {
        do {
            _ = try await service.sendBuffered(
                service.request(.DELETE, [queue]),
                operation: "queue.delete",
                logger: logger
            )
            return true
        } catch let error as AzureError where error.isNotFound {
            return false
        }
    }

    /// Puts a message on a queue (Put Message).
    /// - Parameters:
    ///   - visibilityTimeout: How long the message stays invisible (0 to 7 days).
    ///   - timeToLive: How long it lives; `nil` for the service default of 7 days, ``infiniteTimeToLive`` for never.
    /// - Returns: The new message (without text) with its ID and pop receipt.
    /// - Throws: ``AzureError`` with code ``AzureError/Code/invalidRequest`` when the encoded text exceeds 64 KiB.
    /// - Throws: ``AzureError`` with code ``AzureError/Code/invalidRequest`` when the time-to-live is
    ///   not positive (or infinite), or the visibility timeout is not shorter than it (Put Message,
    ///   "URI parameters").
    @discardableResult
    public func putMessage(
        queue: String,
        text: String,
        visibilityTimeout: Duration? = nil,
        timeToLive: Duration? = nil,
        logger: Logger
    ) async throws -> QueueMessage {
        let escaped = azureXMLEscape(text)
        guard escaped.utf8.count <= Self.maxMessageBytes else {
            throw AzureError(
                .invalidRequest,
                message:
                    "The message for queue \(queue) is \(escaped.utf8.count) bytes once encoded; the limit is \(Self.maxMessageBytes). Store large payloads in a blob and send its name.",
            )
        }
        var query: [(String, String)] = []
        var ttlSeconds: Int64?
        if let timeToLive, timeToLive != Self.infiniteTimeToLive {
            guard timeToLive >= .seconds(1) else {
                throw AzureError(
                    .invalidRequest,
                    message:
                        "A time-to-live for queue \(queue) must be at least 1 second or infinite, not \(timeToLive)."
                )
            }
            ttlSeconds = timeToLive.components.seconds
        }
        if let visibilityTimeout {
            let seconds = try Self.seconds(visibilityTimeout, queue: queue)
            guard seconds < (ttlSeconds ?? (timeToLive == nil ? Self.defaultTimeToLiveSeconds : .max)) else {
                throw AzureError(
                    .invalidRequest,
                    message:
                        "The visibility timeout of a message for queue \(queue) must be shorter than its time-to-live."
                )
            }
            query.append(("visibilitytimeout", String(seconds)))
        }
        if timeToLive != nil {
            query.append(("messagettl", ttlSeconds.map(String.init) ?? "-1"))
        }
        let xml =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>\(escaped)</MessageText></QueueMessage>"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/xml; charset=utf-8")
        let request = service.request(
            .POST,
            [queue, "messages"],
            query: query,
            headers: headers,
            body: AzureHTTPBody(string: xml)
        )
        let (_, body) = try await service.sendBuffered(request, operation: "queue.message.put", logger: logger)
        guard let message = try Self.decodeMessages(body).first else {
            throw AzureError(.invalidResponse, message: "Put Message on queue \(queue) returned no message.")
        }
        return message
    }

    /// A time-to-live meaning "never expires" (`messagettl=-1`).
    public static let infiniteTimeToLive: Duration = .seconds(-1)
    /// The service's default time-to-live, seven days.
    static let defaultTimeToLiveSeconds: Int64 = 604_800

    /// Puts `data` on a queue as base64 text (the convention of the Azure SDKs' base64 message
    /// encoding); read it back with ``QueueMessage/base64Data``.
    /// - Throws: ``AzureError`` with code ``AzureError/Code/invalidRequest`` when `data` exceeds
    ///   ``maxBase64MessageBytes`` (its base64 form would exceed 64 KiB).
    @discardableResult
    public func putMessage(
        queue: String,
        data: some Collection<UInt8>,
        visibilityTimeout: Duration? = nil,
        timeToLive: Duration? = nil,
        logger: Logger
    ) async throws -> QueueMessage {
        guard data.count <= Self.maxBase64MessageBytes else {
            throw AzureError(
                .invalidRequest,
                message:
                    "The message for queue \(queue) holds \(data.count) bytes, \((data.count + 2) / 3 * 4) once base64-encoded; at most \(Self.maxBase64MessageBytes) bytes fit in 64 KiB. Store large payloads in a blob and send its name.",
            )
        }
        return try await putMessage(
            queue: queue,
            text: Data(data).base64EncodedString(),
            visibilityTimeout: visibilityTimeout,
            timeToLive: timeToLive,
            logger: logger
        )
    }

    /// Receives up to `count` (1...32) messages, hiding them for `visibilityTimeout` (Get Messages;
    /// 1 second to 7 days, the service's default is 30 seconds).
    public func getMessages(queue: String, count: Int = 1, visibilityTimeout: Duration? = nil, logger: Logger)
        async throws
        -> [QueueMessage]
    {
        guard (1...Self.maxMessagesPerGet).contains(count) else {
            throw AzureError(
                .invalidRequest,
                message: "Get Messages on queue \(queue) asks for \(count) messages; ask for 1 to 32."
            )
        }
        var query = [("numofmessages", String(count))]
        if let visibilityTimeout {
            // Get Messages, unlike Put and Update Message, needs at least 1 second.
            let seconds = try Self.seconds(visibilityTimeout, queue: queue)
            guard seconds >= 1 else {
                throw AzureError(
                    .invalidRequest,
                    message: "Get Messages on queue \(queue) needs a visibility timeout of 1 second to 7 days."
                )
            }
            query.append(("visibilitytimeout", String(seconds)))
        }
        let (_, body) = try await service.sendBuffered(
            service.request(.GET, [queue, "messages"], query: query),
            operation: "queue.message.get",
            logger: logger
        )
        return try Self.decodeMessages(body)
    }

    /// Looks at up to `count` messages without changing their visibility (Peek Messages).
    public func peekMessages(queue: String, count: Int = 1, logger: Logger) async throws -> [QueueMessage] {
        guard (1...Self.maxMessagesPerGet).contains(count) else {
            throw AzureError(
                .invalidRequest,
                message: "Peek Messages on queue \(queue) asks for \(count) messages; ask for 1 to 32."
            )
        }
        let (_, body) = try await service.sendBuffered(
            service.request(
                .GET,
                [queue, "messages"],
                query: [("peekonly", "true"), ("numofmessages", String(count))]
            ),
            operation: "queue.message.peek",
            logger: logger
        )
        return try Self.decodeMessages(body)
    }

    /// Deletes a received message with its pop receipt (Delete Message).
    public func deleteMessage(queue: String, id: String, popReceipt: String, logger: Logger) async throws {
        _ = try await service.sendBuffered(
            service.request(.DELETE, [queue, "messages", id], query: [("popreceipt", popReceipt)]),
            operation: "queue.message.delete",
            logger: logger
        )
    }

    /// Changes a received message's visibility and optionally its text (Update Message).
    /// - Returns: The new pop receipt and next-visible time.
    public func updateMessage(
        queue: String,
        id: String,
        popReceipt: String,
        visibilityTimeout: Duration,
        text: String? = nil,
        logger: Logger
    ) async throws -> QueueMessageReceipt {
        var body = AzureHTTPBody.empty
        var headers = HTTPHeaders()
        if let text {
            let escaped = azureXMLEscape(text)
            guard escaped.utf8.count <= Self.maxMessageBytes else {
                throw AzureError(
                    .invalidRequest,
                    message:
                        "The new text for a message of queue \(queue) is \(escaped.utf8.count) bytes once encoded; the limit is \(Self.maxMessageBytes).",
                )
            }
            body = AzureHTTPBody(
                string:
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>\(escaped)</MessageText></QueueMessage>"
            )
            headers.add(name: "Content-Type", value: "application/xml; charset=utf-8")
        }
        let query = [
            ("popreceipt", popReceipt),
            ("visibilitytimeout", String(try Self.seconds(visibilityTimeout, queue: queue))),
        ]
        let (response, _) = try await service.sendBuffered(
            service.request(.PUT, [queue, "messages", id], query: query, headers: headers, body: body),
            operation: "queue.message.update",
            logger: logger
        )
        guard let receipt = response.headers.first(name: "x-ms-popreceipt") else {
            throw AzureError(.invalidResponse, message: "Update Message on queue \(queue) returned no x-ms-popreceipt.")
        }
        return QueueMessageReceipt(
            popReceipt: receipt,
            timeNextVisible: response.headers.first(name: "x-ms-time-next-visible").flatMap(AzureHTTPDate.parse)
        )
    }

    static func seconds(_ duration: Duration, queue: String) throws -> Int64 {
        let seconds = duration.components.seconds
        guard seconds >= 0, duration <= maxVisibilityTimeout else {
            throw AzureError(
                .invalidRequest,
                message: "A visibility timeout for queue \(queue) must be 0 to 7 days, not \(duration)."
            )
        }
        return seconds
    }

    /// Decodes a `QueueMessagesList` body.
    public static func decodeMessages(_ body: [UInt8]) throws -> [QueueMessage] {
        guard body.contains(where: { $0 == UInt8(ascii: "<") }) else { return [] }
        let root = try AzureXMLParser.parse(body)
        return try root.children(named: "QueueMessage").map { element in
            guard let id = element.childText("MessageId") else {
                throw AzureError(.invalidResponse, message: "A queue message in the answer has no <MessageId>.")
            }
            return QueueMessage(
                id: id,
                text: element.childText("MessageText") ?? "",
                popReceipt: element.nonEmptyChildText("PopReceipt"),
                dequeueCount: element.childText("DequeueCount").flatMap { Int($0) } ?? 0,
                insertionTime: element.childText("InsertionTime").flatMap(AzureHTTPDate.parse),
                expirationTime: element.childText("ExpirationTime").flatMap(AzureHTTPDate.parse),
                timeNextVisible: element.childText("TimeNextVisible").flatMap(AzureHTTPDate.parse)
            )
        }
    }
}
