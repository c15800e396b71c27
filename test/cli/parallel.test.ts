/** inParallel: a bounded pool that, on a failure, lets what runs end before it says so. */
import { inParallel } from "../../src/cli/parallel";

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("keeps the order of the items, with at most `limit` running", async () => {
  let running = 0;
  let most = 0;
  const results = await inParallel([30, 10, 20, 5, 15], 2, async (ms) => {
    most = Math.max(most, ++running);
    await later(ms);
    running--;
    return ms * 2;
  });
  expect(results).toEqual([60, 20, 40, 10, 30]);
  expect(most).toBe(2);
});

test("a failure starts nothing more, and is thrown once the tasks already running have ended", async () => {
  const started: number[] = [];
  const ended: number[] = [];
  const run = inParallel([1, 2, 3, 4, 5, 6], 3, async (n) => {
    started.push(n);
    if (n === 1) throw new Error("refused");
    await later(30);
    ended.push(n);
    return n;
  });
  await expect(run).rejects.toThrow("refused");
  // 1 failed at once; 2 and 3 were running and are let finish; nothing after them started.
  expect(started).toEqual([1, 2, 3]);
  expect(ended.sort()).toEqual([2, 3]);
});
