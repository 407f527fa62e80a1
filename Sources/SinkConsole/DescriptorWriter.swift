import AsyncSinks

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a block of bytes to a file descriptor completely: partial writes are continued, `EINTR` is
/// retried, a full non-blocking descriptor is waited for with `poll`, and any other failure is
/// reported as a classified ``LogSinkError`` together with how many bytes did go out.
///
/// `SIGPIPE` is blocked on the writing thread for the duration, so a reader that went away yields
/// `EPIPE` instead of terminating the process.
enum DescriptorWriter {
    /// What one complete write achieved.
    struct Outcome {
        /// The number of bytes written, from the start of the block.
        var bytesWritten: Int
        /// Why the write stopped early, or `nil` when every byte was written.
        var error: LogSinkError?
    }

    /// Writes all of `bytes` to `descriptor`.
    ///
    /// - Parameters:
    ///   - bytes: The bytes.
    ///   - descriptor: An open descriptor.
    ///   - destination: The descriptor's name, for error messages.
    ///   - blockedWriteTimeout: How long to wait in total while the descriptor reports `EAGAIN`.
    ///   - cancellation: Stops the wait early when raised.
    /// - Returns: How many bytes went out, and the error that stopped the write, if any.
    static func writeAll(
        _ bytes: UnsafeRawBufferPointer,
        to descriptor: Int32,
        destination: String,
        blockedWriteTimeout: Duration,
        cancellation: CancellationSignal
    ) -> Outcome {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return Outcome(bytesWritten: 0) }
        return withBrokenPipeSignalBlocked {
            var offset = 0
            var waitedMilliseconds = 0
            let waitLimit = milliseconds(in: blockedWriteTimeout)
            while offset < bytes.count {
                let result = write(descriptor, base + offset, bytes.count - offset)
                if result > 0 {
                    offset += result
                    continue
                }
                if result == 0 {
                    return Outcome(bytesWritten: offset, error: .retryable("cannot write to \(destination): the write accepted no bytes"))
                }
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    if waitUntilWritable(descriptor, waited: &waitedMilliseconds, limit: waitLimit, cancellation: cancellation) {
                        continue
                    }
                    let message = cancellation.isCancelled
                        ? "cannot write to \(destination): it is full (EAGAIN) and the write was cancelled"
                        : "cannot write to \(destination): it stayed full (EAGAIN) for \(blockedWriteTimeout)"
                    return Outcome(bytesWritten: offset, error: .retryable(message))
                }
                return Outcome(bytesWritten: offset, error: error(for: code, destination: destination))
            }
            return Outcome(bytesWritten: offset)
        }
    }

    /// Classifies a failed `write(2)`.
    ///
    /// Permanent: the descriptor cannot take writes at all (`EBADF`, `EPIPE`, `EINVAL`, `EISDIR`,
    /// `EFBIG`, `EPERM`, `EACCES`, `EROFS`, `EFAULT`, `EDESTADDRREQ`). Retryable: everything else,
    /// notably a full disk or quota (`ENOSPC`, `EDQUOT`), `EIO` and `ENOBUFS`, which can clear up.
    ///
    /// - Parameters:
    ///   - code: The `errno` value.
    ///   - destination: The descriptor's name.
    /// - Returns: The error.
    static func error(for code: Int32, destination: String) -> LogSinkError {
        let message = "cannot write to \(destination): \(explanation(of: code))"
        switch code {
        case EBADF, EPIPE, EINVAL, EISDIR, EFBIG, EPERM, EACCES, EROFS, EFAULT, EDESTADDRREQ:
            return .permanent(message)
        default:
            return .retryable(message)
        }
    }

    private static func explanation(of code: Int32) -> String {
        switch code {
        case EBADF: "the descriptor is not open for writing (EBADF)"
        case EPIPE: "the reading end is closed (EPIPE)"
        case EINVAL: "the descriptor does not accept writes (EINVAL)"
        case EISDIR: "the descriptor is a directory (EISDIR)"
        case EFBIG: "the file is at its maximum size (EFBIG)"
        case EPERM: "the write is not permitted (EPERM)"
        case EACCES: "the write is not permitted (EACCES)"
        case EROFS: "the file system is read-only (EROFS)"
        case EFAULT: "bad address (EFAULT)"
        case EDESTADDRREQ: "the socket has no destination (EDESTADDRREQ)"
        case ENOSPC: "no space left on the device (ENOSPC)"
        case EDQUOT: "the disk quota is exhausted (EDQUOT)"
        case EIO: "input/output error (EIO)"
        case ENOBUFS: "no buffer space available (ENOBUFS)"
        default: "write failed with errno \(code)"
        }
    }

    /// Waits in slices of at most 100 ms until the descriptor can take more bytes.
    ///
    /// - Returns: `true` to try writing again; `false` when the time limit passed or the batch was cancelled.
    private static func waitUntilWritable(_ descriptor: Int32, waited: inout Int, limit: Int, cancellation: CancellationSignal) -> Bool {
        while waited < limit, !cancellation.isCancelled {
            var request = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let slice = min(100, limit - waited)
            let ready = poll(&request, 1, Int32(slice))
            if ready > 0 { return true }  // writable, or an error condition the next write reports
            if ready < 0, errno != EINTR { return true }  // let the write report the problem
            if ready == 0 { waited += slice }
        }
        return false
    }

    private static func milliseconds(in duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let total = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return total >= Double(Int32.max) ? Int(Int32.max) : Int(total.rounded(.up))
    }

    /// Runs `body` with `SIGPIPE` blocked on the calling thread, then discards a `SIGPIPE` that the
    /// body raised (one that was already pending stays pending) and restores the thread's mask.
    private static func withBrokenPipeSignalBlocked<Result>(_ body: () -> Result) -> Result {
        var brokenPipe = sigset_t()
        sigemptyset(&brokenPipe)
        sigaddset(&brokenPipe, SIGPIPE)
        var previousMask = sigset_t()
        guard pthread_sigmask(SIG_BLOCK, &brokenPipe, &previousMask) == 0 else { return body() }
        defer { pthread_sigmask(SIG_SETMASK, &previousMask, nil) }

        var pendingBefore = sigset_t()
        sigpending(&pendingBefore)
        let wasPending = sigismember(&pendingBefore, SIGPIPE) == 1

        let result = body()

        if !wasPending {
            var pendingAfter = sigset_t()
            sigpending(&pendingAfter)
            if sigismember(&pendingAfter, SIGPIPE) == 1 {
                #if canImport(Darwin)
                var received: Int32 = 0
                sigwait(&brokenPipe, &received)
                #else
                var noWait = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&brokenPipe, nil, &noWait)
                #endif
            }
        }
        return result
    }
}
