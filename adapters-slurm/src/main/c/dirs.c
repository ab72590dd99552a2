/* Directories the shim makes as root for a user: made safely, or refused with what to fix. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"

int private_directory(const char *dir, uid_t uid, gid_t gid)
{
	if (mkdir(dir, 0700) == 0) {
		/*
		 * Hand over what was made, never what the name points to now: in a parent others may write to, the new
		 * directory could be swapped for a link between mkdir and chown (chown would follow it).
		 */
		errno = 0;
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat made;
		if (fd < 0 || fstat(fd, &made) < 0 || made.st_uid != geteuid() || fchown(fd, uid, gid) < 0) {
			slurm_error("pyxis: couldn't hand %s over to uid %u: %s", dir, (unsigned)uid,
				    errno != 0 ? strerror(errno) : "replaced while it was made");
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
		return 0;
	}
	if (errno != EEXIST) {
		slurm_error("pyxis: couldn't mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	struct stat existing;
	if (lstat(dir, &existing) < 0) {
		slurm_error("pyxis: couldn't stat %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(existing.st_mode) || existing.st_uid != uid || (existing.st_mode & 022) != 0) {
		slurm_error("pyxis: %s is not a private directory of uid %u (%s, owner %u, mode %03o): an admin must "
			    "remove it", dir, (unsigned)uid, S_ISLNK(existing.st_mode) ? "a symbolic link"
			    : S_ISDIR(existing.st_mode) ? "a directory" : "not a directory", (unsigned)existing.st_uid,
			    (unsigned)(existing.st_mode & 0777));
		return -1;
	}
	return 0;
}

int private_directory_in(const char *parent, uid_t parent_owner, uid_t uid, gid_t gid)
{
	/* a parent others could write to would let them swap the user's directory under root's hands */
	struct stat st;
	if (lstat(parent, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != parent_owner || (st.st_mode & 022) != 0) {
		slurm_error("pyxis: %s is not a directory of uid %u that only its owner may write to: not used", parent,
			    (unsigned)parent_owner);
		return -1;
	}
	char dir[PATH_MAX];
	if (snprintf(dir, sizeof(dir), "%s/%u", parent, (unsigned)uid) >= (int)sizeof(dir)) {
		slurm_error("pyxis: %s: path too long", parent);
		return -1;
	}
	return private_directory(dir, uid, gid);
}

int root_directory(const char *dir, const char *key)
{
	mode_t mask = umask(0);
	int rc = mkdir(dir, 0755);
	umask(mask);
	if (rc == 0)
		return 0;
	if (errno != EEXIST) {
		slurm_error("pyxis: slurmd: couldn't mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	struct stat existing;
	if (lstat(dir, &existing) < 0 || !S_ISDIR(existing.st_mode)) {
		slurm_error("pyxis: slurmd: %s is not a directory: an admin must remove it or change %s", dir, key);
		return -1;
	}
	return 0;
}

int epilog_trace_ended(const char *runtime_path, unsigned long uid, unsigned long job)
{
	char trace[PATH_MAX], ended[PATH_MAX];
	if (snprintf(trace, sizeof(trace), "%s/%lu/" JPYXIS_EPILOG_TRACE_PREFIX "%lu", runtime_path, uid, job)
		    >= (int)sizeof(trace)
	    || snprintf(ended, sizeof(ended), "%s/%lu/" JPYXIS_ENDED_TRACE_PREFIX "%lu", runtime_path, uid, job)
		       >= (int)sizeof(ended)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* rename never follows a link the user may have put there: it moves the name, in the user's own directory */
	if (rename(trace, ended) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}
