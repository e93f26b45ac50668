// Loaded with --import into a benchmarked command: its peak memory and the CPU time it used (its own, so the
// figure holds on a busy machine), told on stderr when it ends.
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(
    `\nmamori-bench maxRssMb=${Math.round(u.maxRSS / 1024)} cpuMs=${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\n`,
  );
});
