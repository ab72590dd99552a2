/*
 * The submit-side check's answers, kept in the user's cache: an srun, sbatch or salloc with the same request (options,
 * PYXIS_CONTAINER_* variables, plugstack arguments, client) under the same build of the plugin replays the answer the
 * engine gave before instead of starting a JVM. The engine writes the file (it decides what is kept); the shim only
 * finds it by a hash of the request and reads it with the bounds of any answer. Runs as the user, on their files.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"

static uint64_t fnv1a(uint64_t hash, const void *data, size_t n)
{
	const unsigned char *bytes = data;
	for (size_t i = 0; i < n; i++) {
		hash ^= bytes[i];
		hash *= 0x100000001b3ULL;
	}
	return hash;
}

int verdict_path(const struct msg *request, char *out, size_t size)
{
	if (request->failed)
		return -1;
	Dl_info info;
	struct stat self;
	if (dladdr((void *)verdict_path, &info) == 0 || info.dli_fname == NULL || stat(info.dli_fname, &self) < 0)
		return -1;
	uint64_t hash = 0xcbf29ce484222325ULL;
	hash = fnv1a(hash, request->buf ? request->buf : "", request->len);
	hash = fnv1a(hash, JPYXIS_BANNER, sizeof(JPYXIS_BANNER));
	hash = fnv1a(hash, &self.st_mtim, sizeof(self.st_mtim));
	hash = fnv1a(hash, &self.st_size, sizeof(self.st_size));
	hash = fnv1a(hash, &self.st_ino, sizeof(self.st_ino));
	const char *cache = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int n;
	if (cache != NULL && cache[0] == '/')
		n = snprintf(out, size, "%s/jpyxis/submit-%016llx", cache, (unsigned long long)hash);
	else if (home != NULL && home[0] == '/')
		n = snprintf(out, size, "%s/.cache/jpyxis/submit-%016llx", home, (unsigned long long)hash);
	else
		return -1;
	return n > 0 && (size_t)n < size ? 0 : -1;
}

int verdict_replay(const char *path, struct frame *answer)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat file;
	int rc = -1;
	/* only an answer the user's own engine wrote: theirs, a plain file nobody else may write */
	if (fstat(fd, &file) == 0 && S_ISREG(file.st_mode) && file.st_uid == getuid() && (file.st_mode & 022) == 0
	    && file.st_size < FRAME_MAX) {
		struct reader reader;
		reader_init(&reader, fd);
		rc = frame_read(&reader, answer);
		reader_free(&reader);
		if (rc == 0 && (frame_get(answer, "status") == NULL || frame_get(answer, "msg") == NULL
				|| strcmp(frame_get(answer, "msg"), "submit") != 0)) {
			frame_free(answer);
			rc = -1;
		}
	}
	close(fd);
	return rc;
}
