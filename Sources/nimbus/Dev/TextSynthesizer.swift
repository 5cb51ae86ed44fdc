/// Produces text-like bytes: sentences of made-up words drawn from a skewed vocabulary, wrapped
/// into lines. The output compresses roughly like prose or logs, and never repeats long runs,
/// so block-level deduplication does not flatter the result.
struct TextSynthesizer: Sendable {
    private var random: SeededRandom
    private let words: [UInt8]
    private let wordStarts: [Int]
    private var column = 0
    private var wordsLeftInSentence = 0

    /// Creates a synthesizer whose vocabulary and output are determined by `seed`.
    init(seed: UInt64, vocabularySize: Int = 4096) {
        var random = SeededRandom(seed: seed)
        let syllables = [
            "ka", "to", "re", "mi", "sa", "lo", "ne", "di", "ur", "an", "el", "po", "vi", "ta", "gu", "be", "or", "is",
            "fe", "ch", "st", "on", "ar", "qu", "ex", "im", "th", "in", "ly", "er", "ment", "tion", "al", "ing",
        ]
        var words: [UInt8] = []
        var starts: [Int] = []
        for _ in 0..<vocabularySize {
            starts.append(words.count)
            let syllableCount = 1 + Int(random.below(4))
            for _ in 0..<syllableCount {
                words.append(contentsOf: syllables[Int(random.below(Int64(syllables.count)))].utf8)
            }
        }
        starts.append(words.count)
        self.random = random
        self.words = words
        self.wordStarts = starts
    }

    /// Fills `buffer` with text.
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var position = 0
        let count = buffer.count
        let vocabulary = Int64(wordStarts.count - 1)
        while position < count {
            // The product of two uniforms favours the first words, as natural language does.
            let skewed = Int64(random.unit() * random.unit() * Double(vocabulary))
            let index = Int(min(skewed, vocabulary - 1))
            let start = wordStarts[index]
            let length = wordStarts[index + 1] - start
            let startsSentence = wordsLeftInSentence == 0
            if startsSentence { wordsLeftInSentence = 6 + Int(random.below(14)) }
            for offset in 0..<length where position < count {
                var byte = words[start + offset]
                if startsSentence && offset == 0 { byte &= 0xDF }  // capitalise
                buffer[position] = byte
                position += 1
            }
            wordsLeftInSentence -= 1
            column += length
            guard position < count else { break }
            let separator: UInt8
            if wordsLeftInSentence == 0 {
                buffer[position] = UInt8(ascii: ".")
                position += 1
                guard position < count else { break }
                separator = column > 60 ? UInt8(ascii: "\n") : UInt8(ascii: " ")
            } else if column > 72 {
                separator = UInt8(ascii: "\n")
            } else if random.below(12) == 0 {
                buffer[position] = UInt8(ascii: ",")
                position += 1
                guard position < count else { break }
                separator = UInt8(ascii: " ")
            } else {
                separator = UInt8(ascii: " ")
            }
            buffer[position] = separator
            position += 1
            column = separator == UInt8(ascii: "\n") ? 0 : column + 1
        }
    }
}
