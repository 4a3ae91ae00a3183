import { describe, expect, it } from "vitest";

import { RestartQueue } from "../../src/restartQueue";

/** A restart that takes as long as the test says: it logs its start and
 * end, and `finish()` ends the oldest one still running. */
function fakeServer() {
  const log: string[] = [];
  const pending: { finish: () => void; fail: (error: Error) => void }[] = [];
  let running = 0;
  let mostAtOnce = 0;
  let count = 0;
  const restart = () => {
    const n = ++count;
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    log.push(`stop+start ${n}`);
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        running--;
        log.push(`started ${n}`);
      };
      pending.push({
        finish: () => {
          done();
          resolve();
        },
        fail: (error) => {
          done();
          reject(error);
        },
      });
    });
  };
  return { log, pending, restart, mostAtOnce: () => mostAtOnce };
}

/** Lets every promise callback that is ready run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("server restarts", () => {
  it("a second restart waits for the first to finish stopping and starting", async () => {
    const server = fakeServer();
    const queue = new RestartQueue(server.restart);
    const first = queue.request();
    const second = queue.request();
    await flush();
    expect(server.log).toEqual(["stop+start 1"]);
    server.pending.shift()?.finish();
    await first;
    await flush();
    expect(server.log).toEqual(["stop+start 1", "started 1", "stop+start 2"]);
    server.pending.shift()?.finish();
    await second;
    expect(server.mostAtOnce()).toBe(1);
  });

  it("requests made while one waits join it", async () => {
    const server = fakeServer();
    const queue = new RestartQueue(server.restart);
    const first = queue.request();
    const waiting = [queue.request(), queue.request(), queue.request()];
    expect(waiting[1]).toBe(waiting[0]);
    expect(waiting[2]).toBe(waiting[0]);
    await flush();
    server.pending.shift()?.finish();
    await first;
    await flush();
    server.pending.shift()?.finish();
    await Promise.all(waiting);
    await queue.settled();
    expect(server.log).toEqual(["stop+start 1", "started 1", "stop+start 2", "started 2"]);
  });

  it("a request after the waiting one began waits again", async () => {
    const server = fakeServer();
    const queue = new RestartQueue(server.restart);
    void queue.request();
    const second = queue.request();
    await flush();
    server.pending.shift()?.finish();
    await flush();
    // The second restart began; a trust change now needs a third.
    const third = queue.request();
    expect(third).not.toBe(second);
    server.pending.shift()?.finish();
    await second;
    await flush();
    server.pending.shift()?.finish();
    await third;
    expect(server.log).toEqual(["stop+start 1", "started 1", "stop+start 2", "started 2", "stop+start 3", "started 3"]);
    expect(server.mostAtOnce()).toBe(1);
  });

  it("a failed restart is reported and the next one still runs", async () => {
    const server = fakeServer();
    const queue = new RestartQueue(server.restart);
    const first = queue.request();
    const second = queue.request();
    await flush();
    server.pending.shift()?.fail(new Error("no binary"));
    await expect(first).rejects.toThrow("no binary");
    await flush();
    server.pending.shift()?.finish();
    await second;
    expect(server.log).toEqual(["stop+start 1", "started 1", "stop+start 2", "started 2"]);
  });

  it("settles once nothing runs or waits", async () => {
    const server = fakeServer();
    const queue = new RestartQueue(server.restart);
    await queue.settled();
    void queue.request();
    void queue.request();
    let settled = false;
    void queue.settled().then(() => {
      settled = true;
    });
    await flush();
    server.pending.shift()?.finish();
    await flush();
    expect(settled).toBe(false);
    server.pending.shift()?.finish();
    await flush();
    expect(settled).toBe(true);
  });
});
