import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { InlineResults } from "../../src/inlineResults";

describe("inline results", () => {
  let drawn: Map<string, string[]>;
  let results: InlineResults<string>;

  beforeEach(() => {
    vi.useFakeTimers();
    drawn = new Map();
    results = new InlineResults((document, items) => drawn.set(document, items));
  });

  afterEach(() => {
    results.dispose();
    vi.useRealTimers();
  });

  it("a result goes away after its seconds", () => {
    results.show("calc.wit", "add", "→ 42", 8);
    expect(drawn.get("calc.wit")).toEqual(["→ 42"]);
    vi.advanceTimersByTime(7_999);
    expect(drawn.get("calc.wit")).toEqual(["→ 42"]);
    vi.advanceTimersByTime(1);
    expect(drawn.get("calc.wit")).toEqual([]);
  });

  it("the first run's timer does not clear the second run's result", () => {
    results.show("calc.wit", "add", "→ 42", 8);
    vi.advanceTimersByTime(5_000);
    results.show("calc.wit", "add", "→ 7", 8);
    expect(drawn.get("calc.wit")).toEqual(["→ 7"]);
    // When the first result's 8 s are up, the second has 5 s to go.
    vi.advanceTimersByTime(3_000);
    expect(drawn.get("calc.wit")).toEqual(["→ 7"]);
    vi.advanceTimersByTime(4_999);
    expect(drawn.get("calc.wit")).toEqual(["→ 7"]);
    vi.advanceTimersByTime(1);
    expect(drawn.get("calc.wit")).toEqual([]);
  });

  it("results at other places and in other files keep their own time", () => {
    results.show("calc.wit", "add", "→ 42", 8);
    vi.advanceTimersByTime(2_000);
    results.show("calc.wit", "greet", '→ "hi"', 8);
    results.show("other.wit", "add", "→ 1", 1);
    expect(drawn.get("calc.wit")).toEqual(["→ 42", '→ "hi"']);
    vi.advanceTimersByTime(1_000);
    expect(drawn.get("other.wit")).toEqual([]);
    expect(drawn.get("calc.wit")).toEqual(["→ 42", '→ "hi"']);
    vi.advanceTimersByTime(5_000);
    expect(drawn.get("calc.wit")).toEqual(['→ "hi"']);
    vi.advanceTimersByTime(2_000);
    expect(drawn.get("calc.wit")).toEqual([]);
  });

  it("what a document shows can be drawn again", () => {
    results.show("calc.wit", "add", "→ 42", 8);
    expect(results.items("calc.wit")).toEqual(["→ 42"]);
    expect(results.items("other.wit")).toEqual([]);
  });
});
