#pragma once
// Running the dikkat binary itself as child processes, as a user would from a shell: how a
// command that drives other commands (compare) measures each one's wall time and peak memory
// apart from its own, and runs several side by side.
#include <functional>
#include <string>
#include <vector>

namespace dikkat {

struct ChildSpec {
  std::vector<std::string> args;  // after the program name: {"train", "--data", ...}
  std::string stdout_path;        // where stdout goes; empty: inherited
};

struct ChildRun {
  int exit_code = 0;
  double seconds = 0.0;      // wall time
  double peak_rss_mb = 0.0;  // the child's maximum resident set size
};

// Runs this executable once per spec (no shell; stdin from /dev/null, stderr inherited), at most
// `jobs` at a time, calling `tick` about once a second while any runs. Results come in the order
// of `specs`. Error when one cannot start or is killed by a signal; a non-zero exit is returned
// for the caller to name.
std::vector<ChildRun> run_self_all(const std::vector<ChildSpec>& specs, int jobs,
                                   const std::function<void()>& tick = {});
ChildRun run_self(const ChildSpec& spec);

}  // namespace dikkat
