import { describe, expect, it } from "vitest";

import { ArgumentMemory, type Store } from "../../src/argumentMemory";
import { argumentProblem, initialInput } from "../../src/invokeInput";

describe("initialInput", () => {
  const cases: [string, string, string | undefined, string, string][] = [
    // name, template, remembered, value, selected text
    ["template values are selected", '(0, "")', undefined, '(0, "")', '0, ""'],
    ["remembered arguments come back whole", '(0, "")', '(20, "x")', '(20, "x")', '(20, "x")'],
    ["blank memory is no memory", "(0)", "  ", "(0)", "0"],
    ["no parameters: the cursor at the end", "()", undefined, "()", ""],
    ["a record template", "({x: 0, y: 0})", undefined, "({x: 0, y: 0})", "{x: 0, y: 0}"],
  ];
  for (const [name, template, remembered, value, selected] of cases) {
    it(name, () => {
      const input = initialInput(template, remembered);
      expect(input.value).toBe(value);
      expect(input.value.slice(...input.selection)).toBe(selected);
    });
  }
});

describe("argumentProblem", () => {
  const cases: [string, string | undefined][] = [
    ["(1, 2)", undefined],
    ['("a)", [1, 2], {x: 1})', undefined],
    ['("say \\"hi\\"")', undefined],
    ["(1, 2", "`)` is missing at the end"],
    ["(1, 2))", "`)` at column 7 closes nothing"],
    ["([1, 2)", "`)` at column 7 closes nothing open; expected `]`"],
    ['("open', 'a string opened with " is not closed'],
    ["", undefined],
  ];
  for (const [input, problem] of cases) {
    it(`${JSON.stringify(input)} → ${problem ?? "fine"}`, () => {
      expect(argumentProblem(input)).toBe(problem);
    });
  }
});

describe("ArgumentMemory", () => {
  function memoryStore(): Store & { data: Map<string, unknown> } {
    const data = new Map<string, unknown>();
    return {
      data,
      get: <T>(key: string) => data.get(key) as T | undefined,
      update: async (key, value) => {
        data.set(key, value);
      },
    };
  }

  it("remembers per export and per world", async () => {
    const store = memoryStore();
    const memory = new ArgumentMemory(store);
    const add = { uri: "file:///p/wit/calc.wit", world: "calc", export: "add" };
    const scale = { ...add, export: "math.scale" };
    const otherWorld = { ...add, world: "calc2" };
    await memory.remember(add, "(1, 2)");
    await memory.remember(scale, "({x: 1, y: 2}, 2.0)");
    expect(memory.recall(add)).toBe("(1, 2)");
    expect(memory.recall(scale)).toBe("({x: 1, y: 2}, 2.0)");
    expect(memory.recall(otherWorld)).toBeUndefined();
    await memory.remember(add, "(3, 4)");
    expect(memory.recall(add)).toBe("(3, 4)");
    // What survives a restart is what the Memento holds.
    expect(new ArgumentMemory(store).recall(add)).toBe("(3, 4)");
  });
});
