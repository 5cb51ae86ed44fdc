import AzureKit
import HTTPTypes

/// The platform image catalog, read-only, in Azure's shape:
/// `locations/{region}/publishers[/{p}/artifacttypes/vmimage/offers[/{o}/skus[/{s}/versions[/{v}]]]]`.
///
/// Lists are plain JSON arrays of `{name, location, id}` (as Azure answers them, without `value` or paging); one
/// version is a `VirtualMachineImage` with its OS disk image, generation and architecture. Versions honour `$top`
/// and `$orderby=name desc`, which clients use to resolve `latest`.
extension ComputeProvider {
    func handleImages(_ request: ARMRequest, cloud: CloudServices) throws -> ARMResponse {
        let segments = request.typeSegments.map { $0.lowercased() }
        guard segments.count >= 3, segments[2] == "publishers" else { throw ProviderSupport.notFound(request) }
        guard request.method == .get else {
            throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
        }
        let region = try cloud.region(request.typeSegments[1])
        let names = Array(request.typeSegments.dropFirst(3))
        let scope = ImageScope(subscription: request.subscriptionID, region: region)
        var entries = ImageReference.catalog
        // Below `publishers` the path alternates names and fixed words: P artifacttypes vmimage offers O skus S
        // versions V. Each name narrows the catalog; the collection after the last name is what is listed.
        let fixedWords = [1: "artifacttypes", 2: "vmimage", 3: "offers", 5: "skus", 7: "versions"]
        guard names.count <= 9 else { throw ProviderSupport.notFound(request) }
        for (index, name) in names.enumerated() {
            if let word = fixedWords[index] {
                guard name.lowercased() == word else { throw ProviderSupport.notFound(request) }
                continue
            }
            let wanted = name.lowercased()
            entries = entries.filter { entry in
                switch index {
                case 0: entry.image.publisher?.lowercased() == wanted
                case 4: entry.image.offer?.lowercased() == wanted
                case 6: entry.image.sku?.lowercased() == wanted
                default: entry.exactVersion.lowercased() == wanted
                }
            }
            guard !entries.isEmpty else { throw Self.imageNotFound }
        }
        switch names.count {
        case 0, 4, 6:
            return .ok(scope.list(entries, depth: names.count))
        case 8:
            var versions = scope.distinct(entries, depth: 8)
            versions.sort { $0.name.lowercased() < $1.name.lowercased() }
            if request.query("$orderby")?.lowercased().hasSuffix("desc") == true { versions.reverse() }
            if let top = request.query("$top").flatMap(Int.init), top >= 0 { versions = Array(versions.prefix(top)) }
            return .ok(.array(versions.map { scope.item($0.name, path: $0.path) }))
        case 9:
            guard let entry = entries.first else { throw Self.imageNotFound }
            return .ok(scope.image(entry))
        default:
            throw ProviderSupport.notFound(request)
        }
    }

    /// 404 as Azure answers for a publisher, offer, SKU or version it does not offer.
    static var imageNotFound: ARMError {
        ARMError(.notFound, "NotFound", "Artifact: VMImage was not found.", target: "imageReference")
    }
}

/// IDs and bodies of catalog items in one subscription and region.
struct ImageScope {
    let subscription: String
    let region: String

    /// `/Subscriptions/S/Providers/Microsoft.Compute/Locations/R/Publishers/…`, capitalised as Azure writes it.
    func id(_ path: [String]) -> String {
        let capitalised = path.enumerated().map { index, part -> String in
            switch index {
            case 1: "ArtifactTypes"
            case 2: "VMImage"
            case 3: "Offers"
            case 5: "Skus"
            case 7: "Versions"
            default: part
            }
        }
        return "/Subscriptions/\(subscription)/Providers/Microsoft.Compute/Locations/\(region)/Publishers/"
            + capitalised.joined(separator: "/")
    }

    /// The ID of a catalog entry's exact version.
    func id(_ entry: ImageReference.CatalogEntry) -> String {
        id(Self.path(of: entry, depth: 9))
    }

    /// `{name, location, id}`.
    func item(_ name: String, path: [String]) -> AzureJSON {
        ["name": .string(name), "location": .string(region), "id": .string(id(path))]
    }

    /// The catalog path of `entry` down to `depth` names (1 publisher, 5 offer, 7 SKU, 9 version).
    static func path(of entry: ImageReference.CatalogEntry, depth: Int) -> [String] {
        let full = [
            entry.image.publisher ?? "", "artifacttypes", "vmimage", "offers", entry.image.offer ?? "", "skus",
            entry.image.sku ?? "", "versions", entry.exactVersion,
        ]
        return Array(full.prefix(depth))
    }

    /// The distinct items one level below `depth` request names (0, 4, 6 or 8), with their catalog paths.
    func distinct(_ entries: [ImageReference.CatalogEntry], depth: Int) -> [(name: String, path: [String])] {
        var seen: Set<String> = []
        var result: [(name: String, path: [String])] = []
        for entry in entries {
            let path = Self.path(of: entry, depth: depth + 1)
            guard let name = path.last, seen.insert(name.lowercased()).inserted else { continue }
            result.append((name, path))
        }
        return result
    }

    /// The items one level below `depth` request names, as Azure lists them.
    func list(_ entries: [ImageReference.CatalogEntry], depth: Int) -> AzureJSON {
        .array(distinct(entries, depth: depth).map { item($0.name, path: $0.path) })
    }

    /// One version: a `VirtualMachineImage`.
    func image(_ entry: ImageReference.CatalogEntry) -> AzureJSON {
        let bytes = Int64(entry.diskSizeGB) << 30
        return [
            "name": .string(entry.exactVersion), "location": .string(region), "id": .string(id(entry)),
            "properties": [
                "hyperVGeneration": .string(entry.generation), "architecture": "x64", "replicaType": "Unmanaged",
                "osDiskImage": [
                    "operatingSystem": "Linux", "sizeInGb": .integer(Int64(entry.diskSizeGB)),
                    "sizeInBytes": .integer(bytes),
                ],
                "dataDiskImages": [], "disallowed": ["vmDiskType": "None"],
                "automaticOSUpgradeProperties": ["automaticOSUpgradeSupported": false],
                "imageDeprecationStatus": ["imageState": "Active"],
            ],
        ]
    }
}
