// pod-init: the tiny init `pod run --init` puts at pid 1 (bind-mounted at /run/pod-init, so it
// is linked statically: the image brings no libc for it). It starts the command, forwards every
// signal it can to it, reaps every zombie the container's orphans leave, and exits with the
// command's status (128+N when a signal ended it).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  int first = 1;
  if (first < argc && std::strcmp(argv[first], "--") == 0) ++first;
  if (first >= argc) {
    std::fprintf(stderr, "usage: pod-init [--] COMMAND [ARG...]\n");
    return 125;
  }
  sigset_t all;
  sigfillset(&all);
  sigset_t old;
  sigprocmask(SIG_BLOCK, &all, &old);
  const pid_t child = fork();
  if (child < 0) {
    std::perror("pod-init: fork");
    return 125;
  }
  if (child == 0) {
    sigprocmask(SIG_SETMASK, &old, nullptr);
    execvp(argv[first], argv + first);
    std::fprintf(stderr, "pod-init: exec %s: %s\n", argv[first], std::strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
  }
  for (;;) {
    int sig = 0;
    if (sigwait(&all, &sig) != 0) continue;
    if (sig != SIGCHLD) {
      kill(child, sig);
      continue;
    }
    int status = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid == child) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
  }
}
