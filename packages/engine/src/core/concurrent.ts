/**
 * Convergence that tolerates another process converging the same project at the same time (a second
 * `berth up`, `docker compose up`, or a process on another host sharing the engine). Berth takes no lock:
 * each step accepts that someone else may already have done it.
 *
 * - Container names are unique in the engine, so two creators of `project-svc-N` cannot both succeed: the
 *   loser adopts the winner's container when it carries the same configuration hash.
 * - Network names are not: the engine's duplicate check races, and two creators can both make
 *   `project_default`. Each creator then keeps one and removes the others: the one a container is
 *   already attached to, else the oldest. A container created (not started) meanwhile names its network,
 *   and is attached by name when it starts, so it ends up on the survivor.
 */
import type Docker from "dockerode";
import { byteOrder } from "../base/byte-order.js";
import { engineMessage, statusCode } from "../base/engine-response.js";
import { Labels } from "../base/labels.js";

/** True for the engine's answer when a network name matches several networks, or none while deduplicating. */
export function isNetworkNameRace(err: unknown): boolean {
  return /is ambiguous|Could not attach to network|network [^ ]+ not found/.test(engineMessage(err));
}

/**
 * True when a start fails because containerd or runc still hold the state of a start that a crashed
 * dockerd never recorded. The engine sometimes clears it when the start fails (the next start succeeds);
 * when it does not, only a new container (a new ID) starts.
 */
export function isStaleTask(err: unknown): boolean {
  return /task [0-9a-f]+: already exists|id already in use/.test(engineMessage(err));
}

/** Engine timestamps (RFC 3339 with up to 9 fractional digits) as sortable strings. */
function sortableTime(created: string): string {
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(created);
  return m ? `${m[1]}.${(m[2] ?? "").padEnd(9, "0")}` : created;
}

/**
 * Leaves one network named `name`: the one containers are attached to, else the oldest. Every process
 * that sees duplicates makes the same choice; a removal that fails because the network got a container
 * meanwhile is retried on the next pass.
 */
export async function dedupeNetwork(docker: Docker, name: string): Promise<void> {
  for (let pass = 0; pass < 5; pass++) {
    const same = (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name);
    if (same.length < 2) return;
    const inspected = await Promise.all(
      same.map((n) =>
        docker
          .getNetwork(n.Id)
          .inspect()
          .catch(() => undefined),
      ),
    );
    const live = inspected.filter((n): n is NonNullable<typeof n> => !!n);
    if (live.length < 2) return;
    live.sort(
      (a, b) =>
        Object.keys(b.Containers ?? {}).length - Object.keys(a.Containers ?? {}).length ||
        byteOrder(sortableTime(a.Created), sortableTime(b.Created)) ||
        byteOrder(a.Id, b.Id),
    );
    let left = false;
    for (const extra of live.slice(1)) {
      try {
        await docker.getNetwork(extra.Id).remove();
      } catch (err) {
        // Already removed by another process (404), or in use now: look again.
        if (statusCode(err) !== 404) left = true;
      }
    }
    if (!left) return;
    await new Promise((resolve) => setTimeout(resolve, 100 * (pass + 1)));
  }
}

/** Creates a network, or finds it made by someone else; leaves exactly one network of that name. */
export async function createNetworkShared(
  docker: Docker,
  options: Docker.NetworkCreateOptions,
): Promise<void> {
  try {
    await docker.createNetwork(options);
  } catch (err) {
    // 409: made by another process since this one looked (the engine's duplicate check caught it).
    if (statusCode(err) !== 409) throw err;
  }
  await dedupeNetwork(docker, options.Name);
}

/**
 * Runs an operation that names networks (create, connect, start) and retries it while a concurrent
 * creator's duplicate network makes the name ambiguous: each retry first reduces the names to one network.
 * A start left half-done by a crashed engine is retried too.
 */
export async function retryOnNetworkRace<T>(
  docker: Docker,
  networks: readonly string[],
  operation: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      if (attempt >= 4 || !(isNetworkNameRace(err) || isStaleTask(err))) throw err;
      for (const name of networks) await dedupeNetwork(docker, name);
      await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
    }
  }
}

/**
 * After a 409 on creating container `name`: the container another process made under that name, when it
 * is the same container this process wanted (same project, service, number and configuration hash).
 * Undefined when the name holds something else, which the caller reports as the conflict it is.
 */
export async function adoptContainer(
  docker: Docker,
  name: string,
  labels: Record<string, string>,
): Promise<{ id: string; name: string } | undefined> {
  let info: Docker.ContainerInspectInfo | undefined;
  // The engine reserves the name before the container exists: the other creator may not be done yet.
  for (let attempt = 0; !info && attempt < 20; attempt++) {
    try {
      info = await docker.getContainer(name).inspect();
    } catch (err) {
      if (statusCode(err) !== 404) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  if (!info) return undefined;
  const found = info.Config.Labels ?? {};
  const same = [Labels.project, Labels.service, Labels.containerNumber, Labels.configHash].every(
    (key) => found[key] === labels[key],
  );
  return same ? { id: info.Id, name } : undefined;
}

/** True for the engine's answer when a container name is taken. */
export function isNameConflict(err: unknown): boolean {
  return statusCode(err) === 409;
}
