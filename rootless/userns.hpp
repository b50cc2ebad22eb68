// Entering pod's user namespace. A rootless pod command that writes the store re-executes
// itself inside a new user + mount namespace where it is root and owns the user's whole
// subordinate id range, so files in layers keep the owners images give them.
//
// The sequence (parent = the command as started, child = the same command inside):
//   parent forks → child unshares CLONE_NEWUSER|CLONE_NEWNS and says "unshared" on a pipe →
//   parent writes the child's maps (newuidmap/newgidmap, or the single-id fallback) and says
//   "go" → child becomes uid/gid 0, makes its mounts private and execs /proc/self/exe with the
//   same argv and _POD_USERNS_CONFIGURED set → parent waits, forwarding SIGTERM/SIGHUP/SIGUSR*,
//   and exits with the child's status (or dies of the same signal).
// No pause process: each command gets a fresh namespace with the same maps, which is enough
// because the store's files carry the mapped ids on disk.
#pragma once

#include <sys/types.h>

#include "rootless/idmap.hpp"

namespace pod::rootless {

inline constexpr const char* kUsernsEnv = "_POD_USERNS_CONFIGURED";
inline constexpr const char* kOriginalUidEnv = "_POD_ROOTLESS_UID";
inline constexpr const char* kLifelineEnv = "_POD_USERNS_LIFELINE";

// True inside pod's user namespace (set by ensure_userns), or as real root.
bool in_pod_userns_or_root();
// Rootless: not real root, or inside pod's user namespace (where the uid is 0 but is not).
bool is_rootless();
// The uid the user has outside pod's user namespace.
uid_t invoking_uid();
// True inside pod's namespace and it maps only the user's own id.
bool in_single_id_userns();

// Rootless and not yet inside: re-executes as described above and never returns.
// Root, or already inside: returns at once. Throws Error before forking when the id ranges
// are too small or newuidmap/newgidmap are unusable; warns once for the single-id fallback.
void ensure_userns(char** argv, const SubidSources& sources = {});

}  // namespace pod::rootless
