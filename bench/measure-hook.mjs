// Loaded with `node --import bench/measure-hook.mjs SCRIPT` so a benchmark can measure a whole process
// (Berth's CLI, or the floor script) without changing its code. When the process exits it writes one
// JSON line to $BENCH_MEASURE_FILE: its peak resident set (getrusage's ru_maxrss, the same figure as
// `/usr/bin/time -f %M`), its CPU time and, with BENCH_COUNT_CALLS=1, the Docker API calls it made by method and path.
import { writeFileSync } from "node:fs";
import http from "node:http";

const out = process.env.BENCH_MEASURE_FILE;
const calls = {};

if (out && process.env.BENCH_COUNT_CALLS === "1") {
  // dockerode (docker-modem) sends every engine call through http.request on the socket.
  const request = http.request;
  http.request = function countedRequest(options, ...rest) {
    if (options && typeof options === "object") {
      // /v1.41/containers/<id>/start → POST /containers/*/start
      const path = String(options.path ?? "")
        .split("?")[0]
        .replace(/^\/v[\d.]+/, "")
        .replace(/^\/(containers|networks|volumes|images)\/(?!(?:json|create|prune)$)[^/]+/, "/$1/*");
      const key = `${options.method ?? "GET"} ${path}`;
      calls[key] = (calls[key] ?? 0) + 1;
    }
    return request.call(this, options, ...rest);
  };
}

if (out) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    const maxRssMb = usage.maxRSS / 1024;
    // CPU the process itself used (user + system), to tell its own work from time spent waiting for the engine.
    const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
    writeFileSync(out, `${JSON.stringify({ maxRssMb, cpuMs, calls })}\n`);
  });
}
