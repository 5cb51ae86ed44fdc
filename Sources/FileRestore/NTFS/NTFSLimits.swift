/// The limits that keep the NTFS reader's memory and work bounded on hostile volumes.
enum NTFSLimits {
    /// The most runs one attribute's runlist may decode to, over all its extents.
    static let runsPerStream = 1 << 20
    /// The most extension records an attribute list may name.
    static let extensionRecords = 4096
    /// The largest attribute list read (bytes).
    static let attributeListBytes = 1 << 20
    /// The deepest directory index B-tree walked.
    static let indexDepth = 32
    /// The most index records one directory walk may visit.
    static let indexRecordsPerDirectory = 1 << 20
    /// The most entries one directory listing returns.
    static let entriesPerDirectory = 2_000_000
    /// The largest resident-or-not metadata value read whole ($REPARSE_POINT, $UpCase, $BITMAP).
    static let metadataBytes = 16 << 20
    /// The most path components a lookup walks.
    static let pathComponents = 4096
}
