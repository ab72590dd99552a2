/*
 * jpyxis SPANK plugin: the hooks. Each hook gathers what Slurm knows, hands it to the Java engine and carries out the
 * answer; no decision is made here. Contexts: srun (local), sbatch/salloc (allocator), slurmstepd (remote, including
 * the forked task processes), slurmd, and the job epilog.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <slurm/slurm_version.h>

#include "shim.h"

SPANK_PLUGIN(pyxis, 1);

#define MAX_OPTION_USES 512
/* how many engines the job epilog starts at most, when they are killed before they answer */
#define EPILOG_ATTEMPTS 3

extern char **environ;

static struct {
	char *name;
	char *value; /* NULL for options without argument */
} uses[MAX_OPTION_USES];
static int use_count;

static struct engine step_engine = { .pid = -1, .to_engine = -1, .from_engine = -1 };
static char *engine_socket;

/* The step engine's cgroups (cgroups.c): slurmstepd's when it started the engine, and the moves made at user_init. */
static struct {
	unsigned long job;
	uint32_t step;
	char started[CGROUP_TEXT_MAX];
	struct cgroup_move moves[CGROUP_HIERARCHIES_MAX];
	int count; /* moves made: the engine is in these step directories */
} engine_cgroups;

static int jpyxis_record_option(const char *name, const char *optarg, int remote)
{
	(void)remote;
	if (use_count == MAX_OPTION_USES) {
		slurm_error("pyxis: too many container options");
		return -1;
	}
	uses[use_count].name = strdup(name);
	uses[use_count].value = optarg ? strdup(optarg) : NULL;
	if (uses[use_count].name == NULL || (optarg && uses[use_count].value == NULL)) {
		slurm_error("pyxis: could not allocate memory");
		return -1;
	}
	use_count++;
	return 0;
}

#include "spank_options.gen.h"

static void forget_options(void)
{
	for (int i = 0; i < use_count; i++) {
		free(uses[i].name);
		free(uses[i].value);
	}
	use_count = 0;
}

static int is_container_variable(const char *entry)
{
	return strncmp(entry, JPYXIS_ENV_PREFIX, sizeof(JPYXIS_ENV_PREFIX) - 1) == 0;
}

static int has_container_variable(char **env)
{
	for (size_t i = 0; env != NULL && env[i] != NULL; i++)
		if (is_container_variable(env[i]))
			return 1;
	return 0;
}

static void add_config(struct msg *m, int ac, char **av)
{
	msg_add(m, "protocol", JPYXIS_PROTOCOL);
	for (int i = 0; i < ac; i++)
		msg_add(m, "config", av[i]);
}

static void add_options_and_config(struct msg *m, int ac, char **av)
{
	add_config(m, ac, av);
	for (int i = 0; i < use_count; i++) {
		char key[128];
		snprintf(key, sizeof(key), "opt.%s", uses[i].name);
		msg_add(m, key, uses[i].value ? uses[i].value : "");
	}
}

/* Logs the answer's lines; returns its status, or NULL if there is no well-formed answer. */
static const char *answer_status(const struct frame *answer)
{
	log_frame(answer);
	return frame_get(answer, "status");
}

/* ---- srun, sbatch, salloc ---- */

/*
 * One request to an engine started for it (`attempts` times at most, when it ends without answering): 0 when it
 * answers status=ok, -1 for any other answer, and `unreachable` when it cannot be started or does not answer (logged
 * after `prefix`, e.g. "pyxis: epilog: ").
 */
static int ask_engine(const char *mode, const struct identity *who, int ac, char **av, const struct msg *request,
		      const char *prefix, int unreachable, int attempts)
{
	struct frame answer;
	char why[400];
	if (engine_ask(mode, who, ac, av, request, &answer, attempts, prefix, why, sizeof(why)) < 0) {
		if (why[0] != '\0')
			slurm_error("%s%s", prefix, why);
		return unreachable;
	}
	const char *status = answer_status(&answer);
	int rc = status != NULL && strcmp(status, "ok") == 0 ? 0 : -1;
	frame_free(&answer);
	return rc;
}

/*
 * Submission fails open: a submit host where the engine cannot run (no JVM, say) still submits, and the nodes check
 * the options, failing the step with the same pyxis: lines.
 */
#define SUBMIT_CHECK_FAILED "pyxis: the container options are checked on the nodes instead: "

static int check_submission(spank_t sp, int ac, char **av)
{
	if (use_count == 0 && !has_container_variable(environ))
		return 0;
	const char *command = spank_context() == S_CTX_LOCAL ? "srun" : program_invocation_short_name;
	struct msg request;
	msg_init(&request);
	msg_add(&request, "msg", "submit");
	msg_add(&request, "command", command);
	add_options_and_config(&request, ac, av);
	for (size_t i = 0; environ[i] != NULL; i++)
		if (is_container_variable(environ[i]))
			msg_add(&request, "env", environ[i]);
	(void)sp;
	char verdict[PATH_MAX];
	struct frame kept;
	int rc;
	if (verdict_path(&request, verdict, sizeof(verdict)) < 0) {
		rc = ask_engine("submit", NULL, ac, av, &request, SUBMIT_CHECK_FAILED, 0, 1);
	} else if (verdict_replay(verdict, &kept) == 0) {
		const char *status = answer_status(&kept);
		rc = status != NULL && strcmp(status, "ok") == 0 ? 0 : -1;
		frame_free(&kept);
	} else {
		msg_add(&request, "verdict_file", verdict);
		rc = ask_engine("submit", NULL, ac, av, &request, SUBMIT_CHECK_FAILED, 0, 1);
	}
	msg_free(&request);
	return rc;
}

/* ---- slurmstepd ---- */

static int get_job_env(spank_t sp, char ***env)
{
	spank_err_t err = spank_get_item(sp, S_JOB_ENV, env);
	if (err != ESPANK_SUCCESS) {
		slurm_error("pyxis: couldn't get job environment: %s", spank_strerror(err));
		return -1;
	}
	return 0;
}

struct step_ids {
	uid_t uid;
	gid_t gid;
	gid_t *gids;
	int ngids;
	uint32_t job, step, local_tasks, total_tasks, restarts;
};

static int get_step_ids(spank_t sp, struct step_ids *ids)
{
	static const struct { spank_item_t item; const char *what; } items[] = {
		{ S_JOB_UID, "job uid" }, { S_JOB_GID, "job gid" }, { S_JOB_ID, "job ID" }, { S_JOB_STEPID, "job step ID" },
		{ S_JOB_LOCAL_TASK_COUNT, "job local task count" }, { S_JOB_TOTAL_TASK_COUNT, "job total task count" },
	};
	void *targets[] = { &ids->uid, &ids->gid, &ids->job, &ids->step, &ids->local_tasks, &ids->total_tasks };
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		spank_err_t err = spank_get_item(sp, items[i].item, targets[i]);
		if (err != ESPANK_SUCCESS) {
			slurm_error("pyxis: couldn't get %s: %s", items[i].what, spank_strerror(err));
			return -1;
		}
	}
	spank_err_t err = spank_get_item(sp, S_JOB_SUPPLEMENTARY_GIDS, &ids->gids, &ids->ngids);
	if (err != ESPANK_SUCCESS) {
		slurm_error("pyxis: couldn't get job supplementary gids: %s", spank_strerror(err));
		return -1;
	}
	if (spank_get_item(sp, S_SLURM_RESTART_COUNT, &ids->restarts) != ESPANK_SUCCESS)
		ids->restarts = 0;
	return 0;
}

/* <runtime_path>/<uid>, 0700 and the user's, created as root if missing; an existing one must be just that. */
static int make_user_runtime_dir(int ac, char **av, uid_t uid, gid_t gid)
{
	const char *runtime_path = plugstack_value(ac, av, JPYXIS_KEY_RUNTIME_PATH);
	char dir[PATH_MAX];
	if (snprintf(dir, sizeof(dir), "%s/%u", runtime_path ? runtime_path : JPYXIS_DEFAULT_RUNTIME_PATH, (unsigned)uid)
	    >= (int)sizeof(dir)) {
		slurm_error("pyxis: runtime_path: path too long");
		return -1;
	}
	return private_directory(dir, uid, gid);
}

/* The image cache's directory, or NULL when image_cache is empty (no cache). */
static const char *image_cache(int ac, char **av)
{
	const char *value = plugstack_value(ac, av, JPYXIS_KEY_IMAGE_CACHE);
	if (value == NULL)
		value = JPYXIS_DEFAULT_IMAGE_CACHE;
	return value[0] != '\0' ? value : NULL;
}

/* <image_cache>/<uid>, the user's own; a step without it imports without the cache (the engine says so). */
static void make_user_cache_dir(int ac, char **av, uid_t uid, gid_t gid)
{
	const char *cache = image_cache(ac, av);
	if (cache != NULL)
		private_directory_in(cache, 0, uid, gid); /* logged */
}

static int start_step(spank_t sp, int ac, char **av)
{
	char **env;
	if (get_job_env(sp, &env) < 0)
		return -1;
	if (use_count == 0 && !has_container_variable(env))
		return 0;
	struct step_ids ids;
	if (get_step_ids(sp, &ids) < 0)
		return -1;
	struct msg request;
	msg_init(&request);
	msg_add(&request, "msg", "init");
	add_options_and_config(&request, ac, av);
	msg_add_long(&request, "uid", ids.uid);
	msg_add_long(&request, "gid", ids.gid);
	for (int i = 0; i < ids.ngids; i++)
		msg_add_long(&request, "gids", ids.gids[i]);
	msg_add_long(&request, "job", ids.job);
	msg_add_long(&request, "step", ids.step);
	msg_add_long(&request, "local_tasks", ids.local_tasks);
	msg_add_long(&request, "total_tasks", ids.total_tasks);
	msg_add_long(&request, "restarts", ids.restarts);
	const char *path = getenv("PATH");
	msg_add(&request, "daemon_path", path ? path : "/usr/local/bin:/usr/bin:/bin");
	char node[HOST_NAME_MAX + 1];
	node_name(node, sizeof(node));
	msg_add(&request, "node", node);
	msg_add_env(&request, env);

	struct identity user = { ids.uid, ids.gid, ids.gids, ids.ngids };
	struct frame answer;
	int rc = -1, mount_ns = -1, again = 0;
	make_user_cache_dir(ac, av, ids.uid, ids.gid);
	if (make_user_runtime_dir(ac, av, ids.uid, ids.gid) < 0) {
		/* logged */
	} else {
		do {
			again = 0;
			if (engine_start_in(&step_engine, "step", &user, mount_ns, ac, av) < 0) {
				engine_failure("couldn't start the jpyxis engine", step_engine.why);
			} else if (engine_call(&step_engine, &request, &answer) < 0) {
				if (errno != ETIMEDOUT)
					engine_failure("the jpyxis engine did not answer", strerror(errno));
			} else {
				const char *status = answer_status(&answer);
				const char *socket_path = frame_get(&answer, "socket");
				const char *namespace = frame_get(&answer, "namespace");
				if (status != NULL && strcmp(status, "disabled") == 0) {
					rc = 0;
				} else if (status != NULL && strcmp(status, "enabled") == 0 && socket_path != NULL) {
					engine_socket = strdup(socket_path);
					rc = engine_socket != NULL ? 0 : -1;
				} else if (status != NULL && strcmp(status, "namespace") == 0 && namespace != NULL
					   && mount_ns < 0) {
					/*
					 * The job has a mount namespace of its own (job_container/tmpfs): the tasks live there,
					 * so the engine must too. It is started again inside it, once.
					 */
					char why[128];
					engine_stop(&step_engine);
					mount_ns = job_namespace_open(namespace, ids.job, why, sizeof(why));
					if (mount_ns < 0)
						slurm_error("pyxis: couldn't join the job's mount namespace %s: %s", namespace, why);
					else
						msg_add(&request, "joined_namespace", namespace);
					again = mount_ns >= 0;
				}
				frame_free(&answer);
			}
		} while (again);
	}
	if (mount_ns >= 0)
		close(mount_ns);
	msg_free(&request);
	if (engine_socket == NULL || rc < 0) {
		engine_stop(&step_engine);
		free(engine_socket);
		engine_socket = NULL;
	} else {
		engine_cgroups.job = ids.job;
		engine_cgroups.step = ids.step;
		engine_cgroups.count = 0;
		if (cgroup_text("/proc/self/cgroup", engine_cgroups.started, sizeof(engine_cgroups.started)) < 0)
			engine_cgroups.started[0] = '\0';
	}
	return rc;
}

/*
 * One request on the control channel; logs the answer. 0 with the answer's status (and whether it says every task of
 * the step has exited, when `all_exited` is given), or -1 (logged).
 */
static int step_call(struct msg *request, char *status, size_t size, int *all_exited)
{
	struct frame answer;
	status[0] = '\0';
	if (engine_call(&step_engine, request, &answer) < 0) {
		if (errno != ETIMEDOUT)
			engine_failure("the jpyxis engine did not answer", strerror(errno));
		return -1;
	}
	const char *value = answer_status(&answer);
	snprintf(status, size, "%s", value ? value : "");
	if (all_exited != NULL) {
		const char *exited = frame_get(&answer, "every_task_exited");
		*all_exited = exited != NULL && strcmp(exited, "1") == 0;
	}
	frame_free(&answer);
	return 0;
}

/*
 * Moves the engine into the step's cgroup v1 directories, which task/cgroup has made by user_init, so that every
 * command it runs from now on is charged to the step (docs/lifecycle.md#the-tasks-world). Not fatal: a move that
 * fails is logged and the step goes on as before.
 */
static void enter_step_cgroups(void)
{
	/* not on slurmstepd's stack: about 4 MiB, most of it never touched */
	static char now[CGROUP_TEXT_MAX], mountinfo[MOUNTINFO_MAX];
	static struct cgroup_move found[CGROUP_HIERARCHIES_MAX];
	char step[32];
	step_name(engine_cgroups.step, step, sizeof(step));
	int count = 0;
	/* no directory of Slurm's layout (no cgroup plugin, or cgroup v2): the mount table is not even read */
	if (engine_cgroups.started[0] != '\0' && cgroup_text("/proc/self/cgroup", now, sizeof(now)) == 0
	    && strstr(now, "/uid_") != NULL) {
		if (cgroup_text("/proc/self/mountinfo", mountinfo, sizeof(mountinfo)) < 0) {
			slurm_info("pyxis: couldn't read /proc/self/mountinfo (over %d bytes?): the jpyxis engine stays "
				   "in slurmstepd's cgroups", MOUNTINFO_MAX);
			return;
		}
		count = step_cgroup_moves(engine_cgroups.started, now, mountinfo, engine_cgroups.job, step, found,
					  CGROUP_HIERARCHIES_MAX);
	}
	const char *files[CGROUP_HIERARCHIES_MAX];
	for (int i = 0; i < count; i++) {
		char dir[PATH_MAX];
		snprintf(dir, sizeof(dir), "%s", found[i].into);
		*strrchr(dir, '/') = '\0';
		struct stat st;
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		engine_cgroups.moves[engine_cgroups.count] = found[i];
		files[engine_cgroups.count] = engine_cgroups.moves[engine_cgroups.count].into;
		engine_cgroups.count++;
	}
	if (engine_cgroups.count == 0) {
		slurm_debug("pyxis: no cgroup v1 directory of step %s: the jpyxis engine stays in slurmstepd's cgroups",
			    step);
		return;
	}
	int failed;
	if (cgroup_move_all(step_engine.pid, files, engine_cgroups.count, &failed) < 0) {
		int saved = errno;
		slurm_error("pyxis: couldn't move the jpyxis engine into the step's cgroup %s: %s",
			    failed >= 0 ? engine_cgroups.moves[failed].into : "(taking back root)", strerror(saved));
		/* those before the failed one were made: they are left again once the tasks are gone */
		engine_cgroups.count = failed > 0 ? failed : 0;
		return;
	}
	for (int i = 0; i < engine_cgroups.count; i++)
		slurm_debug("pyxis: the jpyxis engine is in the step's %s cgroup", engine_cgroups.moves[i].controllers);
}

/*
 * Slurm removes the step's directories after the last task_exit and before slurm_spank_exit, and cannot while the
 * engine is in one: once every task is gone the engine goes back where it was started.
 */
static void leave_step_cgroups(void)
{
	if (engine_cgroups.count == 0 || step_engine.pid <= 0)
		return;
	const char *files[CGROUP_HIERARCHIES_MAX];
	for (int i = 0; i < engine_cgroups.count; i++)
		files[i] = engine_cgroups.moves[i].back;
	int failed;
	if (cgroup_move_all(step_engine.pid, files, engine_cgroups.count, &failed) < 0)
		slurm_error("pyxis: couldn't move the jpyxis engine back into %s: %s",
			    failed >= 0 ? files[failed] : "(taking back root)", strerror(errno));
	engine_cgroups.count = 0;
}

static int step_user_init(spank_t sp)
{
	char **env;
	if (engine_socket == NULL || get_job_env(sp, &env) < 0)
		return 0;
	struct msg request;
	msg_init(&request);
	msg_add(&request, "msg", "user_init");
	char cwd[PATH_MAX];
	if (getcwd(cwd, sizeof(cwd)) != NULL)
		msg_add(&request, "cwd", cwd);
	int argc = 0;
	char **argv = NULL;
	if (spank_get_item(sp, S_JOB_ARGV, &argc, &argv) == ESPANK_SUCCESS && argc > 0)
		msg_add(&request, "argv0", argv[0]);
	msg_add_env(&request, env);
	enter_step_cgroups();
	char status[32];
	step_call(&request, status, sizeof(status), NULL);
	msg_free(&request);
	return 0; /* Slurm ignores user_init failures under srun: the engine defers them to task_init */
}

static int step_task_init(spank_t sp)
{
	if (engine_socket == NULL)
		return 0;
	int task = 0;
	uint32_t global = 0;
	char **env;
	if (spank_get_item(sp, S_TASK_ID, &task) != ESPANK_SUCCESS
	    || spank_get_item(sp, S_TASK_GLOBAL_ID, &global) != ESPANK_SUCCESS || get_job_env(sp, &env) < 0) {
		slurm_error("pyxis: couldn't get the task's ids");
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	if (fd < 0 || strlen(engine_socket) >= sizeof(address.sun_path)) {
		engine_failure("couldn't reach the jpyxis engine", fd < 0 ? strerror(errno) : "socket path too long");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	strcpy(address.sun_path, engine_socket);
	if (connect(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		engine_failure("couldn't reach the jpyxis engine", strerror(errno));
		close(fd);
		return -1;
	}
	struct msg request;
	msg_init(&request);
	msg_add(&request, "msg", "task_init");
	msg_add_long(&request, "task", task);
	msg_add_long(&request, "global_task", global);
	msg_add_long(&request, "pid", getpid());
	msg_add_env(&request, env);
	int rc = -1;
	if (msg_send(fd, &request) < 0) {
		engine_failure("couldn't reach the jpyxis engine", strerror(errno));
	} else {
		struct reader reader;
		reader_init(&reader, fd);
		rc = plan_run(sp, fd, &reader, step_engine.pid, step_engine.timeout_ms);
		reader_free(&reader);
	}
	msg_free(&request);
	close(fd);
	return rc;
}

static int step_task_exit(spank_t sp)
{
	if (engine_socket == NULL)
		return 0;
	int task = 0, status = 0;
	spank_get_item(sp, S_TASK_ID, &task);
	spank_get_item(sp, S_TASK_EXIT_STATUS, &status);
	struct msg request;
	msg_init(&request);
	msg_add(&request, "msg", "task_exit");
	msg_add_long(&request, "task", task);
	msg_add_long(&request, "exit_status", status);
	char answer[32];
	int all_exited = 0;
	int rc = step_call(&request, answer, sizeof(answer), &all_exited);
	msg_free(&request);
	if (all_exited)
		leave_step_cgroups();
	return rc == 0 && strcmp(answer, "failed") != 0 ? 0 : -1;
}

static void step_exit(void)
{
	if (engine_socket == NULL)
		return;
	struct msg request;
	msg_init(&request);
	msg_add(&request, "msg", "exit");
	struct frame answer;
	/* Slurm usually has killed the step's processes, the engine among them, by now: its work ended at task_exit. */
	if (engine_call(&step_engine, &request, &answer) == 0) {
		log_frame(&answer);
		frame_free(&answer);
	}
	msg_free(&request);
	leave_step_cgroups(); /* when the tasks never all exited */
	engine_stop(&step_engine);
	free(engine_socket);
	engine_socket = NULL;
}

/* ---- the hooks ---- */

/*
 * As pyxis: with sbatch_support false the options are not registered in sbatch/salloc at all, so the client itself
 * refuses them as unknown. Only the false spellings of pyxis's boolean grammar count; an invalid value is reported
 * by the engine's configuration check.
 */
static bool sbatch_support_disabled(int ac, char **av)
{
	const char *value = plugstack_value(ac, av, JPYXIS_KEY_SBATCH_SUPPORT);
	for (size_t i = 0; value != NULL && jpyxis_false_words[i] != NULL; i++)
		if (strcmp(value, jpyxis_false_words[i]) == 0)
			return true;
	return false;
}

/*
 * As pyxis, whose slurmd init parses the configuration: a plugstack line the engine cannot read stops slurmd at its
 * start, where the admin looks, rather than failing every step and every job epilog (which drains the node) later.
 * The engine runs as nobody. An engine that cannot run at all is only logged: every container step reports it.
 */
static int check_configuration(int ac, char **av)
{
	struct msg request;
	msg_init(&request);
	msg_add(&request, "msg", "config");
	add_config(&request, ac, av);
	struct identity nobody = { 65534, 65534, NULL, 0 };
	int rc = ask_engine("config", &nobody, ac, av, &request, "pyxis: slurmd: ", 0, 1);
	msg_free(&request);
	return rc;
}

int slurm_spank_init(spank_t sp, int ac, char **av)
{
	spank_context_t context = spank_context();
	if (context == S_CTX_SLURMD) {
		slurm_info("pyxis: %s, Slurm %d.%02d", JPYXIS_BANNER, SLURM_VERSION_MAJOR(SLURM_VERSION_NUMBER),
			   SLURM_VERSION_MINOR(SLURM_VERSION_NUMBER));
		const char *runtime_path = plugstack_value(ac, av, JPYXIS_KEY_RUNTIME_PATH);
		if (root_directory(runtime_path ? runtime_path : JPYXIS_DEFAULT_RUNTIME_PATH, JPYXIS_KEY_RUNTIME_PATH) < 0)
			return -1;
		const char *cache = image_cache(ac, av);
		if (cache != NULL)
			root_directory(cache, JPYXIS_KEY_IMAGE_CACHE); /* not fatal: steps import without the cache */
		return check_configuration(ac, av);
	}
	if (context != S_CTX_LOCAL && context != S_CTX_ALLOCATOR && context != S_CTX_REMOTE)
		return 0;
	if (context == S_CTX_ALLOCATOR && sbatch_support_disabled(ac, av))
		return 0;
	for (int i = 0; i < JPYXIS_OPTION_COUNT; i++) {
		spank_err_t err = spank_option_register(sp, &jpyxis_spank_options[i]);
		if (err != ESPANK_SUCCESS) {
			slurm_error("pyxis: couldn't register option %s: %s", jpyxis_spank_options[i].name,
				    spank_strerror(err));
			slurm_error("pyxis: failed to register arguments");
			return -1;
		}
	}
	return 0;
}

int slurm_spank_init_post_opt(spank_t sp, int ac, char **av)
{
	switch (spank_context()) {
	case S_CTX_LOCAL:
	case S_CTX_ALLOCATOR:
		return check_submission(sp, ac, av);
	case S_CTX_REMOTE:
		return start_step(sp, ac, av);
	default:
		return 0;
	}
}

int slurm_spank_user_init(spank_t sp, int ac, char **av)
{
	(void)ac;
	(void)av;
	return spank_context() == S_CTX_REMOTE ? step_user_init(sp) : 0;
}

int slurm_spank_task_init(spank_t sp, int ac, char **av)
{
	(void)ac;
	(void)av;
	return spank_context() == S_CTX_REMOTE ? step_task_init(sp) : 0;
}

int slurm_spank_task_exit(spank_t sp, int ac, char **av)
{
	(void)ac;
	(void)av;
	return spank_context() == S_CTX_REMOTE ? step_task_exit(sp) : 0;
}

int slurm_spank_exit(spank_t sp, int ac, char **av)
{
	(void)sp;
	(void)ac;
	(void)av;
	if (spank_context() == S_CTX_REMOTE)
		step_exit();
	forget_options();
	return 0;
}

/* Must exist: Slurm 20.02 only calls slurm_spank_init in slurmd if it does. */
int slurm_spank_slurmd_exit(spank_t sp, int ac, char **av)
{
	(void)sp;
	(void)ac;
	(void)av;
	return 0;
}

int slurm_spank_job_epilog(spank_t sp, int ac, char **av)
{
	/*
	 * pyxis's epilog has work with container_scope=job only (docs/pyxis-compatibility.md#job-epilog): no engine for
	 * every other job
	 */
	const char *scope = plugstack_value(ac, av, JPYXIS_KEY_CONTAINER_SCOPE);
	if (scope == NULL || strcmp(scope, JPYXIS_SCOPE_JOB) != 0)
		return 0;
	uid_t uid;
	gid_t gid;
	uint32_t job;
	static const struct { spank_item_t item; const char *what; } items[] = {
		{ S_JOB_UID, "job uid" }, { S_JOB_GID, "job gid" }, { S_JOB_ID, "job ID" },
	};
	void *targets[] = { &uid, &gid, &job };
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		spank_err_t err = spank_get_item(sp, items[i].item, targets[i]);
		if (err != ESPANK_SUCCESS) {
			slurm_error("pyxis: epilog: couldn't get %s: %s", items[i].what, spank_strerror(err));
			return -1;
		}
	}
	/* the engine leaves a trace when the job's epilog has work on this node: no trace, no engine */
	const char *runtime_path = plugstack_value(ac, av, JPYXIS_KEY_RUNTIME_PATH);
	char trace[PATH_MAX];
	if (snprintf(trace, sizeof(trace), "%s/%u/" JPYXIS_EPILOG_TRACE_PREFIX "%u",
		     runtime_path ? runtime_path : JPYXIS_DEFAULT_RUNTIME_PATH, (unsigned)uid, (unsigned)job)
		    < (int)sizeof(trace)
	    && access(trace, F_OK) < 0 && errno == ENOENT)
		return 0;
	struct msg request;
	msg_init(&request);
	msg_add(&request, "msg", "epilog");
	add_config(&request, ac, av);
	msg_add_long(&request, "uid", uid);
	msg_add_long(&request, "gid", gid);
	msg_add_long(&request, "job", job);
	/* the runtime's environment is the epilog process's, as pyxis passes it; the engine drops HOME */
	for (size_t i = 0; environ[i] != NULL; i++)
		msg_add(&request, "env", environ[i]);
	struct identity user = { uid, gid, NULL, 0 };
	/*
	 * a node is not drained because the engine could not run: that is logged. An engine killed before it answered
	 * (it runs as the job's user) is started again, so the job's containers still go (docs/lifecycle.md#faults).
	 */
	int rc = ask_engine("epilog", &user, ac, av, &request, "pyxis: epilog: ", 0, EPILOG_ATTEMPTS);
	msg_free(&request);
	int ended = epilog_trace_ended(runtime_path ? runtime_path : JPYXIS_DEFAULT_RUNTIME_PATH, uid, job);
	if (ended > 0)
		slurm_info("pyxis: epilog: job %u's containers on this node go at its user's next container step here",
			   (unsigned)job);
	else if (ended < 0)
		slurm_error("pyxis: epilog: couldn't mark job %u as ended in %s/%u: %s", (unsigned)job,
			    runtime_path ? runtime_path : JPYXIS_DEFAULT_RUNTIME_PATH, (unsigned)uid, strerror(errno));
	return rc;
}
