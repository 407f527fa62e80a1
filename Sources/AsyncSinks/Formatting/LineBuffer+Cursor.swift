extension LineBuffer {
    /// A write position in a ``LineBuffer``'s storage, for code that writes a line in many small pieces.
    ///
    /// Appending through the buffer checks its capacity on every call. A cursor checks only in
    /// ``reserve(_:)``: the writer reserves room for a piece (a run of literals, a string's largest
    /// escaped form, a number's digits), then writes it with no further checks, and the buffer's
    /// count is updated once, when the cursor is committed. ``LineBuffer/withCursor(_:)`` creates a
    /// cursor and commits it.
    ///
    /// The `write` methods do not check the room left: every write must be covered by an earlier
    /// ``reserve(_:)`` (a reservation covers all the writes after it until their total reaches the
    /// reserved count). While a cursor is in use, nothing else may append to its buffer.
    ///
    /// A cursor does not keep its buffer alive (so making one costs no reference counting): use it
    /// only while the code that made it holds the buffer, as ``LineBuffer/withCursor(_:)`` and the
    /// formatters' `format` methods do.
    @usableFromInline
    package struct Cursor {
        /// The buffer written to, held by whoever made the cursor.
        @usableFromInline unowned(unsafe) let buffer: LineBuffer
        /// Where the next byte goes.
        @usableFromInline var position: UnsafeMutablePointer<UInt8>
        /// The end of the buffer's storage.
        @usableFromInline var limit: UnsafeMutablePointer<UInt8>

        /// Creates a cursor at the end of `buffer`'s written bytes.
        @inlinable
        init(buffer: LineBuffer) {
            self.buffer = buffer
            let state = buffer.state.pointee
            self.position = state.base + state.written
            self.limit = state.base + state.capacity
        }

        /// The buffer's byte count if the cursor were committed now: the offset of the next byte.
        @inlinable
        package var offset: Int { position - buffer.base }

        /// The bytes left before the buffer would have to grow.
        @inlinable
        package var room: Int { limit - position }

        /// Makes sure the next `count` bytes can be written without growing the buffer.
        ///
        /// - Parameter count: The number of bytes about to be written (negative counts are ignored).
        @inlinable @inline(__always)
        package mutating func reserve(_ count: Int) {
            if limit - position < count { grow(count) }
        }

        /// Grows the buffer so that `count` more bytes fit after the cursor, keeping the bytes written.
        @usableFromInline @inline(never)
        mutating func grow(_ count: Int) {
            commit()
            buffer.reserve(count)
            let state = buffer.state.pointee
            position = state.base + state.written
            limit = state.base + state.capacity
        }

        /// Makes the bytes written through the cursor part of the buffer's written bytes.
        @inlinable
        package func commit() {
            buffer.state.pointee.written = position - buffer.state.pointee.base
        }

        /// Moves the cursor back to `offset` (a value ``offset`` had earlier), forgetting what was
        /// written after it; offsets beyond the cursor or below zero are ignored.
        ///
        /// - Parameter offset: The offset to continue writing at.
        @inlinable
        package mutating func rewind(to offset: Int) {
            if offset >= 0, offset < self.offset { position = buffer.base + offset }
        }

        /// Writes one byte (reserved earlier).
        ///
        /// - Parameter byte: The byte.
        @inlinable @inline(__always)
        package mutating func write(_ byte: UInt8) {
            position.pointee = byte
            position += 1
        }

        /// Writes two bytes (reserved earlier).
        ///
        /// - Parameters:
        ///   - first: The first byte.
        ///   - second: The second byte.
        @inlinable @inline(__always)
        package mutating func write(_ first: UInt8, _ second: UInt8) {
            position[0] = first
            position[1] = second
            position += 2
        }

        /// Writes the bytes of a static string, such as a literal (reserved earlier).
        ///
        /// - Parameter text: The text.
        @inlinable @inline(__always)
        package mutating func write(_ text: StaticString) {
            let count = text.utf8CodeUnitCount
            UnsafeMutableRawPointer(position).copyMemory(from: text.utf8Start, byteCount: count)
            position += count
        }

        /// Writes `count` bytes from `source` (reserved earlier). Short runs, the usual size of a
        /// key or value, are copied with two overlapping loads and stores instead of a call.
        ///
        /// - Parameters:
        ///   - source: The bytes; they must not overlap the room being written.
        ///   - count: The number of bytes.
        @inlinable @inline(__always)
        package mutating func write(_ source: UnsafePointer<UInt8>, count: Int) {
            let from = UnsafeRawPointer(source)
            let to = UnsafeMutableRawPointer(position)
            if count >= 8 {
                if count <= 16 {
                    let head = from.loadUnaligned(as: UInt64.self)
                    let tail = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                    to.storeBytes(of: head, as: UInt64.self)
                    to.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
                } else {
                    to.copyMemory(from: from, byteCount: count)
                }
            } else if count >= 4 {
                let head = from.loadUnaligned(as: UInt32.self)
                let tail = from.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
                to.storeBytes(of: head, as: UInt32.self)
                to.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
            } else if count > 0 {
                to.storeBytes(of: source[0], as: UInt8.self)
                to.storeBytes(of: source[count &>> 1], toByteOffset: count &>> 1, as: UInt8.self)
                to.storeBytes(of: source[count &- 1], toByteOffset: count &- 1, as: UInt8.self)
            }
            position += max(count, 0)
        }

        /// Stores the eight bytes of `word` as they are in memory and advances by `count` of them
        /// (reserved earlier: eight bytes of room are needed even when `count` is smaller).
        ///
        /// - Parameters:
        ///   - word: The bytes in the machine's byte order, as loaded from memory; a word assembled with
        ///     its first byte in the lowest bits is passed as `word.littleEndian`.
        ///   - count: How many of the bytes belong to the output, from 0 to 8.
        @inlinable @inline(__always)
        package mutating func write(word: UInt64, count: Int) {
            UnsafeMutableRawPointer(position).storeBytes(of: word, as: UInt64.self)
            position += count
        }

        /// Writes a copy of `count` bytes the buffer holds at `offset`, which must lie before the cursor
        /// (reserved earlier), such as a key prefix repeated within one line.
        ///
        /// - Parameters:
        ///   - offset: The offset of the first byte to copy; the range must end at or before ``offset``.
        ///   - count: The number of bytes.
        @inlinable
        package mutating func writeCopy(ofBytesAt offset: Int, count: Int) {
            guard offset >= 0, count > 0, offset <= self.offset - count else { return }
            position.update(from: buffer.base + offset, count: count)
            position += count
        }

        /// Writes the decimal digits of `value`, with a `-` when negative (reserved earlier: up to 20 bytes).
        ///
        /// - Parameter value: The number.
        @inlinable
        package mutating func writeDecimal(_ value: Int64) {
            if value < 0 { write(UInt8(ascii: "-")) }
            var magnitude = value.magnitude
            if magnitude < 100 {
                // One or two digits, the common case of counts, statuses and line numbers.
                if magnitude < 10 {
                    write(UInt8(truncatingIfNeeded: magnitude) &+ 48)
                } else {
                    UnsafeMutableRawPointer(position).storeBytes(of: Self.digitPair(Int(truncatingIfNeeded: magnitude)), as: UInt16.self)
                    position += 2
                }
                return
            }
            let digits = LineBuffer.decimalDigitCount(magnitude)
            var end = position + digits
            position = end
            while magnitude >= 100 {
                let pair = Int(truncatingIfNeeded: magnitude % 100)
                magnitude /= 100
                end -= 2
                UnsafeMutableRawPointer(end).storeBytes(of: Self.digitPair(pair), as: UInt16.self)
            }
            if magnitude >= 10 {
                UnsafeMutableRawPointer(end - 2).storeBytes(of: Self.digitPair(Int(truncatingIfNeeded: magnitude)), as: UInt16.self)
            } else {
                (end - 1).pointee = UInt8(truncatingIfNeeded: magnitude) &+ 48
            }
        }

        /// The two ASCII digits of `value` (0...99) as they are stored in memory: tens first.
        ///
        /// - Parameter value: A number from 0 to 99 (other values are reduced modulo 100).
        /// - Returns: The digits, read from a table of the pairs `00`...`99`.
        @inlinable @inline(__always)
        package static func digitPair(_ value: Int) -> UInt16 {
            let index = UInt(bitPattern: value) < 100 ? value : Int(UInt(bitPattern: value) % 100)
            return UnsafeRawPointer(digitPairs.utf8Start).loadUnaligned(fromByteOffset: index &* 2, as: UInt16.self)
        }

        /// The decimal pairs `00`, `01`, ... `99`, one after the other.
        @inlinable
        static var digitPairs: StaticString {
            "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
        }
    }

    /// Calls `body` with a cursor at the end of the written bytes, then commits what it wrote.
    ///
    /// Inside `body`, write only through the cursor: appending to the buffer directly would be
    /// overwritten or lost when the cursor commits.
    ///
    /// - Parameter body: Writes through the cursor, reserving room before each piece.
    /// - Returns: What `body` returns.
    @inlinable
    package func withCursor<Result>(_ body: (inout Cursor) throws -> Result) rethrows -> Result {
        var cursor = Cursor(buffer: self)
        defer { cursor.commit() }
        return try body(&cursor)
    }

    /// Writes one line per record through one cursor, with `writeLine`, and appends the buffer's
    /// byte count after each line to `lineEnds`: the batch loop of the built-in formatters.
    ///
    /// Each record is passed on where it lies, without a copy (see `UnsafePointer.withRecord(_:)`).
    ///
    /// - Parameters:
    ///   - records: The records, in order.
    ///   - lineEnds: Receives the byte count after each line.
    ///   - writeLine: Writes one record's line, newline included, through the cursor.
    @inline(__always)
    func appendLines(
        of records: UnsafeBufferPointer<LogRecord>, lineEnds: inout [Int], _ writeLine: (LogRecord, inout Cursor) -> Void
    ) {
        guard let base = records.baseAddress else { return }
        var cursor = Cursor(buffer: self)
        for index in 0..<records.count {
            (base + index).withRecord { writeLine($0, &cursor) }
            lineEnds.append(cursor.offset)
        }
        cursor.commit()
    }
}
