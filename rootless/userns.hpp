// Entering pod's user namespace. A rootless pod command that writes the store continues in a
// child inside a new user + mount namespace where it is root and owns the user's whole
// subordinate id range, so files in layers keep the owners images give them.
//
// The sequence (parent = the command as started, child = its fork):
//   parent forks → child unshares CLONE_NEWUSER|CLONE_NEWNS and says "unshared" on a pipe →
//   parent writes the child's maps (newuidmap/newgidmap, or the single-id fallback) and says
//   "go" → child becomes uid/gid 0 (with every capability in the namespace), asks to die with
//   the parent (PR_SET_PDEATHSIG), makes its mounts private, sets _POD_USERNS_CONFIGURED for
//   the programs it starts and returns into the command → parent waits, forwarding
//   SIGTERM/SIGHUP/SIGUSR*, and exits with the child's status (or dies of the same signal).
// No re-exec: a second start of pod would cost as much as the rest of a `pod run`.
// No pause process: each command gets a fresh namespace with the same maps, which is enough
// because the store's files carry the mapped ids on disk.
#pragma once

#include <sys/types.h>

#include "rootless/idmap.hpp"

namespace pod::rootless {

inline constexpr const char* kUsernsEnv = "_POD_USERNS_CONFIGURED";
inline constexpr const char* kOriginalUidEnv = "_POD_ROOTLESS_UID";

// True inside pod's user namespace (set by ensure_userns), or as real root.
bool in_pod_userns_or_root();
// Rootless: not real root, or inside pod's user namespace (where the uid is 0 but is not).
bool is_rootless();
// The uid the user has outside pod's user namespace.
uid_t invoking_uid();
// True inside pod's namespace and it maps only the user's own id.
bool in_single_id_userns();

// Rootless and not yet inside: forks as described above; the child returns (inside), the
// parent never does. Root, or already inside: returns at once. Throws Error before forking
// when the id ranges are too small or newuidmap/newgidmap are unusable; warns once for the
// single-id fallback.
void ensure_userns(const SubidSources& sources = {});
// Instead of a new one: the user namespace (same maps) of a running container's process, with a
// mount namespace of its own — for a container that joins another's namespaces (pod has no
// long-lived process holding one namespace for all). In place: no fork.
void join_userns_of(pid_t pid);

}  // namespace pod::rootless
