/*
 * A directory of one user's own below a shared parent, made as root before the engine runs as the user (the image
 * cache's <image_cache>/<uid>). Mechanism only: which parent, and what the engine keeps there, are Java's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"

static int refuse(char *why, size_t size, const char *path, const char *reason)
{
	snprintf(why, size, "%s: %s", path, reason);
	return -1;
}

/*
 * <parent>/<uid>: created 0700 and the user's when missing. Refused (nothing changed) when the parent is not a
 * directory of parent_owner's that only its owner may write to (anyone else could swap the user's directory), or when
 * an existing one is a symbolic link, not a directory, not the user's, or writable by others. Never follows a
 * symbolic link: root acts on what it opened. Returns 0, or -1 with the reason in why.
 */
int user_dir(const char *parent, uid_t parent_owner, uid_t uid, gid_t gid, char *why, size_t size)
{
	int parent_fd = open(parent, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (parent_fd < 0)
		return refuse(why, size, parent, strerror(errno));
	struct stat st;
	if (fstat(parent_fd, &st) < 0 || st.st_uid != parent_owner || (st.st_mode & 022) != 0) {
		close(parent_fd);
		return refuse(why, size, parent, "owned by another user, or writable by others");
	}
	char name[32], path[PATH_MAX];
	snprintf(name, sizeof(name), "%u", (unsigned)uid);
	snprintf(path, sizeof(path), "%s/%s", parent, name);
	int rc = 0;
	if (mkdirat(parent_fd, name, 0700) == 0) {
		int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fchown(fd, uid, gid) < 0 || fchmod(fd, 0700) < 0) {
			rc = refuse(why, size, parent, strerror(errno));
			unlinkat(parent_fd, name, AT_REMOVEDIR);
		}
		if (fd >= 0)
			close(fd);
	} else if (errno != EEXIST) {
		rc = refuse(why, size, parent, strerror(errno));
	} else if (fstatat(parent_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		rc = refuse(why, size, parent, strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		rc = refuse(why, size, path, "not a directory");
	} else if (st.st_uid != uid || (st.st_mode & 022) != 0) {
		rc = refuse(why, size, path, "not the user's alone");
	}
	close(parent_fd);
	return rc;
}
