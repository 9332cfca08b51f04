// The devstack API: GET / counts the visit in PostgreSQL and reads the database's version through a
// Redis cache, so one answer shows that both backends are reachable and keep their data.
import { createServer } from "node:http";
import { redisCommand } from "resp-client";
import { pgQuery } from "./postgres.js";

const env = process.env;
const port = Number(env.PORT ?? 3000);
const pg = {
  host: env.PGHOST ?? "db",
  port: Number(env.PGPORT ?? 5432),
  user: env.PGUSER ?? "postgres",
  password: env.PGPASSWORD ?? "",
  database: env.PGDATABASE ?? "postgres",
};
const redis = { host: env.REDIS_HOST ?? "cache", port: Number(env.REDIS_PORT ?? 6379) };
const greeting = env.GREETING ?? "Hello";
const VERSION_KEY = "devstack:postgres-version";
const CACHE_SECONDS = 60;

async function countVisit() {
  const [row] = await pgQuery(
    pg,
    "INSERT INTO visits (id, count) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET count = visits.count + 1 RETURNING count",
  );
  return Number(row.count);
}

/** The database's version, from the cache when it is there ("hit"), else from PostgreSQL ("miss"). */
async function postgresVersion() {
  const cached = await redisCommand(redis, "GET", VERSION_KEY);
  if (cached !== null) return { version: cached, cache: "hit" };
  const [row] = await pgQuery(pg, "SHOW server_version");
  await redisCommand(redis, "SET", VERSION_KEY, row.server_version, "EX", CACHE_SECONDS);
  return { version: row.server_version, cache: "miss" };
}

async function home() {
  const visits = await countVisit();
  const { version, cache } = await postgresVersion();
  return { message: greeting, visits, postgres: version, cache };
}

function send(response, status, body) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(`${JSON.stringify(body)}\n`);
}

const server = createServer((request, response) => {
  if (request.url === "/healthz") return send(response, 200, { ok: true });
  if (request.method !== "GET" || request.url !== "/") return send(response, 404, { error: "not found" });
  home().then(
    (body) => send(response, 200, body),
    (error) => send(response, 503, { error: error.message }),
  );
});

// The table is created once at start rather than on each request, where two first requests could
// race on CREATE TABLE. The database is healthy before the API starts, but the first lookup of its name
// on a busy engine can still fail: retry for a while instead of dying (node --watch would not restart).
for (let attempt = 1; ; attempt++) {
  try {
    await pgQuery(pg, "CREATE TABLE IF NOT EXISTS visits (id int PRIMARY KEY, count bigint NOT NULL)");
    break;
  } catch (error) {
    if (attempt === 30) throw error;
    console.error(`database not reachable yet (${error.message}), retrying`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
server.listen(port, () => console.log(`devstack api listening on :${port}`));

// As PID 1 in its container, node would ignore SIGTERM and make every `down` wait for the kill
// timeout; keep-alive connections from nginx would hold server.close() open, so exit right away.
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
