import { run } from "../../src/cli/run";
import { colors } from "../../src/cli/io";
import { captureIo } from "../helpers/capture-io";
import { SEED_DIR } from "../payload/fixtures";

describe("colour in the CLI's output", () => {
  const tty = { write: () => true, isTTY: true };

  it("is used on a terminal only, and never with NO_COLOR or TERM=dumb", () => {
    expect(colors(tty, {}).green("ok")).toBe("\x1b[32mok\x1b[0m");
    expect(colors({ write: () => true }, {}).green("ok")).toBe("ok");
    expect(colors(tty, { NO_COLOR: "1" }).green("ok")).toBe("ok");
    expect(colors(tty, { TERM: "dumb" }).green("ok")).toBe("ok");
  });

  it("reaches a command's output on a terminal, and not in a log", async () => {
    let onTerminal = "";
    const terminal = captureIo({
      stdout: { write: (c: string) => (onTerminal += c), isTTY: true },
    });
    await run(["validate", SEED_DIR], terminal.io);
    expect(onTerminal).toContain("\x1b[32mok\x1b[0m");

    const log = captureIo();
    await run(["validate", SEED_DIR], log.io);
    expect(log.stdout()).not.toContain("\x1b[");
  });
});
