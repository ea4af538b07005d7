#pragma once
/// @file
/// The library's only door to the operating system (docs/adr/0029-platform-layer.md): files and
/// their permissions, random bytes, the loopback sockets of the authorization-code receiver, and
/// a description of the machine. posix.cpp and win32.cpp implement it; no other file of src/
/// includes a POSIX or Win32 header (the test `platform.os_headers_only_in_platform_layer`).
/// Private: not installed, not exported.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace roserocket::detail::platform {

// --- Files ---

enum class ReadStatus { kOk, kMissing, kTooLarge, kFailed };

/// Reads the whole file at @p path into @p content, refusing more than @p max_bytes.
/// On kFailed, @p error holds the system's reason (never the content).
ReadStatus read_file(const std::string& path, std::size_t max_bytes, std::string& content,
                     std::string& error);

/// Replaces the file at @p path with @p data atomically: a new file beside it, readable and
/// writable by the current user only from its creation (POSIX mode 0600; on Windows a protected
/// DACL with one entry, the user's SID), written, flushed to the disk, then renamed over @p path.
/// A reader sees the old content or the new one, never a mix. False with @p error (the failing
/// step and the system's reason) when it failed; the temporary file is removed then.
bool write_file_atomically(const std::string& path, std::string_view data, std::string& error);

/// The same, flushing to the disk only when @p flush_to_disk: without the flushes the replace is
/// still atomic for every reader and survives a crash of this process, but not a power cut.
bool write_file_atomically(const std::string& path, std::string_view data, bool flush_to_disk,
                           std::string& error);

/// Deletes @p path; a file that is not there counts as deleted.
bool remove_file(const std::string& path, std::string& error);

/// True when @p path exists and only its owner, the current user, may read or write it (POSIX:
/// owned by the effective user, no group or other bits; Windows: owned by the user, and every
/// entry of a protected DACL grants the user's SID). @p why says what is wrong otherwise.
bool owner_only(const std::string& path, std::string& why);

/// Opens @p path for appending (created if missing, not inherited by child processes).
/// nullptr with @p error when it cannot.
std::FILE* open_for_append(const std::string& path, std::string& error);

/// Flushes @p file's buffer and its data to the disk (fdatasync / FlushFileBuffers).
bool sync_file(std::FILE* file, std::string& error);

// --- File locks ---

/// An exclusive lock held through an open file (a file descriptor; a HANDLE on Windows).
using FileLock = std::intptr_t;
inline constexpr FileLock kNoFileLock = -1;

enum class LockStatus { kLocked, kHeldElsewhere, kFailed };

/// Opens @p path (created owner-only when missing) and takes an exclusive lock on it without
/// waiting: flock(LOCK_EX | LOCK_NB); LockFileEx(LOCKFILE_EXCLUSIVE_LOCK |
/// LOCKFILE_FAIL_IMMEDIATELY). The system frees the lock when the process ends, however it ends.
/// kLocked sets @p lock; kHeldElsewhere when another holder has it (another process, or another
/// open of the file in this one); kFailed with @p error (the system's reason).
LockStatus lock_file(const std::string& path, FileLock& lock, std::string& error);

/// Gives up a lock taken by lock_file and closes its file (no effect on kNoFileLock).
void unlock_file(FileLock lock);

// --- Randomness ---

/// Fills @p out with @p count bytes from the system's CSPRNG (getrandom or /dev/urandom;
/// BCryptGenRandom). False when no source works.
bool random_bytes(void* out, std::size_t count);

// --- The machine ---

/// "Linux x86_64", "Windows x86_64" and the like, for the user agent.
std::string os_description();

// --- Loopback sockets (the authorization-code redirect receiver) ---

/// A socket, as the public LoopbackRedirectReceiver stores it: an int (its layout is part of the
/// 1.0 ABI). A Winsock SOCKET is a kernel handle, whose significant bits fit in 32.
using Socket = int;
constexpr Socket kNoSocket = -1;

/// A TCP socket listening on 127.0.0.1:@p port (0: any free port, @p bound_port tells which).
Socket listen_loopback(std::uint16_t port, std::uint16_t& bound_port, std::string& error);

/// A connection waiting on @p listener, or kNoSocket.
Socket accept_connection(Socket listener);

enum class Receive { kData, kNothingYet, kClosed };

/// Appends what @p socket has now (at most @p max bytes) to @p into without blocking.
Receive receive_some(Socket socket, std::string& into, std::size_t max);

/// Sends all of @p data; gives up quietly when the peer has gone.
void send_all(Socket socket, std::string_view data);

void close_socket(Socket socket);

/// Waits at most @p timeout_ms until one of @p sockets can be read (or was closed by its peer);
/// @p ready[i] tells which. An interrupted wait returns true with nothing ready; false with
/// @p error when waiting failed.
bool wait_readable(const std::vector<Socket>& sockets, int timeout_ms, std::vector<bool>& ready,
                   std::string& error);

}  // namespace roserocket::detail::platform
