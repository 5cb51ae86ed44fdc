import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

/// The Queue service of one storage account: queues, messages, visibility timeouts, pop receipts, dequeue
/// counts and time-to-live.
struct QueueService: Sendable {
    let cloud: CloudServices

    /// The largest message text, in UTF-8 bytes.
    static let maximumMessageSize = 64 * 1024
    static let maximumVisibilityTimeout = 604_800

    func handle(_ request: StorageRequest) async throws -> Response {
        let store = try cloud.storage.queueStore(request.account.name)
        let authenticator = StorageAuthenticator(request: request, tokens: cloud.identity.tokens)
        let now = Date()
        let operation = request.operationName
        let segments = request.resourceSegments
        switch operation {
        case "ListQueues":
            _ = try authenticator.authorize(permission: "l", level: "s")
            return list(request, store: store)
        case "CreateQueue":
            _ = try authenticator.authorize(permission: "cw", level: "c")
            let name = segments[0]
            guard Self.isQueueName(name) else {
                throw StorageError(
                    .badRequest,
                    "InvalidResourceName",
                    "The specifed resource name contains invalid characters."
                )
            }
            let metadata = BlobService.metadata(request)
            let record = QueueRecord(name: name, metadata: metadata, created: now)
            if let existing = try await FileIO.run({ try store.create(record) }) {
                guard existing.metadata == metadata else {
                    throw StorageError(.conflict, "QueueAlreadyExists", "The specified queue already exists.")
                }
                return Response(status: .noContent)
            }
            return Response(status: .created, headers: [.contentLength: "0"])
        case "DeleteQueue":
            _ = try authenticator.authorize(permission: "d", level: "c")
            let name = segments[0]
            guard try await FileIO.run({ store.delete(name) }) else { throw QueueStore.queueNotFound }
            return Response(status: .noContent)
        case "GetQueueMetadata":
            _ = try authenticator.authorize(permission: "r", level: "c")
            guard let queue = store.queue(segments[0]) else { throw QueueStore.queueNotFound }
            var response = Response(status: .ok, headers: [.contentLength: "0"])
            response.headers.set(
                "x-ms-approximate-messages-count",
                String(store.approximateCount(queue.name, now: now))
            )
            for (key, value) in queue.metadata { response.headers.set("x-ms-meta-\(key)", value) }
            return response
        case "SetQueueMetadata":
            _ = try authenticator.authorize(permission: "w", level: "c")
            let (name, metadata) = (segments[0], BlobService.metadata(request))
            guard try await FileIO.run({ try store.setMetadata(name, metadata) }) else {
                throw QueueStore.queueNotFound
            }
            return Response(status: .noContent)
        case "PutMessage":
            _ = try authenticator.authorize(permission: "a", level: "o")
            return try await put(request, queue: segments[0], store: store, now: now)
        case "GetMessages":
            _ = try authenticator.authorize(permission: "p", level: "o")
            let name = segments[0]
            return try await FileIO.run { try get(request, queue: name, store: store, now: now) }
        case "PeekMessages":
            _ = try authenticator.authorize(permission: "r", level: "o")
            let count = try Self.count(request)
            let messages = try store.peek(segments[0], limit: count, now: now)
            return Self.messageList(messages, peek: true)
        case "DeleteMessage":
            _ = try authenticator.authorize(permission: "pd", level: "o")
            guard let receipt = request.query("popreceipt") else { throw StorageError.missingQuery("popreceipt") }
            let (name, id) = (segments[0], segments[2])
            try await FileIO.run { try store.deleteMessage(name, id: id, popReceipt: receipt, now: now) }
            return Response(status: .noContent)
        case "UpdateMessage":
            _ = try authenticator.authorize(permission: "u", level: "o")
            return try await update(request, queue: segments[0], id: segments[2], store: store, now: now)
        case "ClearMessages":
            _ = try authenticator.authorize(permission: "dp", level: "o")
            let name = segments[0]
            try await FileIO.run { try store.clear(name) }
            return Response(status: .noContent)
        default:
            _ = try authenticator.authorize(permission: "rwdlacup", level: "o")
            throw StorageError.unsupported("\(request.method.rawValue) \(request.parts.rawPath)")
        }
    }

    private func put(_ request: StorageRequest, queue: String, store: QueueStore, now: Date) async throws -> Response {
        guard store.queue(queue) != nil else { throw QueueStore.queueNotFound }
        var ttl = 7 * 86_400
        if let text = request.query("messagettl") {
            guard let value = Int(text), value == -1 || value >= 1 else {
                throw StorageError.outOfRange("messagettl", text, minimum: 1, maximum: Int(Int32.max))
            }
            ttl = value
        }
        var visibility = 0
        if let text = request.query("visibilitytimeout") {
            guard let value = Int(text), value >= 0, value <= Self.maximumVisibilityTimeout, ttl == -1 || value < ttl
            else {
                throw StorageError.outOfRange(
                    "visibilitytimeout",
                    text,
                    minimum: 0,
                    maximum: Self.maximumVisibilityTimeout
                )
            }
            visibility = value
        }
        let text = try await Self.messageText(request, required: true) ?? ""
        let record = QueueMessageRecord(
            id: UUID().uuidString.lowercased(),
            text: text,
            insertion: now,
            expiration: ttl == -1 ? nil : now.addingTimeInterval(TimeInterval(ttl)),
            nextVisible: now.addingTimeInterval(TimeInterval(visibility)),
            popReceipt: Self.newPopReceipt(),
            dequeueCount: 0,
            sequence: 0
        )
        let message = try await FileIO.run { try store.put(queue, record) }
        var response = Self.messageList([message], peek: false, includeText: false)
        response.status = .created
        return response
    }

    private func get(_ request: StorageRequest, queue: String, store: QueueStore, now: Date) throws -> Response {
        let count = try Self.count(request)
        var visibility = 30
        if let text = request.query("visibilitytimeout") {
            guard let value = Int(text), value >= 1, value <= Self.maximumVisibilityTimeout else {
                throw StorageError.outOfRange(
                    "visibilitytimeout",
                    text,
                    minimum: 1,
                    maximum: Self.maximumVisibilityTimeout
                )
            }
            visibility = value
        }
        let messages = try store.dequeue(queue, limit: count, now: now) { message in
            message.dequeueCount += 1
            message.popReceipt = Self.newPopReceipt()
            message.nextVisible = now.addingTimeInterval(TimeInterval(visibility))
        }
        var response = Self.messageList(messages, peek: false)
        response.headers[.cacheControl] = "no-cache"
        return response
    }

    private func update(_ request: StorageRequest, queue: String, id: String, store: QueueStore, now: Date) async throws
        -> Response
    {
        guard let receipt = request.query("popreceipt") else { throw StorageError.missingQuery("popreceipt") }
        guard let text = request.query("visibilitytimeout") else {
            throw StorageError.missingQuery("visibilitytimeout")
        }
        guard let visibility = Int(text), visibility >= 0, visibility <= Self.maximumVisibilityTimeout else {
            throw StorageError.outOfRange("visibilitytimeout", text, minimum: 0, maximum: Self.maximumVisibilityTimeout)
        }
        let newText = try await Self.messageText(request, required: false)
        let message = try await FileIO.run {
            try store.update(queue, id: id, popReceipt: receipt, now: now) { message in
                message.popReceipt = Self.newPopReceipt()
                message.nextVisible = now.addingTimeInterval(TimeInterval(visibility))
                if let newText { message.text = newText }
            }
        }
        var response = Response(status: .noContent)
        response.headers.set("x-ms-popreceipt", message.popReceipt ?? "")
        response.headers.set("x-ms-time-next-visible", HTTPDate.rfc1123(message.nextVisible))
        return response
    }

    private func list(_ request: StorageRequest, store: QueueStore) -> Response {
        let prefix = request.query("prefix") ?? ""
        let marker = request.query("marker") ?? ""
        let maximum = max(1, min(5000, request.query("maxresults").flatMap(Int.init) ?? 5000))
        let includeMetadata = request.query("include")?.lowercased().contains("metadata") ?? false
        let all = store.queues().filter { $0.name.hasPrefix(prefix) && $0.name >= marker }
        var xml = XMLWriter()
        let host = request.request.head.authority ?? "127.0.0.1"
        xml.open(
            "EnumerationResults",
            attributes: [
                (
                    "ServiceEndpoint",
                    "\(request.isTLS ? "https" : "http")://\(host)/\(request.account.name)\(StorageService.queueSuffix)/"
                )
            ]
        )
        if request.query("prefix") != nil { xml.element("Prefix", prefix) }
        if request.query("marker") != nil { xml.element("Marker", marker) }
        if request.query("maxresults") != nil { xml.element("MaxResults", String(maximum)) }
        xml.open("Queues")
        for queue in all.prefix(maximum) {
            xml.open("Queue")
            xml.element("Name", queue.name)
            if includeMetadata {
                xml.open("Metadata")
                for key in queue.metadata.keys.sorted() { xml.element(key, queue.metadata[key] ?? "") }
                xml.close("Metadata")
            }
            xml.close("Queue")
        }
        xml.close("Queues")
        xml.element("NextMarker", all.count > maximum ? all[maximum].name : "")
        xml.close("EnumerationResults")
        return BlobListing.document(xml)
    }

    private static func messageText(_ request: StorageRequest, required: Bool) async throws -> String? {
        let body = try await request.request.collectBody(limit: 4 * maximumMessageSize)
        guard body.readableBytes > 0 else {
            if required {
                throw StorageError(.badRequest, "InvalidXmlDocument", "XML specified is not syntactically valid.")
            }
            return nil
        }
        let document = String(decoding: body.readableBytesView, as: UTF8.self)
        guard let text = SimpleXML.elements(["MessageText"], in: document).first?.value else {
            if document.contains("<MessageText />") || document.contains("<MessageText/>") { return "" }
            throw StorageError(.badRequest, "InvalidXmlDocument", "XML specified is not syntactically valid.")
        }
        guard text.utf8.count <= maximumMessageSize else {
            throw StorageError(
                .badRequest,
                "MessageTooLarge",
                "The message exceeds the maximum allowed size.",
                details: [("MaxLimit", String(maximumMessageSize))]
            )
        }
        return text
    }

    private static func count(_ request: StorageRequest) throws -> Int {
        guard let text = request.query("numofmessages") else { return 1 }
        guard let value = Int(text), (1...32).contains(value) else {
            throw StorageError.outOfRange("numofmessages", text, minimum: 1, maximum: 32)
        }
        return value
    }

    private static func messageList(_ messages: [QueueMessageRecord], peek: Bool, includeText: Bool = true) -> Response
    {
        var xml = XMLWriter()
        xml.open("QueueMessagesList")
        for message in messages {
            xml.open("QueueMessage")
            xml.element("MessageId", message.id)
            xml.element("InsertionTime", HTTPDate.rfc1123(message.insertion))
            xml.element("ExpirationTime", HTTPDate.rfc1123(message.expiration ?? Self.never))
            if !peek {
                xml.element("PopReceipt", message.popReceipt ?? "")
                xml.element("TimeNextVisible", HTTPDate.rfc1123(message.nextVisible))
            }
            if includeText {
                xml.element("DequeueCount", String(message.dequeueCount))
                xml.element("MessageText", message.text)
            }
            xml.close("QueueMessage")
        }
        xml.close("QueueMessagesList")
        return BlobListing.document(xml)
    }

    /// 9999-12-31T23:59:59Z, the expiry shown for messages that never expire.
    static let never = Date(timeIntervalSince1970: 253_402_300_799)

    static func newPopReceipt() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        return Data(bytes).base64EncodedString()
    }

    /// Queue names: 3–63 lowercase letters, digits and single hyphens, not starting or ending with a hyphen.
    static func isQueueName(_ name: String) -> Bool {
        guard (3...63).contains(name.count), !name.hasPrefix("-"), !name.hasSuffix("-"), !name.contains("--") else {
            return false
        }
        return name.allSatisfy {
            ($0.isLowercase && $0.isASCII && $0.isLetter) || ($0.isNumber && $0.isASCII) || $0 == "-"
        }
    }
}

extension StorageError {
    /// 400 for a missing required query parameter.
    static func missingQuery(_ name: String) -> StorageError {
        StorageError(
            .badRequest,
            "MissingRequiredQueryParameter",
            "A query parameter that's mandatory for this request is not specified.",
            details: [("QueryParameterName", name)]
        )
    }
}
