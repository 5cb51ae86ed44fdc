/// A file's base MFT record with the attributes of all its records gathered through `$ATTRIBUTE_LIST`.
struct NTFSFile: Sendable {
    let record: NTFSRecord
    /// Every attribute of the file, from its base record and extension records, without the list itself.
    let attributes: [NTFSAttribute]

    var number: UInt64 { record.number }

    /// The attributes (extents) of `type` named `name`.
    func attributes(_ type: UInt32, name: String = "") -> [NTFSAttribute] {
        attributes.filter { $0.type == type && $0.name == name }
    }

    /// The first resident value of `type`, if any.
    func value(_ type: UInt32, name: String = "") throws -> [UInt8]? {
        guard let attribute = attributes(type, name: name).first else { return nil }
        guard let value = attribute.value else {
            throw FileRestoreError(.damaged, "\(attribute.what) must be resident")
        }
        return value
    }

    var standardInformation: NTFSStandardInformation? {
        get throws {
            guard let value = try value(NTFSAttribute.Kind.standardInformation) else { return nil }
            return try NTFSStandardInformation(value, what: "$STANDARD_INFORMATION of MFT record \(number)")
        }
    }

    /// The stream of the attribute `type` named `name`, or `nil` if the file has none.
    func stream(_ type: UInt32, name: String = "", clusterSize: Int) throws -> NTFSStream? {
        let extents = attributes(type, name: name)
        return extents.isEmpty ? nil : try NTFSStream(extents, clusterSize: clusterSize)
    }
}
