/// Cuts a shard's entries into requests of at most a given encoded size.
///
/// The entries are taken in order (grouped by stream, oldest first) and packed greedily: an entry
/// that would push the request over the budget starts the next request, and an entry larger than
/// the budget by itself is sent alone. Greedy packing is prefix-stable: when the first requests of
/// a plan were delivered and the rest is planned again, the same requests come out, which is what
/// lets a retry resend byte-identical bodies.
enum RequestPlanner {
    /// Appends the ranges (into `order`) of the planned requests to `requests`.
    ///
    /// - Parameters:
    ///   - order: Entry indices, grouped by stream.
    ///   - budget: The most encoded bytes per request.
    ///   - requestOverhead: The bytes every request has besides its streams.
    ///   - streamOf: The stream of an entry index.
    ///   - streamOverhead: The bytes a stream adds besides its entries.
    ///   - entryCost: The bytes an entry adds.
    ///   - requests: Receives the ranges.
    static func plan(
        _ order: ArraySlice<Int>, budget: Int, requestOverhead: Int,
        streamOf: (Int) -> Int, streamOverhead: (Int) -> Int, entryCost: (Int) -> Int,
        into requests: inout [Range<Int>]
    ) {
        var start = order.startIndex
        var size = requestOverhead
        var previousStream = -1
        for position in order.indices {
            let entry = order[position]
            let stream = streamOf(entry)
            var cost = entryCost(entry)
            if stream != previousStream { cost += streamOverhead(stream) }
            if position > start, size + cost > budget {
                requests.append(start..<position)
                start = position
                size = requestOverhead + entryCost(entry) + streamOverhead(stream)
            } else {
                size += cost
            }
            previousStream = stream
        }
        if start < order.endIndex { requests.append(start..<order.endIndex) }
    }
}
