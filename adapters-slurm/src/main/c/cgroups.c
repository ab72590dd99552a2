/*
 * The step engine in its step's cgroup v1 directories (docs/lifecycle.md#the-tasks-world): Slurm's task/cgroup makes
 * them only after init_post_opt, where the engine is started, so at user_init the shim moves the engine into each of
 * them, except the freezer (the step's process tracking, which must not freeze or kill the engine), and every command
 * the engine runs from then on starts there. Slurm removes them before slurm_spank_exit: once every task has exited,
 * the engine goes back where it was started.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <slurm/slurm.h>

#include "shim.h"

/* One line of /proc/<pid>/cgroup: "<hierarchy id>:<controllers>:<path>". */
struct membership {
	const char *id, *controllers, *path;
	size_t id_len, controllers_len, path_len;
};

/* The next line of a /proc/<pid>/cgroup text from *cursor; 0, or -1 at its end. Lines not of that form are skipped. */
static int next_membership(const char **cursor, struct membership *m)
{
	while (**cursor != '\0') {
		const char *line = *cursor;
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		*cursor = line + len + (end ? 1 : 0);
		const char *first = memchr(line, ':', len);
		const char *second = first ? memchr(first + 1, ':', len - (size_t)(first + 1 - line)) : NULL;
		if (second == NULL)
			continue;
		m->id = line;
		m->id_len = (size_t)(first - line);
		m->controllers = first + 1;
		m->controllers_len = (size_t)(second - first - 1);
		m->path = second + 1;
		m->path_len = len - (size_t)(second + 1 - line);
		return 0;
	}
	return -1;
}

/* Whether the comma-separated list holds `word` (length n). */
static int list_has(const char *list, size_t list_len, const char *word, size_t n)
{
	for (size_t i = 0; i < list_len;) {
		const char *comma = memchr(list + i, ',', list_len - i);
		size_t item = comma ? (size_t)(comma - (list + i)) : list_len - i;
		if (item == n && memcmp(list + i, word, n) == 0)
			return 1;
		i += item + 1;
	}
	return 0;
}

/*
 * The length of the step's directory's path below the hierarchy root, written to `out`, from a path of Slurm's layout
 * (upstream src/plugins/cgroup/v1/xcgroup.c:456): "<prefix>/uid_<uid>/job_<job>" (slurmstepd in the freezer) or
 * that and "/step_<name>" (slurmstepd in the step's memory or cpuset directory). -1 when the path is not the job's.
 */
static int step_directory_of(const char *path, size_t len, unsigned long job, const char *step, char *out,
			     size_t size)
{
	char job_component[32];
	int n = snprintf(job_component, sizeof(job_component), "/job_%lu", job);
	for (size_t i = 0; i + (size_t)n <= len; i++) {
		if (memcmp(path + i, job_component, (size_t)n) != 0
		    || (i + (size_t)n < len && path[i + (size_t)n] != '/'))
			continue;
		const char *uid = path + i;
		while (uid > path && uid[-1] != '/')
			uid--;
		/* the component before job_<job> is the owner's, uid_<uid>: nothing else is Slurm's */
		if (uid == path || strncmp(uid, "uid_", 4) != 0 || uid + 4 >= path + i)
			continue;
		size_t job_end = i + (size_t)n;
		const char *rest = path + job_end;
		size_t rest_len = len - job_end;
		int written;
		if (rest_len > 6 && strncmp(rest, "/step_", 6) == 0) {
			/* slurmstepd already in the step's directory: its name as Slurm wrote it (a het step's "step_0+1") */
			const char *slash = memchr(rest + 1, '/', rest_len - 1);
			size_t step_len = slash ? (size_t)(slash - rest) : rest_len;
			written = snprintf(out, size, "%.*s%.*s", (int)job_end, path, (int)step_len, rest);
		} else {
			written = snprintf(out, size, "%.*s/step_%s", (int)job_end, path, step);
		}
		return written > 0 && (size_t)written < size ? written : -1;
	}
	return -1;
}

/*
 * The mount point of the cgroup v1 hierarchy with these controllers, and the part of the hierarchy mounted there
 * (its root field), from a /proc/self/mountinfo text. 0, or -1 when it is not mounted (or only at an escaped path).
 */
static int mount_of(const char *mountinfo, const char *controllers, size_t controllers_len, char *point,
		    size_t point_size, char *root, size_t root_size)
{
	for (const char *line = mountinfo, *next; *line != '\0'; line = next) {
		const char *newline = strchr(line, '\n');
		const char *end = newline ? newline : line + strlen(line);
		next = newline ? newline + 1 : end;
		/* id parent major:minor root mount-point options [optional...] - type source super-options */
		const char *field[6] = { line };
		int count = 1;
		for (const char *c = line; c < end && count < 6; c++)
			if (*c == ' ')
				field[count++] = c + 1;
		const char *type = memmem(line, (size_t)(end - line), " - ", 3);
		if (count < 6 || type == NULL || type < field[5] || (size_t)(end - type) < 10
		    || strncmp(type + 3, "cgroup ", 7) != 0)
			continue;
		const char *source = type + 10;
		const char *options = memchr(source, ' ', (size_t)(end - source));
		if (options == NULL)
			continue;
		options++;
		size_t options_len = (size_t)(end - options);
		int all = 1;
		for (size_t i = 0; i < controllers_len && all;) {
			const char *comma = memchr(controllers + i, ',', controllers_len - i);
			size_t item = comma ? (size_t)(comma - (controllers + i)) : controllers_len - i;
			all = list_has(options, options_len, controllers + i, item);
			i += item + 1;
		}
		size_t root_len = (size_t)(field[4] - field[3] - 1), point_len = (size_t)(field[5] - field[4] - 1);
		if (!all || memchr(field[3], '\\', root_len) || memchr(field[4], '\\', point_len)
		    || snprintf(root, root_size, "%.*s", (int)root_len, field[3]) >= (int)root_size
		    || snprintf(point, point_size, "%.*s", (int)point_len, field[4]) >= (int)point_size)
			continue;
		return 0;
	}
	return -1;
}

/* <point>/<path below root>/cgroup.procs, when the path lies below the mount's root. 0, or -1. */
static int procs_file(const char *point, const char *root, const char *path, size_t path_len, char *out, size_t size)
{
	size_t root_len = strcmp(root, "/") == 0 ? 0 : strlen(root);
	if (path_len < root_len || memcmp(path, root, root_len) != 0
	    || (path_len > root_len && path[root_len] != '/'))
		return -1;
	const char *below = path + root_len;
	size_t below_len = path_len - root_len;
	if (below_len == 1 && below[0] == '/')
		below_len = 0;
	return snprintf(out, size, "%s%.*s/cgroup.procs", point, (int)below_len, below) < (int)size ? 0 : -1;
}

/* The path of the hierarchy `id` in a /proc/<pid>/cgroup text; 0, or -1. */
static int path_in(const char *text, const char *id, size_t id_len, const char **path, size_t *path_len)
{
	struct membership m;
	for (const char *cursor = text; next_membership(&cursor, &m) == 0;)
		if (m.id_len == id_len && memcmp(m.id, id, id_len) == 0) {
			*path = m.path;
			*path_len = m.path_len;
			return 0;
		}
	return -1;
}

int step_cgroup_moves(const char *started, const char *now, const char *mountinfo, unsigned long job,
		      const char *step, struct cgroup_move *moves, int max)
{
	char step_dir[PATH_MAX] = "";
	struct membership m;
	/* a step directory slurmstepd is in names the step better than its id does (a het step's "step_0+1") */
	for (const char *cursor = now; next_membership(&cursor, &m) == 0;) {
		char found[PATH_MAX];
		int len = m.controllers_len > 0
			  ? step_directory_of(m.path, m.path_len, job, step, found, sizeof(found)) : -1;
		if (len > 0 && (step_dir[0] == '\0' || (size_t)len <= m.path_len))
			snprintf(step_dir, sizeof(step_dir), "%s", found);
	}
	if (step_dir[0] == '\0')
		return 0;
	int count = 0;
	for (const char *cursor = now; next_membership(&cursor, &m) == 0;) {
		/* "0::" is the cgroup v2 hierarchy: slurmstepd is in the step's own there already */
		if (m.controllers_len == 0 || list_has(m.controllers, m.controllers_len, "freezer", 7))
			continue;
		char point[PATH_MAX], root[PATH_MAX];
		const char *home;
		size_t home_len;
		if (mount_of(mountinfo, m.controllers, m.controllers_len, point, sizeof(point), root, sizeof(root)) < 0
		    || path_in(started, m.id, m.id_len, &home, &home_len) < 0 || count == max)
			continue;
		struct cgroup_move *move = &moves[count];
		if (procs_file(point, root, step_dir, strlen(step_dir), move->into, sizeof(move->into)) < 0
		    || procs_file(point, root, home, home_len, move->back, sizeof(move->back)) < 0)
			continue;
		snprintf(move->controllers, sizeof(move->controllers), "%.*s", (int)m.controllers_len, m.controllers);
		count++;
	}
	return count;
}

void step_name(uint32_t step, char *out, size_t size)
{
	switch (step) {
	case SLURM_BATCH_SCRIPT:
		snprintf(out, size, "batch");
		break;
	case SLURM_EXTERN_CONT:
		snprintf(out, size, "extern");
		break;
	case SLURM_INTERACTIVE_STEP:
		snprintf(out, size, "interactive");
		break;
	default:
		snprintf(out, size, "%u", step);
	}
}

int cgroup_text(const char *file, char *out, size_t size)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t used = 0;
	ssize_t n;
	while (used + 1 < size && ((n = read(fd, out + used, size - 1 - used)) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0)
			used += (size_t)n;
	close(fd);
	out[used] = '\0';
	/* a text cut short would give a wrong path: none */
	return used + 1 < size ? 0 : -1;
}

/* What the child reports when a move fails: which one, and the system's reason. */
struct move_failure {
	int index;
	int error;
};

int cgroup_move_all(pid_t pid, const char *const files[], int count, int *failed)
{
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%d", (int)pid);
	int report[2];
	*failed = -1;
	if (pipe2(report, O_CLOEXEC) < 0)
		return -1;
	pid_t child = fork();
	if (child < 0) {
		int saved = errno;
		close(report[0]);
		close(report[1]);
		errno = saved;
		return -1;
	}
	if (child == 0) {
		/*
		 * slurmstepd has dropped its effective uid for user_init, keeping root as real and saved one; the
		 * cgroup.procs files are root's. Only this child takes root back (a raw system call: the C library's
		 * would signal slurmstepd's other threads, which the child does not have).
		 */
		struct move_failure failure = { -1, 0 };
		if (getuid() == 0 && geteuid() != 0 && syscall(SYS_setresuid, -1, 0, -1) < 0) {
			failure.error = errno;
			(void)!write(report[1], &failure, sizeof(failure));
			_exit(1);
		}
		for (int i = 0; i < count; i++) {
			failure.index = i;
			int fd = open(files[i], O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
			struct statfs fs;
			if (fd < 0) {
				failure.error = errno;
			} else if (fstatfs(fd, &fs) < 0) {
				failure.error = errno;
			} else if (fs.f_type != CGROUP_SUPER_MAGIC) {
				failure.error = EXDEV;
			} else if (write(fd, digits, (size_t)len) != len) {
				failure.error = errno;
			}
			if (fd >= 0)
				close(fd);
			if (failure.error != 0) {
				(void)!write(report[1], &failure, sizeof(failure));
				_exit(1);
			}
		}
		_exit(0);
	}
	close(report[1]);
	struct move_failure failure = { -1, 0 };
	ssize_t n;
	while ((n = read(report[0], &failure, sizeof(failure))) < 0 && errno == EINTR)
		;
	close(report[0]);
	int status;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof(failure)) {
		*failed = failure.index;
		errno = failure.error;
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		errno = ECHILD;
		return -1;
	}
	return 0;
}
