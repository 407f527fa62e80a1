import AsyncSinks

/// The line form of the field keys or messages written lately (` key=` or `msg="text"` in logfmt,
/// `,"key":` or `{"msg":"text"` in JSON), so that a text written at the same place in an earlier
/// line is copied as bytes instead of being checked, quoted or escaped again.
///
/// Structured logging repeats both: a call site writes the same message and the same keys, string
/// literals, in the same order on every call. A text is kept in a slot chosen by its place in the
/// line and its length in bytes, so that texts of other call sites mostly keep slots of their own.
///
/// A hit costs a string comparison, which for the same literal, or the same short text (held
/// inline in the string), compares the two words the strings are made of; texts compare equal
/// only when they are equal, so a form is never used for another text.
///
/// A miss keeps the new form, replacing the slot's. When lines stop repeating (interpolated
/// messages, keys built at run time), every miss would pay for a lookup and a copy that are never
/// used: after ``missStreakLimit`` misses without a hit, the cache is not used for the next
/// ``pauseLength`` texts, then tried again. Forms longer than ``formCapacity`` are never kept.
///
/// Used by one thread at a time (the sink's writer).
final class LineFormCache {
    /// The number of slots (a power of two).
    static let slotCount = 64
    /// The misses in a row, without a hit, after which the cache is not used for a while.
    static let missStreakLimit = 64
    /// The texts after a long miss streak for which the cache is not used.
    static let pauseLength = 4_096

    /// What decides whether the cache is used, behind a pointer so that the hit path updates it
    /// with a plain store (no exclusivity check).
    private struct Keeping {
        /// Misses since the last hit.
        var missStreak = 0
        /// Texts still to pass before the cache is used again.
        var paused = 0
    }

    /// The longest form kept, in bytes (a multiple of 16).
    let formCapacity: Int
    /// The text of each slot's form (empty until the slot is filled).
    private let texts: UnsafeMutablePointer<String>
    /// The length of each slot's form; 0 for an empty slot.
    private let lengths: UnsafeMutablePointer<Int>
    /// The forms, ``formCapacity`` bytes per slot.
    private let forms: UnsafeMutableRawPointer
    /// The miss streak and the pause.
    private let keeping: UnsafeMutablePointer<Keeping>

    /// Creates an empty cache.
    ///
    /// - Parameter formCapacity: The longest form kept, in bytes; rounded up to a multiple of 16.
    init(formCapacity: Int) {
        self.formCapacity = (max(16, formCapacity) + 15) & ~15
        texts = .allocate(capacity: Self.slotCount)
        texts.initialize(repeating: "", count: Self.slotCount)
        lengths = .allocate(capacity: Self.slotCount)
        lengths.initialize(repeating: 0, count: Self.slotCount)
        forms = .allocate(byteCount: Self.slotCount * self.formCapacity, alignment: 16)
        forms.initializeMemory(as: UInt8.self, repeating: 0, count: Self.slotCount * self.formCapacity)
        keeping = .allocate(capacity: 1)
        keeping.initialize(to: Keeping())
    }

    /// A cache for field keys (` key=`, `,"key":`): keys are short, and 32 bytes hold most forms.
    static func forKeys() -> LineFormCache { LineFormCache(formCapacity: 32) }

    /// A cache for the starts of lines with their message (`msg="text"`, `{"msg":"text"`): 128
    /// bytes hold most messages.
    static func forMessages() -> LineFormCache { LineFormCache(formCapacity: 128) }

    deinit {
        texts.deinitialize(count: Self.slotCount)
        texts.deallocate()
        lengths.deallocate()
        forms.deallocate()
        keeping.deallocate()
    }

    /// The slot for a text with `byteCount` UTF-8 bytes written at `place` of a line (the field's
    /// number among those written to the line, counted from 0).
    @inline(__always)
    static func slot(place: Int, byteCount: Int) -> Int {
        (place &* 17 &+ byteCount) & (slotCount - 1)
    }

    /// Whether to look the next text up (and keep it on a miss); false while the cache is paused,
    /// and each call counts the pause down.
    @inline(__always)
    func isLooking() -> Bool {
        guard keeping.pointee.paused > 0 else { return true }
        keeping.pointee.paused &-= 1
        return false
    }

    /// Appends the form kept in `slot` to `buffer` when the slot holds `text`; returns whether it did.
    @inline(__always)
    func appendForm(of text: String, slot: Int, to buffer: LineBuffer) -> Bool {
        let length = lengths[slot]
        guard length > 0, texts[slot] == text else { return false }
        keeping.pointee.missStreak = 0
        let source = forms + slot &* formCapacity
        buffer.appendUninitialized(maximum: formCapacity) { destination in
            // Whole 16-byte chunks: the room reserved and the slot are multiples of 16 bytes.
            let target = UnsafeMutableRawPointer(destination)
            var offset = 0
            repeat {
                target.storeBytes(of: source.load(fromByteOffset: offset, as: SIMD16<UInt8>.self), toByteOffset: offset, as: SIMD16<UInt8>.self)
                offset &+= 16
            } while offset < length
            return length
        }
        return true
    }

    /// After a miss: keeps the bytes of `buffer` from `start` to its end as the form of `text` in
    /// `slot`, unless the form is longer than ``formCapacity`` (the slot is then emptied), or this
    /// miss ends a long streak (the cache then pauses).
    func keep(_ text: String, slot: Int, formFrom start: Int, of buffer: LineBuffer) {
        keeping.pointee.missStreak += 1
        if keeping.pointee.missStreak > Self.missStreakLimit {
            keeping.pointee.missStreak = 0
            keeping.pointee.paused = Self.pauseLength
            return
        }
        let length = buffer.count &- start
        guard length > 0, length <= formCapacity else {
            lengths[slot] = 0
            return
        }
        (forms + slot &* formCapacity).copyMemory(from: buffer.base + start, byteCount: length)
        texts[slot] = text
        lengths[slot] = length
    }
}
