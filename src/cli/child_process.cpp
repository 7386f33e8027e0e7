#include "cli/child_process.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <thread>

#include "error.h"

namespace dikkat {

namespace {

using Clock = std::chrono::steady_clock;

pid_t start_self(const ChildSpec& spec) {
  std::vector<char*> argv;
  static char self_name[] = "dikkat";
  argv.push_back(self_name);
  for (const std::string& a : spec.args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int out_fd = -1;
  if (!spec.stdout_path.empty()) {
    out_fd = ::open(spec.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out_fd < 0) throw Error(spec.stdout_path + ": cannot write: " + std::strerror(errno));
  }
  const pid_t pid = ::fork();
  if (pid < 0) throw Error(std::string("cannot start a process: ") + std::strerror(errno));
  if (pid == 0) {
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    if (out_fd >= 0) ::dup2(out_fd, STDOUT_FILENO);
    ::execv("/proc/self/exe", argv.data());
    ::_exit(127);
  }
  if (out_fd >= 0) ::close(out_fd);
  return pid;
}

}  // namespace

std::vector<ChildRun> run_self_all(const std::vector<ChildSpec>& specs, int jobs,
                                   const std::function<void()>& tick) {
  std::vector<ChildRun> runs(specs.size());
  std::map<pid_t, std::pair<size_t, Clock::time_point>> running;
  size_t next = 0;
  auto last_tick = Clock::now();
  while (next < specs.size() || !running.empty()) {
    while (next < specs.size() && int(running.size()) < std::max(jobs, 1)) {
      running[start_self(specs[next])] = {next, Clock::now()};
      ++next;
    }
    int status = 0;
    struct rusage usage {};
    const pid_t pid = ::wait4(-1, &status, WNOHANG, &usage);
    if (pid < 0 && errno != EINTR)
      throw Error(std::string("waiting for a process: ") + std::strerror(errno));
    if (pid <= 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (tick && Clock::now() - last_tick >= std::chrono::seconds(1)) {
        tick();
        last_tick = Clock::now();
      }
      continue;
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    const auto [index, started] = it->second;
    running.erase(it);
    const std::vector<std::string>& args = specs[index].args;
    if (WIFSIGNALED(status))
      throw Error("dikkat " + (args.empty() ? std::string() : args[0]) + " was killed by signal " +
                  std::to_string(WTERMSIG(status)));
    runs[index] = {WEXITSTATUS(status),
                   std::chrono::duration<double>(Clock::now() - started).count(),
                   double(usage.ru_maxrss) / 1024.0};  // Linux reports kilobytes
  }
  return runs;
}

ChildRun run_self(const ChildSpec& spec) { return run_self_all({spec}, 1)[0]; }

}  // namespace dikkat
